import type { Stats } from 'node:fs'
import { statSync } from 'node:fs'

/** The Claude Code hook events agent-tracker handles. */
export const CLAUDE_CODE_HOOK_EVENTS = ['UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'PostToolUseFailure', 'Stop', 'SubagentStop', 'SessionEnd'] as const

/** A hook event agent-tracker handles. */
export type ClaudeCodeHookEvent = (typeof CLAUDE_CODE_HOOK_EVENTS)[number]

/** The JSON a Claude Code hook reads on stdin: the fields every event has, and the event's own. */
export interface HookInput {
  readonly event: ClaudeCodeHookEvent
  readonly session: string
  readonly cwd: string
  readonly transcriptPath?: string | undefined
  /** Set on tool events fired inside a subagent. */
  readonly agentId?: string | undefined
  readonly agentType?: string | undefined
  readonly fields: Readonly<Record<string, unknown>>
}

/** The `hook_event_name` of a hook's stdin, even of input {@link readHookInput} refuses for another reason; undefined when it names none. */
export function hookEventName(stdin: string): string | undefined {
  try {
    const event = JSON.parse(stdin) as { hook_event_name?: unknown } | null
    return typeof event?.hook_event_name === 'string' ? event.hook_event_name : undefined
  } catch {
    return undefined
  }
}

/**
 * Reads a hook's stdin; undefined for an event agent-tracker does not handle.
 * @throws {Error} naming what is missing when the text is not a Claude Code hook's input.
 */
export function readHookInput(stdin: string): HookInput | undefined {
  let parsed: unknown
  try {
    parsed = JSON.parse(stdin)
  } catch {
    throw new Error(`the hook's input is not JSON (got ${JSON.stringify(stdin.slice(0, 60))}): run it as a Claude Code hook, which passes the event as JSON on stdin.`)
  }
  const fields = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Readonly<Record<string, unknown>>) : {}
  const event = fields.hook_event_name
  if (typeof event !== 'string') throw new Error('the hook\'s input has no "hook_event_name": run it as a Claude Code hook.')
  if (!(CLAUDE_CODE_HOOK_EVENTS as readonly string[]).includes(event)) return undefined
  const session = text(fields.session_id)
  const cwd = text(fields.cwd)
  if (session === undefined || cwd === undefined) throw new Error(`the ${event} hook's input has no ${session === undefined ? '"session_id"' : '"cwd"'}.`)
  const transcriptPath = text(fields.transcript_path)
  // A transcript not written yet is waited for or done without; something else at its path is bad input.
  const found = transcriptPath === undefined ? undefined : statOf(transcriptPath)
  if (found !== undefined && !found.isFile()) throw new Error(`the ${event} hook's "transcript_path" is ${found.isDirectory() ? 'a folder' : 'not a file'} (${transcriptPath ?? ''}); Claude Code gives the session's transcript file (a .jsonl file).`)
  return { event: event as ClaudeCodeHookEvent, session, cwd, transcriptPath, agentId: text(fields.agent_id), agentType: text(fields.agent_type), fields }
}

/** What is at a path; undefined when nothing is, or it cannot be looked at (left to the reader to say). */
function statOf(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false })
  } catch {
    return undefined
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}
