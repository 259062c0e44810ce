import { basename, dirname, join } from 'node:path'
import type { SettingsFileName } from '@agent-tracker/claude-code'
import { FileChangeProblem, SETTINGS_FILE_NAMES, SettingsFileProblem, claudeCodeFolder, installClaudeCodeHooks, installedClaudeCodeHooks, uninstallClaudeCodeHooks } from '@agent-tracker/claude-code'
import { MEMORY_PATH, folderOfOtherFiles } from '@agent-tracker/lmdb-store'
import { locateDatabase } from '@agent-tracker/node-host/database-path'
import { redactUrl } from '@agent-tracker/postgres-store/url'
import { CliError, EXIT } from '../cli-error.js'
import type { CommandContext } from '../context.js'
import { thisCliLauncher } from '../hooks/cli-launcher.js'
import type { GitExclusion, GitRelease } from '../hooks/git-exclude.js'
import { keepOutOfGit, releaseFromGit } from '../hooks/git-exclude.js'
import { OLDER_HOOKS, checkHookCommand, machineSpecificPart, otherVersion } from '../hooks/hook-command-check.js'
import type { HookCommandChoice } from '../hooks/hook-command-choice.js'
import { chooseHookCommand } from '../hooks/hook-command-choice.js'
import { chooseSettingsFile, personalReason } from '../hooks/settings-file-choice.js'
import { shellWord } from '../hooks/shell-quote.js'
import { CLI_VERSION } from '../version.js'
import { whyNotWritten } from '../export/output-sink.js'
import { whyNotRead } from '../opencode-config.js'

/** Hosts `hooks install` sets up. */
export const HOOKED_HOSTS = ['claude-code'] as const

/**
 * `hooks install claude-code [--global | --local]`: writes agent-tracker's hooks into Claude Code's
 * settings (see `chooseSettingsFile`: the user's with `--global`; in a project, the shared
 * `settings.json`, or the personal `settings.local.json` when asked or when the command holds this
 * machine's paths — kept out of git through `.git/info/exclude`), keeping what is there, and the
 * `/grade`, `/bug`, `/reinstate` and `/tracker` commands. The hooks run `agent-tracker` when it is
 * on the PATH they will see, else this copy by its full path (see `chooseHookCommand`). In a
 * project, agent-tracker's hooks in the other file are settled (see `settleOtherProjectFile`). The
 * output says which command, which file and why.
 */
