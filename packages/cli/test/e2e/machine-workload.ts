import type { Fact } from '@agent-tracker/core'
import { createFactScript } from '@agent-tracker/core/testing'

/** The two setups every machine works with. */
export const SHARED_SETUPS = ['build@fake/m1', 'review@fake/m2'] as const

/**
 * One machine's facts: cycles of ten — eight tool calls (one failing), a commit and its neutral
 * grade — taking turns between the shared setups. No score reaches a bound, so the totals do not
 * depend on the order machines' facts arrive in.
 */
export function machineFacts(machine: number, count: number): Fact[] {
  const project = `/projects/p${String(machine % 2)}`
  const start = new Date(Date.UTC(2026, 6, 1) + machine * 1000).toISOString()
  const scripts = SHARED_SETUPS.map((setup) => createFactScript({ setup, project, session: `ses_m${String(machine)}`, start, stepMs: 4000 }))
  const facts: Fact[] = []
  for (let cycle = 0; facts.length < count; cycle++) {
    const s = scripts[cycle % scripts.length]
    if (s === undefined) break
    const hash = `m${String(machine)}c${String(cycle)}`
    for (let call = 0; call < 8; call++) facts.push(s.toolCall(call === 3 ? 'edit' : 'bash', call !== 5))
    facts.push(s.commit(hash, `change ${String(cycle)}`), s.grade(hash, { by: 'user', agentGrade: 1, userGrade: 1 }))
  }
  return facts.slice(0, count)
}
