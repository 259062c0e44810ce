import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { usersOwnCommands, writeCommandFiles } from './command-files.js'
import { CLAUDE_CODE_HOOK_EVENTS } from './hook-input.js'
import type { HookEntry, SettingsFileName } from './settings-file.js'
import { groupsOf, hooksOf, readSettingsFile, settingsText } from './settings-file.js'

/** The events whose hooks take a tool matcher. */
const TOOL_EVENTS: ReadonlySet<string> = new Set(['PreToolUse', 'PostToolUse', 'PostToolUseFailure'])

/** Seconds the session-end hook may take: Claude Code cancels those hooks after 1.5 s unless a hook asks for more. */
const SESSION_END_TIMEOUT_S = 10

/** How `installClaudeCodeHooks` installs. */
export interface InstallOptions {
  /** Claude Code's folder: a project's `.claude`, or the user's (`~/.claude`, `$CLAUDE_CONFIG_DIR`). */
  readonly folder: string
  /** The hook command, e.g. `agent-tracker hook claude-code`. */
  readonly command: string
  /** The settings file to write: `settings.json` (the default), or a project's personal `settings.local.json`. */
  readonly settingsFileName?: SettingsFileName
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
}

/**
 * The `statusMessage` of agent-tracker's hooks: Claude Code shows it while one runs (a field of its
 * hook settings), and it marks the hook as agent-tracker's whatever command runs it — a wrapper
 * script given with `--command` need not name agent-tracker.
 */
export const TRACKER_STATUS_MESSAGE = 'agent-tracker'

/**
 * True for a hook entry (`{ type, command, statusMessage? }` of Claude Code's settings) agent-tracker
 * installed: one marked with {@link TRACKER_STATUS_MESSAGE}, whatever its command; and, as earlier
 * versions wrote them unmarked, one whose command names agent-tracker and its `hook claude-code`
 * (`agent-tracker`, `npx agent-tracker`, `'/usr/bin/node' '/…/agent-tracker.js'`) — another tool's
 * `… hook claude-code` is not ours to replace or remove — or runs nothing before `hook claude-code`
 * (an earlier version wrote that for an empty `--command`; no other tool's hook starts that way).
 */
export function isTrackerHook(hook: unknown): boolean {
  if (typeof hook !== 'object' || hook === null) return false
  const { command, statusMessage } = hook as HookEntry
  if (typeof command !== 'string') return false
  if (statusMessage === TRACKER_STATUS_MESSAGE) return true
  return (command.includes('agent-tracker') && runsHookClaudeCode(command)) || /^\s*hook\s+claude-code(\s|$)/.test(command)
}

/** True for a command with `hook claude-code` among its words: agent-tracker's hooks run that, as may another tool's. */
export function runsHookClaudeCode(command: string): boolean {
  return /(^|\s)hook\s+claude-code(\s|$)/.test(command)
}

/**
 * Installs agent-tracker's hooks in Claude Code's `settings.json` (or `settingsFileName`) in `folder`,
 * each marked with {@link TRACKER_STATUS_MESSAGE}, keeping every other setting and hook and the
 * file's indentation (agent-tracker's earlier hooks are replaced, whatever command they ran — also
 * an unmarked one of this very command, as an earlier version wrote for a `--command` that does
 * not name agent-tracker), and the user commands `/grade`, `/bug`, `/reinstate` and `/tracker` as
 * command files the model may not invoke (`disable-model-invocation`): so the prompt reaches the
 * hook, and only from the user.
 * @throws {SettingsFileProblem} when the settings file is not valid JSON or not a JSON object (nothing is changed).
 */
export function installClaudeCodeHooks(options: InstallOptions): InstallResult {
  const read = readSettingsFile(options.folder, options.settingsFileName)
  const hooks = hooksOf(read.settings)
  for (const event of CLAUDE_CODE_HOOK_EVENTS) {
    const groups = groupsOf(hooks, event)
      .map((group) => ({ ...group, hooks: (group.hooks ?? []).filter((hook) => !isTrackerHook(hook) && hook.command !== options.command) }))
      .filter((group) => group.hooks.length > 0)
    const hook = { type: 'command', command: options.command, ...(event === 'SessionEnd' ? { timeout: SESSION_END_TIMEOUT_S } : {}), statusMessage: TRACKER_STATUS_MESSAGE }
    hooks[event] = [...groups, { ...(TOOL_EVENTS.has(event) ? { matcher: '*' } : {}), hooks: [hook] }]
  }
  const after = settingsText(read, { ...read.settings, hooks })
  mkdirSync(options.folder, { recursive: true })
  if (after !== read.text) writeFileSync(read.file, after)
  const commands = join(options.folder, 'commands')
  return { settingsFile: read.file, changed: after !== read.text, commandFiles: writeCommandFiles(commands), keptCommands: usersOwnCommands(commands) }
}
