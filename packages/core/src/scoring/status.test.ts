import { describe, expect, it } from 'vitest'
import { createFactScript } from '../testing/fact-script.js'
import { createMemoryStore } from '../testing/memory-store.js'
import { formatStatusLine, toAgentStatus } from './status.js'

describe('formatStatusLine', () => {
  it('agrees in number: 1 commit, 1 bug; 2 commits, 0 bugs', async () => {
    const store = createMemoryStore()
    const script = createFactScript({ setup: 'build@fake/m1', project: '/w/app' })
    await store.applyFacts([script.commit('a1', 'one')])
    const one = await store.get('setups', ['build@fake/m1'])
    if (one === undefined) throw new Error('no setup')
    expect(formatStatusLine(toAgentStatus(one, store.rules))).toBe('build@fake/m1 · SP 1.0 (Probation) · XP 1.0/10.0 · CS 60.0 (Neutral) · 1 commit · 0 bugs')
    await store.applyFacts([script.commit('a2', 'two'), script.bug('user', 'broke it')])
    const two = await store.get('setups', ['build@fake/m1'])
    if (two === undefined) throw new Error('no setup')
    expect(formatStatusLine(toAgentStatus(two, store.rules))).toContain('· 2 commits · 1 bug · HALTED')
  })
})
