import type { TokenUsage } from '../facts/facts.js'
import type { SetupParts } from '../facts/setup-id.js'

/**
 * How agent-tracker reads Claude Code's records — its transcript lines and the JSON its hooks
 * receive — so the hooks (live) and the import (from transcripts) take the same facts from them.
 */

type Fields = Readonly<Record<string, unknown>>

/** The agent name of Claude Code's main agent in setup ids: `claude-code@anthropic/<model>`. */
export const CLAUDE_CODE_AGENT = 'claude-code'

/** The model Claude Code writes on messages no model sent (errors, interruptions): they spent nothing. */
export const CLAUDE_CODE_SYNTHETIC_MODEL = '<synthetic>'

/**
 * The setup of a Claude Code agent: the main agent is `claude-code`, a subagent goes by its type
 * (`general-purpose`, `Explore`, …); the provider is `anthropic`.
 */
export function claudeCodeSetupParts(model: string, subagentType?: string): SetupParts {
  const agent = subagentType?.trim()
  return { agent: agent === undefined || agent === '' ? CLAUDE_CODE_AGENT : agent.replace(/@/g, '-'), provider: 'anthropic', model }
}

/** The tokens of an Anthropic `usage` object: `input_tokens` excludes the cache reads and writes, as agent-tracker counts input. */
export function claudeCodeTokens(usage: unknown): TokenUsage {
  const u = fields(usage)
  return { input: count(u?.input_tokens), output: count(u?.output_tokens), reasoning: 0, cacheRead: count(u?.cache_read_input_tokens), cacheWrite: count(u?.cache_creation_input_tokens) }
}

/** The text of a tool result's content: a string, or the text of its text blocks. */
export function claudeCodeResultText(content: unknown): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  return content.map((block) => (typeof fields(block)?.text === 'string' ? (fields(block)?.text as string) : '')).join('\n')
}

/**
 * The results of calls that never ran: input the tool refused (`<tool_use_error>`), calls a hook
 * blocked (`PreToolUse:<tool> hook error`, or agent-tracker's own reason), and calls the user's
 * permissions denied. Claude Code fires no PostToolUse hook for them, so they are not tool calls.
 */
const NEVER_RAN = [
  /^<tool_use_error>/,
  /^PreToolUse:\S+ hook error/,
  /^agent-tracker blocked this /,
  /^Claude requested permissions? to /,
  /^This \S+ command contains multiple operations\. The following parts? requires? approval/,
  /^Permission to use \S+ (?:has been|was) denied/,
  / was blocked\. For security, Claude Code may only /,
] as const

/** How a call ended in Claude Code: it never ran, or it ran and succeeded or failed (a Bash exit code when known). */
export type ClaudeCodeCallOutcome = { readonly ran: false } | { readonly ran: true; readonly ok: boolean; readonly exitCode?: number }

/**
 * How a transcript's `tool_result` ended, as the live hooks would have seen it: not an error →
 * ran and succeeded (PostToolUse); an error from a call that never ran → not a call; any other error →
 * ran and failed (PostToolUseFailure), with Bash's exit code from `Exit code N`.
 */
export function claudeCodeResultOutcome(isError: boolean, content: unknown): ClaudeCodeCallOutcome {
  if (!isError) return { ran: true, ok: true }
  const text = claudeCodeResultText(content).replace(/^Error: /, '')
  if (NEVER_RAN.some((pattern) => pattern.test(text))) return { ran: false }
  return failure(text)
}

/** How a call ended as a PostToolUseFailure hook reports it (`error: "Exit code 2\n…"`). */
export function claudeCodeFailure(error: unknown): ClaudeCodeCallOutcome {
  return failure(typeof error === 'string' ? error : '')
}

function failure(text: string): ClaudeCodeCallOutcome {
  const exit = /^Exit code (\d+)/.exec(text)?.[1]
  return exit === undefined ? { ran: true, ok: false } : { ran: true, ok: false, exitCode: Number(exit) }
}

/**
 * What a Bash call printed and the commits Claude Code saw it make: from the hook's
 * `tool_response` or the transcript's `toolUseResult` (`{stdout, stderr, gitOperation}`), else
 * from the result's text.
 */
export function claudeCodeShellResult(response: unknown, resultText = ''): { output: string; reportedHashes: string[] } {
  const r = fields(response)
  const stdout = typeof r?.stdout === 'string' ? r.stdout : undefined
  const sha = fields(fields(fields(r?.gitOperation)?.commit))?.sha
  return { output: stdout ?? resultText, reportedHashes: typeof sha === 'string' && /^[0-9a-f]{7,64}$/.test(sha) ? [sha] : [] }
}

/** The command line of a Bash call's input, if it has one. */
export function claudeCodeCommand(input: unknown): string | undefined {
  const command = fields(input)?.command
  return typeof command === 'string' ? command : undefined
}

function fields(value: unknown): Fields | undefined {
  return typeof value === 'object' && value !== null ? (value as Fields) : undefined
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0
}
