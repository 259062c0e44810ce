import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { communicationCap, initialState } from './agent-state.js'
import { applyFact, applyFacts } from './apply-fact.js'
import type { Fact, Party } from '../facts/facts.js'
import type { Grade } from '../facts/grade.js'
import { GRADES } from '../facts/grade.js'
import { COLLECTIONS } from '../store/records.js'
import { resolveRules } from './rules.js'
import { createMemoryStore } from '../testing/memory-store.js'

const SETUPS = ['build@fake/m1', 'plan@fake/m2']
const PROJECTS = ['/work/a', '/work/b:c']
const HASHES = ['aaaa1111', 'bbbb2222', 'cccc3333', 'dddd4444']

const grade: fc.Arbitrary<Grade> = fc.constantFrom(...GRADES)
const party: fc.Arbitrary<Party> = fc.constantFrom('agent', 'user')

/** One fact of any kind, with few hashes so that repeats (duplicate commits, regrades) happen. */
const factBody = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('tool_call' as const), tool: fc.constantFrom('bash', 'edit', 'read'), ok: fc.boolean() }) },
  fc.record({ kind: fc.constant('command' as const), command: fc.constantFrom('grade', 'bug') }),
  fc.record({ kind: fc.constant('commit' as const), hash: fc.constantFrom(...HASHES), message: fc.string({ minLength: 1, maxLength: 12 }).filter((m) => m.trim() !== '') }),
  fc.record({ kind: fc.constant('push' as const) }),
  fc.record({ kind: fc.constant('grade' as const), commit: fc.constantFrom(...HASHES), by: fc.constant('agent' as const), agentGrade: grade }),
  fc.record({ kind: fc.constant('grade' as const), commit: fc.constantFrom(...HASHES), by: fc.constant('user' as const), userGrade: grade, agentGrade: grade }),
  fc.record({ kind: fc.constant('bug' as const), by: party }),
  fc.record({ kind: fc.constant('reinstate' as const) }),
  fc.record({ kind: fc.constant('activity' as const), task: fc.constant('t'), actions: fc.constant('a'), outcome: fc.constant('o'), decisions: fc.constant('d') }),
  fc.record({
    kind: fc.constant('usage' as const),
    tokens: fc.record({ input: fc.nat(5000), output: fc.nat(900), reasoning: fc.nat(100), cacheRead: fc.nat(100), cacheWrite: fc.nat(100) }),
    cost: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
)

// `size: 'max'` lets sequences reach maxLength: fast-check's default size stops arrays at 10
// elements, too short for level-up chains or a run of tool calls that crosses midnight.
const factSequence = fc
  .array(fc.tuple(factBody, fc.constantFrom(...SETUPS), fc.constantFrom(...PROJECTS)), { maxLength: 120, size: 'max' })
  .map((items) =>
    items.map(([body, setup, project], i): Fact => ({
      ...body,
      id: `f${String(i).padStart(4, '0')}`,
      // From 22:30 UTC, so that longer sequences cross midnight (tool calls are grouped per day).
      at: new Date(Date.UTC(2025, 11, 31, 22, 30) + i * 97_000).toISOString(),
      setup,
      project,
    })),
  )

const ruleSets = fc.record({
  experience: fc.record({ toolCall: fc.oneof(fc.constant(0.1), fc.double({ min: 0, max: 3, noNaN: true })), push: fc.integer({ min: 0, max: 80 }) }),
  bug: fc.record({ skillPointPenalty: fc.integer({ min: 0, max: 3 }) }),
  levelUp: fc.record({ experiencePerSkillPoint: fc.double({ min: 0.5, max: 20, noNaN: true }) }),
})

describe('applyFact invariants (property-based)', () => {
  it('keeps SP ≥ 0, 0 ≤ CS ≤ cap and whole, non-negative counts after every fact', () => {
    fc.assert(
      fc.property(factSequence, ruleSets, (facts, input) => {
        const rules = resolveRules(input)
        let state = initialState(rules)
        for (const fact of facts) {
          state = applyFact(state, fact, rules)
          expect(state.skillPoints).toBeGreaterThanOrEqual(0)
          expect(state.experience).toBeGreaterThanOrEqual(0)
          expect(state.communication).toBeGreaterThanOrEqual(0)
          expect(state.communication).toBeLessThanOrEqual(communicationCap(state.skillPoints, rules))
          if (state.skillPoints > 0) expect(state.experience).toBeLessThan(rules.levelUp.experiencePerSkillPoint * state.skillPoints)
          for (const count of [state.commits, state.pushes, state.bugs, state.toolCalls, state.toolFailures, state.commands, state.messages]) {
            expect(Number.isInteger(count) && count >= 0).toBe(true)
          }
          expect(state.toolFailures).toBeLessThanOrEqual(state.toolCalls)
        }
      }),
    )
  })

  it('is deterministic: the same facts give the same state', () => {
    fc.assert(
      fc.property(factSequence, ruleSets, (facts, input) => {
        const rules = resolveRules(input)
        expect(applyFacts(initialState(rules), facts, rules)).toEqual(applyFacts(initialState(rules), [...facts], rules))
      }),
    )
  })

  it('plans runs of tool calls to exactly the state and records that fact-by-fact application gives', async () => {
    const toolCallHeavy = fc
      .array(fc.tuple(fc.oneof({ weight: 12, arbitrary: fc.record({ kind: fc.constant('tool_call' as const), tool: fc.constant('bash'), ok: fc.boolean() }) }, factBody), fc.constantFrom(...SETUPS)), { maxLength: 300, size: 'max' })
      .map((items) => items.map(([body, setup], i): Fact => ({ ...body, id: `r${String(i).padStart(4, '0')}`, at: new Date(Date.UTC(2026, 0, 1) + i * 40 * 60_000).toISOString(), setup, project: '/work/a' })))
    await fc.assert(
      fc.asyncProperty(toolCallHeavy, ruleSets, async (facts, input) => {
        const rules = resolveRules(input)
        const store = createMemoryStore({ rules: input })
        const oneByOne = createMemoryStore({ rules: input })
        await store.applyFacts(facts)
        for (const fact of facts) await oneByOne.applyFacts([fact])
        const applied = deduplicated(facts)
        for (const setup of SETUPS) {
          const stored = (await store.get('setups', [setup]))?.state ?? initialState(rules)
          expect(stored).toEqual(applyFacts(initialState(rules), applied.filter((fact) => fact.setup === setup), rules))
        }
        // Runs are planned per setup, project and day: every record, not only the state, must
        // match what fact-by-fact application stores.
        for (const collection of COLLECTIONS) expect(await store.find(collection)).toEqual(await oneByOne.find(collection))
      }),
      { numRuns: 150 },
    )
  })

  it('gives the same stored records whether a sequence is applied whole or split into any batches', async () => {
    await fc.assert(
      fc.asyncProperty(factSequence, fc.array(fc.nat(120), { maxLength: 10 }), async (facts, cuts) => {
        const whole = createMemoryStore()
        const split = createMemoryStore()
        await whole.applyFacts(facts)
        const bounds = [...new Set([0, ...cuts.map((c) => Math.min(c, facts.length)), facts.length])].sort((a, b) => a - b)
        for (let i = 1; i < bounds.length; i++) await split.applyFacts(facts.slice(bounds[i - 1], bounds[i]))
        for (const collection of COLLECTIONS) {
          expect(await split.find(collection)).toEqual(await whole.find(collection))
        }
      }),
      { numRuns: 60 },
    )
  })
})

/** The facts a store applies: a commit already recorded in the project, or a grade a party already gave, is skipped. */
function deduplicated(facts: readonly Fact[]): Fact[] {
  const commits = new Set<string>()
  const graded = new Map<string, { agent: boolean; user: boolean }>()
  const kept: Fact[] = []
  for (const fact of facts) {
    if (fact.kind === 'commit') {
      if (commits.has(`${fact.project}|${fact.hash}`)) continue
      commits.add(`${fact.project}|${fact.hash}`)
    }
    if (fact.kind === 'grade') {
      const key = `${fact.setup}|${fact.commit}`
      const seen = graded.get(key) ?? { agent: false, user: false }
      const agentGrade = seen.agent ? undefined : fact.agentGrade
      const userGrade = seen.user ? undefined : fact.userGrade
      if (agentGrade === undefined && userGrade === undefined) continue
      graded.set(key, { agent: seen.agent || agentGrade !== undefined, user: seen.user || userGrade !== undefined })
      const { agentGrade: _a, userGrade: _u, ...rest } = fact
      kept.push({ ...rest, ...(agentGrade === undefined ? {} : { agentGrade }), ...(userGrade === undefined ? {} : { userGrade }) })
      continue
    }
    kept.push(fact)
  }
  return kept
}
