import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { AgentState } from '../scoring/agent-state.js'
import { applyFact } from '../scoring/apply-fact.js'
import type { Fact, Party } from '../facts/facts.js'
import type { Grade } from '../facts/grade.js'
import { GRADES } from '../facts/grade.js'
import { GRADE_CHANNELS } from '../facts/grade-channel.js'
import type { FactPlan } from './plan-facts.js'
import type { RecordReader } from './plan-overlay.js'
import { planFacts } from './plan-facts.js'
import type { CollectionName, CollectionRecords, RecordKey } from '../store/records.js'
import type { ScoringRules } from '../scoring/rules.js'
import { resolveRules } from '../scoring/rules.js'
import { applyFactReference, planFactsReference } from '../../test/plan-facts-reference.js'

const SETUPS = ['build@fake/m1', 'plan@fake/m2', 'solo']
const PROJECTS = ['/work/a', '/work/b:c', 'C:\\work\\d']
// More hashes than get committed: some grades, bugs and retrospectives name unknown commits.
const HASHES = ['aaaa1111', 'bbbb2222', 'cccc3333', 'dddd4444', 'eeee5555']

const grade: fc.Arbitrary<Grade> = fc.constantFrom(...GRADES)
const party: fc.Arbitrary<Party> = fc.constantFrom('agent', 'user')
const hash = fc.constantFrom(...HASHES)
const text = fc.constantFrom('fix it', 'refactor', '')
const maybe = <T>(arbitrary: fc.Arbitrary<T>): { arbitrary: fc.Arbitrary<T>; requiredKeys: never[] } => ({ arbitrary, requiredKeys: [] })

/** Every kind of fact with its optional fields present or absent; tool calls most often, as in real sessions. */
const factBody = fc.oneof(
  { weight: 12, arbitrary: fc.record({ kind: fc.constant('tool_call' as const), tool: fc.constantFrom('bash', 'edit'), ok: fc.boolean(), exitCode: fc.integer({ min: 0, max: 2 }) }, { requiredKeys: ['kind', 'tool', 'ok'] }) },
  fc.record({ kind: fc.constant('command' as const), command: fc.constantFrom('grade', 'bug') }),
  fc.record({ kind: fc.constant('commit' as const), hash, message: text, task: text, session: fc.constant('ses_1') }, { requiredKeys: ['kind', 'hash', 'message'] }),
  fc.record({ kind: fc.constant('push' as const), remote: fc.constant('origin') }, { requiredKeys: ['kind'] }),
  fc.record({ kind: fc.constant('grade' as const), commit: hash, by: fc.constant('agent' as const), agentGrade: grade, agentNote: text, task: text }, { requiredKeys: ['kind', 'commit', 'by', 'agentGrade'] }),
  fc.record({ kind: fc.constant('grade' as const), commit: hash, by: fc.constant('user' as const), userGrade: grade, agentGrade: grade, userNote: text, channel: fc.constantFrom(...GRADE_CHANNELS), vouched: fc.constant(true as const) }, { requiredKeys: ['kind', 'commit', 'by', 'userGrade'] }),
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('bug' as const), by: party, commit: hash, note: text }, { requiredKeys: ['kind', 'by'] }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reinstate' as const), note: text }, { requiredKeys: ['kind'] }) },
  fc.record({ kind: fc.constant('retrospective' as const), commit: hash, task: text, agentNote: text, userNote: text, extra: fc.dictionary(fc.constantFrom('sp_before', 'mood'), fc.integer()) }, { requiredKeys: ['kind', 'commit'] }),
  fc.record({ kind: fc.constant('activity' as const), task: text, actions: text, outcome: text, decisions: text, session: fc.constant('ses_2') }, { requiredKeys: ['kind', 'task', 'actions', 'outcome', 'decisions'] }),
  fc.record({
    kind: fc.constant('usage' as const),
    tokens: fc.record({ input: fc.nat(5000), output: fc.nat(900), reasoning: fc.nat(100), cacheRead: fc.nat(100), cacheWrite: fc.nat(100) }),
    cost: fc.double({ min: 0, max: 1, noNaN: true }),
    costSource: fc.constantFrom('estimate' as const, 'unknown' as const),
    message: maybe(fc.constant('msg_1')).arbitrary,
  }, { requiredKeys: ['kind', 'tokens', 'cost'] }),
)

const step = fc.record({
  body: factBody,
  // Mostly the context of the previous fact, so that sessions form runs; sometimes another one.
  switchContext: fc.integer({ min: 0, max: 7 }),
  setup: fc.constantFrom(...SETUPS),
  project: fc.constantFrom(...PROJECTS),
  jitterMinutes: fc.integer({ min: -2000, max: 2000 }),
  repeatOf: fc.option(fc.nat(), { freq: 8 }),
})