export function hooksInstallCommand(ctx: CommandContext, host: string, options: { global?: boolean; local?: boolean; command?: string }): void {
  if (options.global === true && options.local === true) {
    throw new CliError('USAGE', "--local and --global do not go together: --local writes this project's .claude/settings.local.json (your own settings for this project, kept out of git), --global your settings for every project. Give one of them (or neither, for the project's settings).", EXIT.usage)
  }
  if (ctx.teamUrl !== undefined) {
    // The hooks record into this machine's database, and a URL in settings.json would keep its password there.
    throw new CliError('USAGE', `hooks install takes a local database for --db (the hooks record on this machine; sync sends it on to the team), not ${redactUrl(ctx.teamUrl)}.`, EXIT.usage)
  }
  const folder = hookFolder(ctx, host, options)
  const db = ctx.databasePath
  // The hooks would open it at every event and fail without a word (`--db .`, `--db ~`): said now, nothing written.
  const located = db === undefined ? undefined : locatedDatabase(db, ctx)
  const unusable = located === undefined || located === MEMORY_PATH ? undefined : folderOfOtherFiles(located)
  if (unusable !== undefined) throw new CliError('INVALID_OPTION', `Invalid --db ${db ?? ''}: ${unusable} Or leave --db out, for the default database; a database in a project's folder could be committed with it. Nothing was installed.`, EXIT.usage)
  const rerun = `agent-tracker hooks install claude-code${options.global === true ? ' --global' : ''}${options.local === true ? ' --local' : ''}${db === undefined ? '' : ` --db ${shellWord(db)}`}`
  const choice = chooseHookCommand({ given: options.command, databasePath: db, env: ctx.io.env, launcher: () => ctx.io.launcher ?? thisCliLauncher(), rerun })
  const check = choice.kind === 'full-path' ? undefined : checkHookCommand(choice.command, { env: ctx.io.env, homeDir: ctx.io.homeDir })
  const version = check === undefined || check.trouble !== undefined ? undefined : otherVersion(check, CLI_VERSION)
  const trouble = check?.trouble ?? (version === undefined ? undefined : `they start agent-tracker ${version.version}${check?.program === undefined ? '' : ` (${check.program})`}, not this ${CLI_VERSION}`)
  const target = chooseSettingsFile({ global: options.global === true, local: options.local === true, choice, databasePath: db })
  // The other project file is settled in the same change: all of it is written, or nothing.
  const settle = options.global === true ? undefined : settleOtherProjectFile(folder, target.name, choice.command)
  const again = `${rerun}${options.command === undefined ? '' : ` --command ${shellWord(options.command)}`}`
  const { removed, ...result } = settingsEdit(again, () => installClaudeCodeHooks({ folder, command: choice.command, settingsFileName: target.name, ...(settle?.removeFrom === undefined ? {} : { removeFrom: settle.removeFrom }) }))
  const other = settle === undefined ? undefined : { ...(removed === undefined ? {} : { removed }), ...(settle.alsoIn === undefined ? {} : { alsoIn: settle.alsoIn }) }
  // The hooks are in place by now: an exclude file that cannot be written is a warning, not a failure.
  const exclusion = target.name === 'settings.local.json' ? keepOutOfGit(result.settingsFile, ctx.io.env) : undefined
  // Hooks moved out of a settings.local.json left with nothing else: its lines in .git/info/exclude go with it, as at uninstall.
  const released = removed?.fileRemoved === true && basename(removed.settingsFile) === 'settings.local.json' ? releaseFromGit(removed.settingsFile, ctx.io.env) : undefined
  const { command } = choice
  const personal = personalReason(target.reason)
  ctx.print({
    ...result, settingsFileReason: target.reason, command, commandSource: choice.kind,
    ...(choice.kind === 'on-path' ? { executable: choice.executable } : {}),
    ...(trouble === undefined ? {} : { warning: trouble }),
    ...(other?.removed === undefined ? {} : { removedFrom: other.removed }),
    ...(other?.alsoIn === undefined ? {} : { alsoInstalledIn: other.alsoIn }),
    ...(exclusion === undefined ? {} : { git: exclusion }),
    ...(released === undefined || released.kind === 'none' ? {} : { gitReleased: released }),
  }, () => [
    result.changed ? `Installed agent-tracker's Claude Code hooks in ${result.settingsFile}.` : `agent-tracker's Claude Code hooks are already in ${result.settingsFile}; nothing changed.`,
    `They run: ${command}`,
    `  ${why(choice)}`,
    ...(trouble === undefined ? [] : [version === undefined
      ? `  Warning: ${trouble}, so these hooks would fail without a word and nothing would be tracked.`
      : `  Warning: ${trouble}${version.older ? `: ${OLDER_HOOKS}. Update that one (npm i -g @agent-tracker/cli)` : ''}.`]),
    ...(personal === undefined ? [] : [`That is the project's settings.local.json, your personal settings for it, not the shared settings.json the project commits: ${personal}.`]),
    ...(exclusion === undefined ? [] : exclusionLines(exclusion, result.settingsFile)),
    ...(other?.removed === undefined ? [] : [`Removed agent-tracker's earlier hooks from ${other.removed.settingsFile} (${String(other.removed.removedHooks)} hooks), so they do not run twice.`]),
    ...(released === undefined ? [] : releaseLines(released)),
    ...(other?.alsoIn === undefined ? [] : [`  Warning: ${other.alsoIn.settingsFile} has agent-tracker's hooks too, running ${other.alsoIn.commands.map((entry) => `\`${entry}\``).join(', ')}: Claude Code runs both, so every event would be recorded twice. They look shared with the project, so they stay: to keep yours alone, remove them there.`]),
    `User commands ${result.commandFiles.length === 0 ? 'were not written (files of the same name exist)' : `/grade, /bug, /reinstate and /tracker: ${result.commandFiles.map((file) => basename(file)).join(', ')}`}.`,
    ...result.keptCommands.map((name) => `Your own /${name} (${join(dirname(result.settingsFile), 'commands', `${name}.md`)}) stays yours: Claude Code runs it, and agent-tracker's /${name} does not there — \`agent-tracker ${name === 'tracker' ? 'status' : name}\` does what it would.`),
    'Claude Code reads them when a session starts. To bring in earlier sessions: agent-tracker import claude-code.',
  ].join('\n'))
}

/**
 * So that a project's hooks do not run twice: with `written`, agent-tracker's hooks in the other
 * one are to be removed (`removeFrom`) when that one is the personal settings.local.json, or when
 * they hold this machine's paths (written to the shared settings.json by an earlier version). The
 * shared file's portable hooks that run another command are the team's: they stay, and are named.
 */
