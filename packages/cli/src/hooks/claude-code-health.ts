import { isAbsolute, resolve } from 'node:path'
import { HOOK_TIMEOUT_S, SETTINGS_FILE_NAMES, claudeCodeFolder, installedClaudeCodeHooks, lastDetachedFailure, untrackedSessions, waitingFacts } from '@agent-tracker/claude-code'
import { folderOfOtherFiles } from '@agent-tracker/lmdb-store'
import { locateDatabase } from '@agent-tracker/node-host/database-path'
import type { Io } from '../io.js'
import { OLDER_HOOKS, checkHookCommand, otherVersion } from './hook-command-check.js'
import { shellWord } from './shell-quote.js'

/** How Claude Code's tracking stands, as a doctor check: fine, something to look at, or broken. */
export interface ClaudeCodeHealth {
  readonly level: 'ok' | 'finding' | 'problem'
  readonly detail: string
}

const INSTALL = 'npm i -g @agent-tracker/cli'

/** Where doctor looks at a project: the folder it was asked about, and the root of the git work tree holding it (see `projectRoot`; the folder itself outside a repository). */
export interface ProjectPlace {
  readonly folder: string
  readonly root: string
}

/**
 * Whether agent-tracker's hooks are installed for Claude Code — in the user's settings
 * (`$CLAUDE_CONFIG_DIR` or `~/.claude`) and in the `.claude/settings.json` and
 * `.claude/settings.local.json` of the project's root and of the folder (Claude Code reads a
 * project's settings in the folder it is started in), naming the file each lives in; when none is
 * installed, naming the folders looked in — and whether they would run: a
 * problem when a hook's program is not found (every hook would fail without a word), and when the
 * end of a turn, recorded in a detached process, last failed (a finding when only the search-index
 * build that process carries on after it failed); findings for facts the hooks read
 * that a write failed to store (they wait beside the database; not those a tracker kept there at
 * its exit, which are no sign of Claude Code), for sessions whose work could not be
 * tracked (no transcript), for a settings file that
 * cannot be read, hooks that run `hook claude-code` without being marked as agent-tracker's (an
 * earlier version's, for a `--command` not naming agent-tracker), events left without a hook, hooks of different commands in several files (Claude
 * Code runs each, so the hooks would run more than once for every event; it runs an identical command once),
 * hooks that record into another database than `database`, the one doctor checks, and — given
 * `cliVersion` — hooks that start another version of agent-tracker (an old one left on PATH); and,
 * asked about a subfolder, hooks only in the root's shared `settings.json`, which Claude Code
 * started in that subfolder does not read.
 */