/** Sessions of facts over several setups, projects and days, in or out of time order, with repeated facts. */
const factSequence = fc
  .tuple(fc.array(step, { maxLength: 160, size: 'max' }), fc.boolean())
  .map(([steps, inOrder]) => {
    const facts: Fact[] = []
    let setup = SETUPS[0] ?? ''
    let project = PROJECTS[0] ?? ''
    steps.forEach((item, i) => {
      const repeated = item.repeatOf === null || i === 0 ? undefined : facts[item.repeatOf % i]
      if (repeated !== undefined) {
        // The same fact again (a repeat, by its id), or the same event under a new id (which may have no effect left).
        facts.push(item.switchContext % 2 === 0 ? repeated : { ...repeated, id: `r${String(i).padStart(4, '0')}` })
        return
      }
      if (item.switchContext === 0) ({ setup, project } = item)
      // From 23:00 UTC, 7 minutes apart: longer sequences cross midnight, and jitter crosses days both ways.
      const time = Date.UTC(2025, 11, 31, 23) + i * 7 * 60_000 + (inOrder ? 0 : item.jitterMinutes * 60_000)
      facts.push({ ...item.body, id: `f${String(i).padStart(4, '0')}`, at: new Date(time).toISOString(), setup, project })
    })
    return facts
  })

/** Rules that make halts, reinstatements and level-ups frequent, and initial states that are not settled yet. */
const ruleSets = fc.record({
  initial: fc.record({ skillPoints: fc.oneof(fc.constant(1), fc.constant(1e-7), fc.double({ min: 0.01, max: 4, noNaN: true })), experience: fc.double({ min: 0, max: 40, noNaN: true }), communication: fc.double({ min: 0, max: 300, noNaN: true }) }),
  experience: fc.record({ toolCall: fc.oneof(fc.constant(0.1), fc.double({ min: 0, max: 3, noNaN: true })), command: fc.integer({ min: 0, max: 3 }), push: fc.integer({ min: 0, max: 20 }), gradedCommit: fc.double({ min: 0, max: 2, noNaN: true }) }),
  bug: fc.record({ skillPointPenalty: fc.integer({ min: 0, max: 3 }) }),
  levelUp: fc.record({ experiencePerSkillPoint: fc.double({ min: 0.5, max: 20, noNaN: true }) }),
  communication: fc.record({ minimumCap: fc.integer({ min: 0, max: 100 }), capPerSkillPoint: fc.double({ min: 0, max: 100, noNaN: true }) }),
  reinstate: fc.record({ skillPoints: fc.double({ min: 0.5, max: 3, noNaN: true }) }),
})

interface StoredRecords {
  readonly reader: RecordReader
  readonly reads: Set<string>
}

/**
 * A reader over records planned earlier, which notes every key read. Records are deep-frozen, so
 * that a planner changing one fails; `foreign` ones have their fields in reverse order and one
 * more, as an older or newer writer might store them, which a planner must keep as they are.
 */
function storedRecords(plan: FactPlan | undefined, foreign = false): StoredRecords {
  const records = new Map<string, unknown>()
  const claimed = new Set((plan?.logged ?? []).map((fact) => fact.id))
  for (const write of plan?.writes ?? []) {
    const record = foreign ? reshaped(write.record) : structuredClone(write.record)
    records.set(slotOf(write.collection, write.key), deepFreeze(record))
  }
  const reads = new Set<string>()
  return {
    reads,
    reader: {
      claimFact: (id) => !claimed.has(id) && Boolean(claimed.add(id)),
      recordsSince: () => [],
      get: <C extends CollectionName>(collection: C, key: RecordKey) => {
        reads.add(slotOf(collection, key))
        return records.get(slotOf(collection, key)) as CollectionRecords[C] | undefined
      },
    },
  }
}

function slotOf(collection: CollectionName, key: RecordKey): string {
  return JSON.stringify([collection, key])
}

function reshaped(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value
  const entries = Object.entries(value).reverse().map(([key, inner]) => [key, reshaped(inner)])
  return Object.fromEntries([...entries, ['keptFromElsewhere', 1]])
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner)
    Object.freeze(value)
  }
  return value
}

/** The plan with every object as its entries, so that comparing also compares the order of fields. */
function inOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(inOrder)
  if (typeof value === 'object' && value !== null) return Object.entries(value).map(([key, inner]) => [key, inOrder(inner)])
  return value
}

