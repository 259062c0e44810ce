import { basename } from 'node:path'
import { claudeCodeFolder, installClaudeCodeHooks, uninstallClaudeCodeHooks } from '@agent-tracker/claude-code'
import { redactUrl } from '@agent-tracker/postgres-store/url'
import { CliError, EXIT } from '../cli-error.js'
import type { CommandContext } from '../context.js'
import { thisCliLauncher } from '../hooks/cli-launcher.js'
import { checkHookCommand } from '../hooks/hook-command-check.js'
import type { HookCommandChoice } from '../hooks/hook-command-choice.js'
import { chooseHookCommand } from '../hooks/hook-command-choice.js'
import { shellWord } from '../hooks/shell-quote.js'

/** Hosts `hooks install` sets up. */
export const HOOKED_HOSTS = ['claude-code'] as const

/**
 * `hooks install claude-code [--global]`: writes agent-tracker's hooks into Claude Code's
 * `settings.json` (the project's `.claude/`, or the user's with `--global`), keeping what is
 * there, and the `/grade`, `/bug`, `/reinstate` and `/tracker` commands. The hooks run
 * `agent-tracker` when it is on the PATH they will see, else this copy by its full path (see
 * `chooseHookCommand`), and the output says which and why.
 */
export function hooksInstallCommand(ctx: CommandContext, host: string, options: { global?: boolean; command?: string }): void {
  if (ctx.teamUrl !== undefined) {
    // The hooks record into this machine's database, and a URL in settings.json would keep its password there.
    throw new CliError('USAGE', `hooks install takes a local database for --db (the hooks record on this machine; sync sends it on to the team), not ${redactUrl(ctx.teamUrl)}.`, EXIT.usage)
  }
  const folder = hookFolder(ctx, host, options)
  const db = ctx.databasePath
  const rerun = `agent-tracker hooks install claude-code${options.global === true ? ' --global' : ''}${db === undefined ? '' : ` --db ${shellWord(db)}`}`
  const choice = chooseHookCommand({ given: options.command, databasePath: db, env: ctx.io.env, launcher: () => ctx.io.launcher ?? thisCliLauncher(), rerun })
  const trouble = choice.kind === 'given' ? checkHookCommand(choice.command, { env: ctx.io.env, homeDir: ctx.io.homeDir }).trouble : undefined
  const result = settingsEdit(() => installClaudeCodeHooks({ folder, command: choice.command }))
  const { command } = choice
  ctx.print({ ...result, command, commandSource: choice.kind, ...(choice.kind === 'on-path' ? { executable: choice.executable } : {}), ...(trouble === undefined ? {} : { warning: trouble }) }, () => [
    result.changed ? `Installed agent-tracker's Claude Code hooks in ${result.settingsFile}.` : `agent-tracker's Claude Code hooks are already in ${result.settingsFile}; nothing changed.`,
    `They run: ${command}`,
    `  ${why(choice)}`,
    ...(trouble === undefined ? [] : [`  Warning: ${trouble}, so these hooks would fail without a word and nothing would be tracked.`]),
    `User commands ${result.commandFiles.length === 0 ? 'were not written (files of the same name exist)' : `/grade, /bug, /reinstate and /tracker: ${result.commandFiles.map((file) => basename(file)).join(', ')}`}.`,
    'Claude Code reads them when a session starts. To bring in earlier sessions: agent-tracker import claude-code.',
  ].join('\n'))
}

/**
 * `hooks uninstall claude-code [--global]`: removes agent-tracker's hooks and command files from
 * Claude Code's folder, whatever command the hooks ran, and keeps everything else.
 */
export function hooksUninstallCommand(ctx: CommandContext, host: string, options: { global?: boolean }): void {
  const folder = hookFolder(ctx, host, options)
  const result = settingsEdit(() => uninstallClaudeCodeHooks({ folder }))
  ctx.print(result, () => [
    result.changed ? `Removed agent-tracker's Claude Code hooks from ${result.settingsFile} (${String(result.removedHooks)} hooks); everything else in it stays.` : `No agent-tracker hooks in ${result.settingsFile}; nothing changed.`,
    ...(result.commandFiles.length === 0 ? [] : [`Removed the user commands ${result.commandFiles.map((file) => basename(file)).join(', ')}.`]),
    ...(result.changed ? ['Claude Code stops running them from its next session. What was tracked stays in the database.'] : []),
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

function settingsEdit<T>(edit: () => T): T {
  try {
    return edit()
  } catch (error) {
    throw new CliError('INVALID_CONFIG', error instanceof Error ? error.message : String(error), EXIT.failure, { cause: error })
  }
}