export function claudeCodeHealth(io: Pick<Io, 'env' | 'homeDir'>, place: ProjectPlace, database: string, cliVersion?: string, now = new Date()): ClaudeCodeHealth {
  const user = claudeCodeFolder({ global: true, env: io.env, homeDir: io.homeDir })
  const projects = [...new Set([place.root, place.folder])]
  const files = [
    { folder: user, name: 'settings.json' as const, rerun: 'agent-tracker hooks install claude-code --global', base: undefined },
    ...projects.flatMap((project) => SETTINGS_FILE_NAMES.map((name) => ({ folder: claudeCodeFolder({ global: false, project }), name, rerun: `agent-tracker hooks install claude-code (in ${project})`, base: project }))),
  ].filter((file, index, all) => all.findIndex((other) => other.folder === file.folder && other.name === file.name) === index)
  /** The settings files holding agent-tracker's hooks. */
  const holding = new Set<string>()
  const notes: { level: ClaudeCodeHealth['level']; text: string }[] = []
  // Each distinct command once, with the files that hold it: Claude Code runs an identical command once.
  const commands = new Map<string, { settingsFile: string; rerun: string; base: string | undefined }[]>()
  for (const { folder, name, rerun, base } of files) {
    const installed = installedClaudeCodeHooks(folder, name)
    if (installed.problem !== undefined) {
      notes.push({ level: 'finding', text: `${installed.settingsFile} cannot be read (${installed.problem}), so Claude Code ignores it` })
      continue
    }
    for (const command of installed.commands) commands.set(command, [...(commands.get(command) ?? []), { settingsFile: installed.settingsFile, rerun, base }])
    if (installed.commands.length > 0) holding.add(installed.settingsFile)
    if (installed.lookalikes.length > 0) {
      const each = installed.lookalikes.map((command) => `\`${command}\``).join(', ')
      notes.push({ level: 'finding', text: `hooks in ${installed.settingsFile} run ${each}, not marked as agent-tracker's — if they are (an earlier version wrote them so for a --command that does not name agent-tracker), run ${rerun} again with that --command to mark them, so hooks uninstall and doctor know them` })
    }
    if (installed.commands.length > 0 && installed.missingEvents.length > 0) {
      notes.push({ level: 'finding', text: `no hook for ${installed.missingEvents.join(', ')} in ${installed.settingsFile} — run ${rerun} again` })
    }
    if (installed.commands.length > 0 && installed.untimedEvents.length > 0) {
      notes.push({ level: 'finding', text: `agent-tracker's hooks for ${installed.untimedEvents.join(', ')} in ${installed.settingsFile} set no timeout, so Claude Code would wait up to its default (600 s) for one that is stuck — run ${rerun} again to give each ${String(HOOK_TIMEOUT_S)} s` })
    }
  }
  const commandNotes: typeof notes = []
  for (const [command, [first, ...more]] of commands) {
    if (first === undefined) continue
    const where = [first, ...more].map((entry) => entry.settingsFile).join(' and ')
    const check = checkHookCommand(command, io)
    if (check.trouble !== undefined) {
      const fix = check.malformed === true
        ? `run ${first.rerun} to write the command afresh (a database goes with its --db, which puts it after \`hook claude-code\`; --command names only the program)`
        : `install agent-tracker for good (${INSTALL}), then run ${first.rerun}`
      commandNotes.push({ level: 'problem', text: `hooks in ${where} run \`${command}\`, but ${check.trouble}: every hook fails without a word and nothing is tracked — ${fix}` })
      continue
    }
    if (check.optionProblems !== undefined) {
      // The hooks run, with defaults in place of what they could not read: a guard set to warn may block, a --db left out records elsewhere.
      commandNotes.push({ level: 'problem', text: `hooks in ${where} run \`${command}\`, whose options are wrong (${check.optionProblems.join(' ')}), so the hooks run with the defaults in their place — run ${first.rerun} to write the command afresh` })
    } else commandNotes.push({ level: 'ok', text: `hooks installed in ${where}${check.program === undefined ? '' : ` (they run ${check.program})`}` })
    const other = cliVersion === undefined ? undefined : otherVersion(check, cliVersion)
    if (other !== undefined && cliVersion !== undefined) {
      commandNotes.push({ level: 'finding', text: other.older
        ? `they start agent-tracker ${other.version}, older than this ${cliVersion}: ${OLDER_HOOKS} — update the one they start (${INSTALL}, or run ${first.rerun} from the agent-tracker to keep)`
        : `they start agent-tracker ${other.version}, newer than this ${cliVersion}: this doctor may not know all it records` })
    }
    // A --db of the hook wins over the variable, as the hook reads them.
    const recorded = hookDatabase(check.databasePath ?? check.databaseVariable, io, first.base)
    const unusable = recorded === undefined ? undefined : folderOfOtherFiles(recorded)
    if (recorded !== undefined && unusable !== undefined) {
      // A `--db .` or `--db ""` of an earlier install: each hook's write fails, and what they read waits unwritten.
      commandNotes.push({ level: 'problem', text: `hooks in ${where} record into ${recorded}, which cannot be a database: ${unusable} Every write of theirs fails and nothing reaches a database — run ${first.rerun} again without --db, for the default database, or with --db naming a file outside any project (a database inside one could be committed with it)` })
    } else if (recorded !== undefined && recorded !== database) {
      const how = check.databasePath === undefined ? `they set AGENT_TRACKER_DB=${shellWord(check.databaseVariable ?? '')}, so they ` : 'they '
      commandNotes.push({ level: 'finding', text: `${how}record into ${recorded}, not ${database} checked here — to read theirs: export AGENT_TRACKER_DB=${shellWord(recorded)} (or --db)` })
    }
  }
  if (commands.size > 1) {
    const each = [...commands].map(([command, entries]) => `\`${command}\` in ${entries.map((entry) => entry.settingsFile).join(' and ')}`).join(', ')
    commandNotes.push({ level: 'finding', text: `agent-tracker's hooks run ${String(commands.size)} different commands (${each}), and Claude Code runs each of them, so agent-tracker's hooks run more than once for every event — keep one: agent-tracker hooks uninstall claude-code takes them out of the project's files (--global: out of yours)` })
  }
  // Claude Code reads a project's .claude/settings.json and settings.local.json only in the folder it starts in.
  const rootFolder = claudeCodeFolder({ global: false, project: place.root })
  const atRootOnly = [...holding].filter((file) => file.startsWith(`${rootFolder}/`))
  if (place.root !== place.folder && atRootOnly.length > 0 && atRootOnly.length === holding.size) {
    commandNotes.push({ level: 'finding', text: `Claude Code started in ${place.folder} does not read ${atRootOnly.join(' or ')} (it reads a project's .claude settings only in the folder it is started in), so these hooks run only when it is started in ${place.root} — to track it started anywhere: agent-tracker hooks install claude-code --global` })
  }
  notes.unshift(...commandNotes)
  // The end of a turn is recorded in a detached process whose failure nobody sees but this.
  const failure = lastDetachedFailure(database)
  if (failure?.work === 'hook') {
    notes.push({ level: 'problem', text: `the end of a turn (${failure.event}, ${failure.at}) could not be recorded: ${failure.message} — what it read waits for the next turn's end` })
  } else if (failure !== undefined) {
    // The turn was recorded; only the search indexes wait, and searches read whole records meanwhile.
    notes.push({ level: 'finding', text: `the search-index build that the end of a turn carries on (${failure.event}, ${failure.at}) stopped: ${failure.message} — the next turn's end tries again; agent-tracker doctor --repair builds the indexes at once` })
  }
  const waiting = waitingNote(database, now)
  if (waiting !== undefined) notes.push(waiting)
  const untracked = untrackedSessions(database, now)
  const [latest] = untracked
  if (latest !== undefined) {
    notes.push({ level: 'finding', text: `${untracked.length === 1 ? '1 session' : `${String(untracked.length)} sessions`} in the last 30 days (the latest ${latest.at}, in ${latest.project}) ran without a transcript (claude --no-session-persistence): no hook is told the model then, so their work could not be put under a setup and is not tracked — run claude without --no-session-persistence to track it` })
  }
  if (notes.length === 0) {
    const looked = [...new Set([user, ...projects.map((project) => claudeCodeFolder({ global: false, project }))])]
    return { level: 'ok', detail: `hooks not installed (looked in ${looked.join(', ')}), so Claude Code is not tracked live (to track it: agent-tracker hooks install claude-code --global; agent-tracker import claude-code brings in its history)` }
  }
  const level = notes.some((note) => note.level === 'problem') ? 'problem' : notes.some((note) => note.level === 'finding') ? 'finding' : 'ok'
  return { level, detail: notes.map((note) => note.text).join('; ') }
}

