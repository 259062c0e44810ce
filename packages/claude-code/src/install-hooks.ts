import { join } from 'node:path'
import { commandFileWrites, usersOwnCommands } from './command-files.js'
import { applyFileChanges } from './file-changes.js'
import { CLAUDE_CODE_HOOK_EVENTS } from './hook-input.js'
import type { SettingsFileName } from './settings-file.js'
import { groupsOf, hooksOf, readSettingsFile, settingsText } from './settings-file.js'
import { TRACKER_STATUS_MESSAGE, isTrackerHook } from './tracker-hooks.js'
import type { RemovedHooks } from './uninstall-hooks.js'
import { trackerHooksRemoval } from './uninstall-hooks.js'

export { TRACKER_STATUS_MESSAGE, isTrackerHook, runsHookClaudeCode } from './tracker-hooks.js'

/** The events whose hooks take a tool matcher. */
const TOOL_EVENTS: ReadonlySet<string> = new Set(['PreToolUse', 'PostToolUse', 'PostToolUseFailure'])

/**
 * Seconds Claude Code gives each of agent-tracker's hooks before it cancels it and goes on. A hook
 * waits 4 s at most for anything (a write in another process, the transcript naming the model):
 * this is room for that on a busy machine, not a figure it needs. Without it, Claude Code would
 * wait for a hook stuck by something outside it (a stalled disk, a process that does not exit) for
 * its default — 600 s for command hooks in current releases, 60 s in earlier ones — and cancel a
 * session-end hook after 1.5 s, before its write.
 */
export const HOOK_TIMEOUT_S = 10

/** How `installClaudeCodeHooks` installs. */
export interface InstallOptions {
  /** Claude Code's folder: a project's `.claude`, or the user's (`~/.claude`, `$CLAUDE_CONFIG_DIR`). */
  readonly folder: string
  /** The hook command, e.g. `agent-tracker hook claude-code`. */
  readonly command: string
  /** The settings file to write: `settings.json` (the default), or a project's personal `settings.local.json`. */
  readonly settingsFileName?: SettingsFileName
  /** The folder's other settings file, to take agent-tracker's hooks out of in the same change (so they do not run twice). */
  readonly removeFrom?: SettingsFileName
}

/** What an install changed. */
export interface InstallResult {
  readonly settingsFile: string
  /** False when the hooks were installed as they are already. */
  readonly changed: boolean
  /** The user command files written (`commands/grade.md`, …); files of the same name not written by agent-tracker are left alone. */
  readonly commandFiles: readonly string[]
  /** The user commands whose names a command file of the user's own already takes there: kept, so agent-tracker's command of that name does not run where that file applies. */
  readonly keptCommands: readonly string[]
  /** What was taken out of `removeFrom`, when that was given. */
  readonly removed?: RemovedHooks
}

/**
 * Installs agent-tracker's hooks in Claude Code's `settings.json` (or `settingsFileName`) in `folder`,
 * each marked with {@link TRACKER_STATUS_MESSAGE}, keeping every other setting and hook and the
 * file's indentation (agent-tracker's earlier hooks are replaced, whatever command they ran — also
 * an unmarked one of this very command, as an earlier version wrote for a `--command` that does
 * not name agent-tracker), and the user commands `/grade`, `/bug`, `/reinstate` and `/tracker` as
 * command files the model may not invoke (`disable-model-invocation`): so the prompt reaches the
 * hook, and only from the user. All of it is written, or nothing: each file is checked before any
 * is written (see `applyFileChanges`).
 * @throws {SettingsFileProblem} when a settings file is not valid JSON or not a JSON object;
 * {FileChangeProblem} when a file or folder cannot be written (then nothing is changed).
 */
export function installClaudeCodeHooks(options: InstallOptions): InstallResult {
  const read = readSettingsFile(options.folder, options.settingsFileName)
  const hooks = hooksOf(read.settings)
  for (const event of CLAUDE_CODE_HOOK_EVENTS) {
    const groups = groupsOf(hooks, event)
      .map((group) => ({ ...group, hooks: (group.hooks ?? []).filter((hook) => !isTrackerHook(hook) && hook.command !== options.command) }))
      .filter((group) => group.hooks.length > 0)
    const hook = { type: 'command', command: options.command, timeout: HOOK_TIMEOUT_S, statusMessage: TRACKER_STATUS_MESSAGE }
    hooks[event] = [...groups, { ...(TOOL_EVENTS.has(event) ? { matcher: '*' } : {}), hooks: [hook] }]
  }
  const after = settingsText(read, { ...read.settings, hooks })
  const removal = options.removeFrom === undefined ? undefined : trackerHooksRemoval(readSettingsFile(options.folder, options.removeFrom))
  const commands = join(options.folder, 'commands')
  const commandFiles = commandFileWrites(commands)
  const changed = after !== read.text
  applyFileChanges([...commandFiles.changes, ...(changed ? [{ kind: 'write', file: read.file, text: after } as const] : []), ...(removal?.changes ?? [])])
  return { settingsFile: read.file, changed, commandFiles: commandFiles.files, keptCommands: usersOwnCommands(commands), ...(removal === undefined ? {} : { removed: removal.removed }) }
}