function expectSamePlan(facts: readonly Fact[], rules: ScoringRules, stored: FactPlan | undefined, foreign = false): void {
  const expected = storedRecords(stored, foreign)
  const actual = storedRecords(stored, foreign)
  const reference = planFactsReference(expected.reader, facts, rules)
  const optimised = planFacts(actual.reader, facts, rules)
  expect(inOrder(optimised)).toStrictEqual(inOrder(reference))
  // A write buffer fetches what the planner reads: the planner must need no other records.
  expect([...actual.reads].sort()).toEqual([...expected.reads].sort())
}

describe('planFacts matches the straightforward planner (property-based)', () => {
  it('plans the same writes in the same order, the same applied count and skips, on an empty store', () => {
    fc.assert(
      fc.property(factSequence, ruleSets, (facts, input) => {
        expectSamePlan(facts, resolveRules(input), undefined)
      }),
      { numRuns: 300 },
    )
  })

  it('plans the same on top of stored records, including records the batch repeats and records of another shape', () => {
    fc.assert(
      fc.property(factSequence, ruleSets, fc.nat(), fc.nat(), fc.boolean(), (facts, input, storedUpTo, batchFrom, foreign) => {
        const rules = resolveRules(input)
        const cut = storedUpTo % (facts.length + 1)
        const stored = planFactsReference(storedRecords(undefined).reader, facts.slice(0, cut), rules)
        // The batch starts anywhere, also before the stored facts end: those facts come again.
        expectSamePlan(facts.slice(batchFrom % (facts.length + 1)), rules, stored, foreign)
      }),
      { numRuns: 300 },
    )
  })

  it('applies a fact to the same state, down to the order of fields, whatever the shape of the state', () => {
    const count = fc.nat(50)
    const score = fc.oneof(fc.constant(0), fc.double({ min: 0, max: 400, noNaN: true }))
    const state = fc.record({
      skillPoints: fc.oneof(fc.constant(0), fc.constant(1e-7), fc.double({ min: 0, max: 6, noNaN: true })),
      experience: score,
      communication: score,
      commits: count, pushes: count, bugs: count, toolCalls: count, toolFailures: count, commands: count,
      agentGrades: fc.record({ count, sum: fc.integer({ min: -50, max: 50 }) }),
      userGrades: fc.record({ count, sum: fc.integer({ min: -50, max: 50 }) }),
      messages: count,
      tokens: fc.record({ input: count, output: count, reasoning: count, cacheRead: count, cacheWrite: count }),
      cost: fc.double({ min: 0, max: 5, noNaN: true }),
    })
    fc.assert(
      fc.property(state, factSequence, ruleSets, fc.boolean(), (start, facts, input, foreign) => {
        const rules = resolveRules(input)
        let expected = (foreign ? reshaped(start) : start) as AgentState
        let actual = expected
        for (const fact of facts.slice(0, 20)) {
          expected = applyFactReference(expected, fact, rules)
          actual = applyFact(actual, fact, rules)
          expect(inOrder(actual)).toStrictEqual(inOrder(expected))
        }
      }),
      { numRuns: 200 },
    )
  })

  it('plans the same for the benchmark shape: long runs of tool calls broken by usage, commits and grades', () => {
    const session = fc.record({ setup: fc.constantFrom(...SETUPS), project: fc.constantFrom(...PROJECTS), length: fc.integer({ min: 1, max: 120 }) })
    fc.assert(
      fc.property(fc.array(session, { maxLength: 8 }), (sessions) => {
        const facts: Fact[] = []
        for (const { setup, project, length } of sessions) {
          for (let i = 0; i < length; i++) {
            const n = facts.length
            const base = { id: `b${String(n)}`, at: new Date(Date.UTC(2026, 0, 1, 20) + n * 60_000).toISOString(), setup, project }
            const at = i % 50
            if (at === 10) facts.push({ ...base, kind: 'usage', tokens: { input: 12_000, output: 900, reasoning: 0, cacheRead: 8000, cacheWrite: 0 }, cost: 0.02 })
            else if (at === 20) facts.push({ ...base, kind: 'commit', hash: `c${String(n)}`, message: 'change' })
            else if (at === 21) facts.push({ ...base, kind: 'grade', commit: `c${String(n - 1)}`, by: 'user', agentGrade: 2, userGrade: 5 })
            else facts.push({ ...base, kind: 'tool_call', tool: 'bash', ok: at !== 33 })
          }
        }
        expectSamePlan(facts, resolveRules(), undefined)
      }),
      { numRuns: 100 },
    )
  })
})
