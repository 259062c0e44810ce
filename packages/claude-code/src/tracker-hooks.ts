import type { HookEntry } from './settings-file.js'

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