/** The database a hook's `--db` names, resolved as the hook does (a relative one against the project Claude Code runs in); undefined when it names none or cannot be told. */
function hookDatabase(given: string | undefined, io: Pick<Io, 'env' | 'homeDir'>, project: string | undefined): string | undefined {
  if (given === undefined) return undefined
  const path = given.startsWith('~') || isAbsolute(given) ? given : project === undefined ? undefined : resolve(project, given)
  if (path === undefined) return undefined
  try {
    return locateDatabase({ databasePath: path, env: io.env, homeDir: io.homeDir }).path
  } catch {
    return undefined
  }
}

/** A turn's facts wait for its end; longer than this, its session ended without a hook that writes. */
const TURN_WAIT_MS = 60 * 60 * 1000

/**
 * What the hooks read and the database does not hold yet, if anything waits beside it. Facts a
 * tracker (the OpenCode plugin's, the CLI's) kept there at its exit are not the hooks': doctor's
 * `Pending` line names those.
 */
function waitingNote(database: string, now: Date): { level: ClaudeCodeHealth['level']; text: string } | undefined {
  const waiting = waitingFacts(database).fromHooks
  if (waiting.facts === 0) return undefined
  const facts = waiting.facts === 1 ? '1 fact' : `${String(waiting.facts)} facts`
  const sessions = waiting.sessions === 1 ? '1 session' : `${String(waiting.sessions)} sessions`
  const since = waiting.since === undefined ? '' : `, the oldest from ${waiting.since.toISOString()}`
  const stale = waiting.since !== undefined && now.getTime() - waiting.since.getTime() > TURN_WAIT_MS
  const one = waiting.facts === 1
  if (waiting.unwritten === 0 && !stale) return { level: 'ok', text: `${facts} of a turn under way ${one ? 'waits' : 'wait'} for its end` }
  const why = waiting.unwritten > 0 ? 'a write to the database failed' : 'their session ended without writing them'
  return { level: 'finding', text: `${facts} the hooks read (${sessions}${since}) ${one ? 'is' : 'are'} not in the database yet — ${why}: ${one ? 'it waits' : 'they wait'} in ${database}.pending and ${one ? 'goes' : 'go'} in with the next write of a Claude Code hook (the end of any session's turn) or of the OpenCode plugin, counted once` }
}

