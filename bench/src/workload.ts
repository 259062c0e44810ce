import type { Fact } from '@agent-tracker/core'
import { commitFactId, createFactIdGenerator, toolCallFactId, usageFactId } from '@agent-tracker/core'

/** Setup ids of the benchmark workloads. */
export const BENCH_SETUPS = ['build@anthropic/claude-sonnet-4-5', 'build@openai/gpt-5', 'plan@anthropic/claude-opus-4-1', 'build@google/gemini-2.5-pro']

const newId = createFactIdGenerator()

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/**
 * Ids as the OpenCode plugin gives its facts (`toolCallFactId`, `usageFactId`, `commitFactId`):
 * OpenCode's session and message ids rise with time (`ses_`/`msg_`, the time in hex, then random
 * characters), while a tool call's id is the model provider's own, in no order (Anthropic's
 * `toolu_01` and 22 random characters). So a tool call's fact id, `opencode:<session>:<call>`,
 * lands anywhere among its session's: the id index takes it as a put that searches, not an append.
 * Seeded, so every run claims the same ids.
 */
export class OpencodeIds {
  #state: number
  #counter = 0

  constructor(seed = 0x0c0de) {
    this.#state = seed >>> 0
  }

  /** A session id, as OpenCode makes one at `at` (ms). */
  session(at: number): string {
    return this.#ascending('ses', at)
  }

  /** An assistant message's id, as OpenCode makes one at `at` (ms). */
  message(at: number): string {
    return this.#ascending('msg', at)
  }

  /** A tool call's id, as the model provider gives it. */
  call(): string {
    return `toolu_01${this.#random(22)}`
  }

  #ascending(prefix: string, at: number): string {
    this.#counter = (this.#counter + 1) % 0x1000
    return `${prefix}_${(at * 0x1000 + this.#counter).toString(16).padStart(12, '0').slice(-12)}${this.#random(14)}`
  }

  #random(length: number): string {
    let text = ''
    for (let i = 0; i < length; i++) text += BASE62[this.#next() % 62] ?? '0'
    return text
  }

  /** Mulberry32: 32 random bits. */
  #next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0
    let t = this.#state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }
}

/**
 * A realistic mix of facts: mostly tool calls, with usage, commits and grades, in sessions spread
 * over a few setups and projects, with the ids the OpenCode plugin gives them (see
 * {@link OpencodeIds}; a grade's id is generated, as `/grade` does).
 */
export function mixedFacts(count: number, start = Date.UTC(2026, 0, 1)): Fact[] {
  const facts: Fact[] = []
  const ids = new OpencodeIds(start % 0xffff_ffff)
  let commit = 0
  let session = ''
  for (let i = 0; i < count; i++) {
    const ms = start + i * 1000
    // Sessions of 200 facts: one setup in one project each, as an OpenCode process produces them.
    const sessionNumber = Math.floor(i / 200)
    if (i % 200 === 0) session = ids.session(ms)
    const setup = BENCH_SETUPS[sessionNumber % BENCH_SETUPS.length] ?? 'build'
    const project = `/bench/project-${String(sessionNumber % 7)}`
    const base = { at: new Date(ms).toISOString(), setup, project, session }
    const step = i % 50
    if (step === 10) facts.push({ ...base, id: usageFactId('opencode', ids.message(ms)), kind: 'usage', tokens: { input: 12_000, output: 900, reasoning: 0, cacheRead: 8000, cacheWrite: 0 }, cost: 0.02 })
    else if (step === 20) {
      const hash = `c${String(++commit).padStart(8, '0')}${String(start)}`
      facts.push({ ...base, id: commitFactId('opencode', session, ids.call(), hash), kind: 'commit', hash, message: `change ${String(commit)}` })
    } else if (step === 21) facts.push({ ...base, id: newId(), kind: 'grade', commit: `c${String(commit).padStart(8, '0')}${String(start)}`, by: 'user', agentGrade: 2, userGrade: 5 })
    else facts.push({ ...base, id: toolCallFactId('opencode', session, ids.call()), kind: 'tool_call', tool: 'bash', ok: step !== 33 })
  }
  return facts
}
