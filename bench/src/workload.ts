import type { Fact } from '@agent-tracker/core'
import { createFactIdGenerator } from '@agent-tracker/core'

/** Setup ids of the benchmark workloads. */
export const BENCH_SETUPS = ['build@anthropic/claude-sonnet-4-5', 'build@openai/gpt-5', 'plan@anthropic/claude-opus-4-1', 'build@google/gemini-2.5-pro']

const newId = createFactIdGenerator()

/**
 * A realistic mix of facts: mostly tool calls, with usage, commits and grades, in sessions spread
 * over a few setups and projects.
 */
export function mixedFacts(count: number, start = Date.UTC(2026, 0, 1)): Fact[] {
  const facts: Fact[] = []
  let commit = 0
  for (let i = 0; i < count; i++) {
    // Sessions of 200 facts: one setup in one project each, as an OpenCode process produces them.
    const session = Math.floor(i / 200)
    const setup = BENCH_SETUPS[session % BENCH_SETUPS.length] ?? 'build'
    const project = `/bench/project-${String(session % 7)}`
    const base = { id: newId(), at: new Date(start + i * 1000).toISOString(), setup, project, session: `ses_${String(session)}` }
    const step = i % 50
    if (step === 10) facts.push({ ...base, kind: 'usage', tokens: { input: 12_000, output: 900, reasoning: 0, cacheRead: 8000, cacheWrite: 0 }, cost: 0.02 })
    else if (step === 20) facts.push({ ...base, kind: 'commit', hash: `c${String(++commit).padStart(8, '0')}${String(start)}`, message: `change ${String(commit)}` })
    else if (step === 21) facts.push({ ...base, kind: 'grade', commit: `c${String(commit).padStart(8, '0')}${String(start)}`, by: 'user', agentGrade: 2, userGrade: 5 })
    else facts.push({ ...base, kind: 'tool_call', tool: 'bash', ok: step !== 33 })
  }
  return facts
}
