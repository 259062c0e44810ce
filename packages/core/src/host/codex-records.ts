import type { TokenUsage } from '../facts/facts.js'
import type { SetupParts } from '../facts/setup-id.js'

/** How agent-tracker reads Codex's rollout records (`~/.codex/sessions/**\/rollout-*.jsonl`). */

type Fields = Readonly<Record<string, unknown>>

/** The agent name of Codex in setup ids: `codex@<provider>/<model>`. */
export const CODEX_AGENT = 'codex'

/**
 * The setup of a Codex thread: `codex`, or a subagent's role when it has one (its nickname is a
 * random name, not a kind of agent), on the session's model provider (`openai` unless configured).
 */
export function codexSetupParts(model: string, provider?: string, role?: string): SetupParts {
  const agent = role?.trim()
  return { agent: agent === undefined || agent === '' ? CODEX_AGENT : agent.replace(/@/g, '-'), provider: provider === undefined || provider.trim() === '' ? 'openai' : provider, model }
}

/**
 * The tokens of a Codex (OpenAI Responses) usage object. OpenAI counts cached tokens inside
 * `input_tokens` and reasoning inside `output_tokens`; agent-tracker counts each once: input
 * without the cache read, output without the reasoning.
 */
export function codexTokens(usage: unknown): TokenUsage {
  const u = fields(usage)
  const cached = count(u?.cached_input_tokens)
  const reasoning = count(u?.reasoning_output_tokens)
  return {
    input: Math.max(0, count(u?.input_tokens) - cached),
    output: Math.max(0, count(u?.output_tokens) - reasoning),
    reasoning,
    cacheRead: cached,
    cacheWrite: count(u?.cache_write_input_tokens),
  }
}

/** The difference of two cumulative token counts (a thread's totals), never below zero. */
export function tokensSince(total: TokenUsage, before: TokenUsage): TokenUsage {
  return {
    input: Math.max(0, total.input - before.input),
    output: Math.max(0, total.output - before.output),
    reasoning: Math.max(0, total.reasoning - before.reasoning),
    cacheRead: Math.max(0, total.cacheRead - before.cacheRead),
    cacheWrite: Math.max(0, total.cacheWrite - before.cacheWrite),
  }
}

/**
 * The shell command a Codex tool call runs, and its working folder when given: `exec_command`
 * (`{cmd, workdir}`), the older `shell` (`{command: ["bash", "-lc", "…"], workdir}`) and
 * `local_shell_call` (`{command, working_directory}`). Undefined for other tools.
 */
export function codexShellCall(name: string, args: unknown): { command: string; workdir?: string } | undefined {
  const a = fields(typeof args === 'string' ? parseJson(args) : args)
  if (a === undefined) return undefined
  const workdir = text(a.workdir) ?? text(a.working_directory)
  const command = name === 'exec_command' ? text(a.cmd) : name === 'shell' || name === 'local_shell' || name === 'container.exec' ? shellLine(a.command) : undefined
  return command === undefined ? undefined : { command, ...(workdir === undefined ? {} : { workdir }) }
}

/**
 * A tool call's output as Codex recorded it: the exit code and what the command printed. Reads the
 * unified exec text (`Process exited with code N` … `Output:\n…`) and the older JSON
 * (`{"output": "…", "metadata": {"exit_code": N}}`); other outputs are kept as they are.
 */
export function codexCallOutput(output: unknown): { exitCode?: number; text: string } {
  const raw = typeof output === 'string' ? output : typeof fields(output)?.content === 'string' ? (fields(output)?.content as string) : ''
  const exited = /^Process exited with code (-?\d+)$/m.exec(raw)?.[1]
  if (exited !== undefined) {
    const at = raw.indexOf('\nOutput:\n')
    return { exitCode: Number(exited), text: at === -1 ? '' : raw.slice(at + '\nOutput:\n'.length) }
  }
  const parsed = fields(parseJson(raw))
  const code = fields(parsed?.metadata)?.exit_code
  if (typeof code === 'number' && Number.isInteger(code)) return { exitCode: code, text: text(parsed?.output) ?? '' }
  return { text: raw }
}

function shellLine(command: unknown): string | undefined {
  if (typeof command === 'string') return command
  if (!Array.isArray(command) || !command.every((word) => typeof word === 'string')) return undefined
  const words = command
  // `bash -lc "<script>"`: the script is the command line.
  const script = words.findIndex((word) => word === '-c' || word === '-lc')
  return script !== -1 && words[script + 1] !== undefined ? words.slice(script + 1).join(' ') : words.join(' ')
}

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value)
  } catch {
    return undefined
  }
}

function fields(value: unknown): Fields | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : undefined
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0
}