function settleOtherProjectFile(folder: string, written: SettingsFileName, command: string): { removeFrom?: SettingsFileName; alsoIn?: { settingsFile: string; commands: readonly string[] } } {
  const otherName: SettingsFileName = written === 'settings.json' ? 'settings.local.json' : 'settings.json'
  const installed = installedClaudeCodeHooks(folder, otherName)
  if (installed.problem !== undefined || installed.commands.length === 0) return {}
  if (otherName === 'settings.local.json' || installed.commands.every((entry) => machineSpecificPart(entry) !== undefined)) {
    return { removeFrom: otherName }
  }
  // Claude Code runs identical commands of several files once.
  const different = installed.commands.filter((entry) => entry !== command)
  return different.length === 0 ? {} : { alsoIn: { settingsFile: installed.settingsFile, commands: different } }
}

/** A `--db` as the hooks will resolve it (`~`, `~/…`); undefined for a path they would refuse, which the install leaves to them to say. */
function locatedDatabase(db: string, ctx: CommandContext): string | undefined {
  try {
    return locateDatabase({ databasePath: db, env: ctx.io.env, homeDir: ctx.io.homeDir }).path
  } catch {
    return undefined
  }
}

/** What taking a removed settings.local.json's lines out of .git/info/exclude did, as lines of the answer. */
function releaseLines(released: GitRelease): string[] {
  switch (released.kind) {
    case 'none': return []
    case 'released': return [`Took ${released.pattern} out of ${released.excludeFile}, as hooks install added it.`]
    case 'failed': return [`  Warning: ${released.excludeFile} could not be written (${released.reason}), so the line ${released.pattern} that hooks install added stays in it: take it out by hand.`]
  }
}

function exclusionLines(exclusion: GitExclusion, file: string): string[] {
  switch (exclusion.kind) {
    case 'no-repository':
    case 'ignored': return []
    case 'excluded': return [`Added ${exclusion.pattern} to ${exclusion.excludeFile}, so git leaves ${file} out (the project's .gitignore is not touched).`]
    case 'tracked': return [`  Warning: git tracks ${file}, so these hooks would be committed with it: untrack it (git rm --cached ${shellWord(file)}) and ignore it.`]
    case 'failed': return [`  Warning: ${exclusion.excludeFile} could not be written (${exclusion.reason}), so git does not leave ${file} out: add ${exclusion.pattern} to it, or to your .gitignore.`]
  }
}

/**
 * `hooks uninstall claude-code [--global] [--command <cmd>]`: removes agent-tracker's hooks and
 * command files from Claude Code's folder — in a project from both its settings.json and
 * settings.local.json —, whatever command the hooks ran, and keeps everything else. Hooks an
 * earlier version wrote unmarked for a `--command` that does not name agent-tracker go when that
 * command is given again; others that run `… hook claude-code` unmarked are named, not removed.
 */
export function hooksUninstallCommand(ctx: CommandContext, host: string, options: { global?: boolean; command?: string }): void {
  const folder = hookFolder(ctx, host, options)
  const names: readonly SettingsFileName[] = options.global === true ? ['settings.json'] : SETTINGS_FILE_NAMES
  const unmarked = (): { settingsFile: string; command: string }[] => names.flatMap((name) => {
    const installed = installedClaudeCodeHooks(folder, name)
    return installed.lookalikes.map((command) => ({ settingsFile: installed.settingsFile, command }))
  })
  const given = options.command?.trim()
  const wrappers = given === undefined || given === '' ? [] : unmarked().map((hook) => hook.command).filter((command) => command === `${given} hook claude-code` || command.startsWith(`${given} hook claude-code `))
  const rerun = `agent-tracker hooks uninstall claude-code${options.global === true ? ' --global' : ''}${given === undefined || given === '' ? '' : ` --command ${shellWord(given)}`}`
  const result = settingsEdit(rerun, () => uninstallClaudeCodeHooks({ folder, settingsFileNames: names, commands: wrappers }))
  const changed = result.settingsFiles.filter((file) => file.changed)
  // The lines install added to .git/info/exclude for the personal settings.local.json go with it.
  const local = result.settingsFiles.find((file) => file.fileRemoved === true && basename(file.settingsFile) === 'settings.local.json')
  const released = local === undefined ? undefined : releaseFromGit(local.settingsFile, ctx.io.env)
  const left = unmarked()
  ctx.print({ ...result, unmarkedHooks: left, ...(released === undefined || released.kind === 'none' ? {} : { git: released }) }, () => [
    ...(result.changed
      ? changed.map((file) => (file.fileRemoved === true
        ? `Removed ${file.settingsFile}: it held nothing but agent-tracker's Claude Code hooks (${String(file.removedHooks)} hooks).`
        : `Removed agent-tracker's Claude Code hooks from ${file.settingsFile} (${String(file.removedHooks)} hooks); everything else in it stays.`))
      : [`No agent-tracker hooks in ${result.settingsFiles.map((file) => file.settingsFile).join(' or ')}${result.commandFiles.length === 0 ? '; nothing changed' : ''}.`]),
    ...(result.commandFiles.length === 0 ? [] : [`Removed the user commands ${result.commandFiles.map((file) => basename(file)).join(', ')}.`]),
    ...(result.folderRemoved === true ? [`Removed ${folder}, left empty.`] : []),
    ...(released === undefined ? [] : releaseLines(released)),
    ...(result.changed ? ['Claude Code stops running them from its next session. What was tracked stays in the database.'] : []),
    ...left.map((hook) => `Hooks in ${hook.settingsFile} run \`${hook.command}\`, not marked as agent-tracker's: if they are (an earlier version wrote them so for a --command that does not name agent-tracker), take them out with agent-tracker hooks uninstall claude-code${options.global === true ? ' --global' : ''} --command ${shellWord(hook.command.slice(0, hook.command.search(/\s+hook\s+claude-code/)))}.`),
  ].join('\n'))
}

function why(choice: HookCommandChoice): string {
  switch (choice.kind) {
    case 'on-path': return `agent-tracker is on your PATH (${choice.executable}).`
    case 'given': return 'as given with --command.'
    case 'full-path': return 'agent-tracker is not on your PATH (not counting the node_modules/.bin folders npx and npm scripts add for one command), so the hooks start this copy by its full path, with this Node. If you move or remove either, the hooks stop working: install agent-tracker for good (npm i -g @agent-tracker/cli) and run this again for the short command.'
  }
}

function hookFolder(ctx: CommandContext, host: string, options: { global?: boolean }): string {
  if (!(HOOKED_HOSTS as readonly string[]).includes(host)) throw new CliError('INVALID_HOST', `agent-tracker installs hooks for ${HOOKED_HOSTS.join(', ')}, not "${host}". OpenCode uses the plugin instead: agent-tracker init (and init --remove to take it out).`, EXIT.usage)
  return options.global === true ? claudeCodeFolder({ global: true, env: ctx.io.env, homeDir: ctx.io.homeDir }) : claudeCodeFolder({ global: false, project: ctx.io.cwd })
}

/**
 * Runs an edit of Claude Code's settings, saying what stopped it: a settings file that is not
 * Claude Code's settings (INVALID_CONFIG); a file or folder that cannot be written, by its path,
 * why and what to do (CANNOT_WRITE); a settings file that cannot be read (CANNOT_READ).
 */
function settingsEdit<T>(rerun: string, edit: () => T): T {
  try {
    return edit()
  } catch (error) {
    if (error instanceof SettingsFileProblem) throw new CliError('INVALID_CONFIG', error.message, EXIT.failure, { cause: error })
    if (error instanceof FileChangeProblem) throw new CliError('CANNOT_WRITE', cannotChange(error, rerun), EXIT.failure, { cause: error })
    const code = (error as NodeJS.ErrnoException).code
    const path = (error as NodeJS.ErrnoException).path
    if (path !== undefined && (code === 'EACCES' || code === 'EPERM' || code === 'EISDIR')) {
      throw new CliError('CANNOT_READ', `Cannot read ${path}: ${whyNotRead(error)}; nothing was changed.${code === 'EISDIR' ? '' : ` Make it readable for you (e.g. chmod u+r), then run ${rerun} again.`}`, EXIT.failure, { cause: error })
    }
    throw error
  }
}

/** What stopped a change to Claude Code's folder, and for a permission what to do: in the words init uses for OpenCode's config. */
function cannotChange(problem: FileChangeProblem, rerun: string): string {
  const changed = problem.undone ? 'nothing was changed' : 'what was changed before it could not all be undone'
  if (!problem.denied) return `Cannot ${problem.action} ${problem.path}: ${whyNotWritten(problem.path, problem.cause)}; ${changed}.`
  const why = problem.action === 'write' ? 'it is not writable (no permission)'
    : problem.action === 'create' ? `no permission to create a file in ${problem.folder}`
      : `no permission to remove a file from ${problem.folder}`
  const fix = problem.action === 'write' ? `Make it writable for you (e.g. chmod u+w ${shellWord(problem.path)})` : `Make ${problem.folder} writable for you (e.g. chmod u+w ${shellWord(problem.folder)})`
  return `Cannot ${problem.action} ${problem.path}: ${why}; ${changed}. ${fix}, then run ${rerun} again.`
}
