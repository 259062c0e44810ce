import type { Fact } from '../facts/facts.js'
import type { Mutable } from '../mutable.js'
import type { CollectionName, RecordKey, UsageRecord } from '../store/records.js'
import { recordSlot } from '../store/records.js'
import type { TrackerStore } from '../store/tracker-store.js'
import { dayOf } from '../time/iso-timestamp.js'
import type { CountedRecord } from './usage-rollup.js'
import { addCountersInPlace, countInRollup, countUsageInPlace, emptyUsage } from './usage-rollup.js'
import type { SetupTotalsRecord } from './setup-totals.js'
import type { DanglingCommits } from '../validation/dangling-commits.js'
import { DanglingCommitCheck } from '../validation/dangling-commits.js'
import { emptySetupTotals, totalsOfRollups } from './setup-totals.js'
import type { ProjectDayRecord } from './project-days.js'
import { projectDaySlot, projectDaysOfRollups } from './project-days.js'
import type { OutcomeDay } from './outcome-days.js'
import { OUTCOME_FIELDS, outcomeDaySlot, outcomeDaysOfRollups, outcomeNumbers } from './outcome-days.js'
import type { ScoreCheck } from './check-scores.js'
import { checkScores } from './check-scores.js'

/** One number of one day rollup that differs from what the facts and records add up to. */
export interface RollupDrift {
  /** The rollup's key: setup, project, day (also for its outcome day); a setup's totals: the setup; a project's day of work: project, day. */
  readonly key: RecordKey
  /**
   * The field, dotted for nested ones: `commits`, `tokens.input`, `grades.user.sum`; `rollup` (stored
   * 1, expected 0) for a stored day rollup that counts nothing and that nothing backs; an outcome
   * day's prefixed with `outcome.` (`outcome.commits`), and `outcome` (1 or 0) for one stored without
   * its rollup or missing beside it.
   */
  readonly field: string
  readonly stored: number
  readonly expected: number
}

/** What a store keeps beside its rollups, as read, for {@link RollupRecount.drift}: each where the store keeps it. */
export interface KeptBesideRollups {
  readonly totals?: readonly SetupTotalsRecord[] | undefined
  readonly projectDays?: readonly ProjectDayRecord[] | undefined
  readonly outcomeDays?: readonly OutcomeDay[] | undefined
}

/** What {@link checkRollups} found. */
export interface RollupCheck {
  /** Day rollups stored. */
  readonly rollups: number
  /** Facts of the fact log replayed. */
  readonly facts: number
  /** Setup totals stored, where the store keeps them (their drift is listed by setup alone). */
  readonly setupTotals?: number
  /** Project days stored, where the store keeps them (their drift is listed by project and day). */
  readonly projectDays?: number
  /** Outcome days stored, where the store keeps them (their drift is listed by their rollup's key, each field as `outcome.<field>`). */
  readonly outcomeDays?: number
  /** Every difference; empty when the rollups (and the setup totals, project days and outcome days) are exact. */
  readonly drift: readonly RollupDrift[]
  /** Each setup's scored state against the same recount (see `checkScores`). */
  readonly scores: ScoreCheck
}

type Draft = Mutable<UsageRecord>

/** What a repair writes: day rollups as they should be, and stored ones nothing backs. */
export interface RollupCorrections {
  /** Rollups whose numbers differ from what backs them (or are missing), recomputed; a stored `baseline` is kept. */
  readonly put: readonly UsageRecord[]
  /** Stored rollups that no record or logged fact backs. */
  readonly remove: readonly UsageRecord[]
}

/**
 * The recount behind {@link checkRollups}, fed one item at a time in any order: every stored day
 * rollup, every stored commit, bug and grade event, and every logged fact. A store that repairs its
 * rollups feeds it inside its own write transaction, synchronously, and writes its corrections.
 */
export class RollupRecount {
  readonly #stored = new Map<string, UsageRecord>()
  readonly #expected = new Map<string, Draft>()
  #facts = 0

  /** Day rollups fed so far. */
  get rollups(): number {
    return this.#stored.size
  }

  /** Logged facts fed so far. */
  get facts(): number {
    return this.#facts
  }

  addStored(rollup: UsageRecord): void {
    this.#stored.set(recordSlot('usage', [rollup.setup, rollup.project, rollup.day]), rollup)
    if (rollup.baseline !== undefined) addCountersInPlace(this.#draftOf(rollup.setup, rollup.project, rollup.day), rollup.baseline)
  }

  addRecord(collection: CollectionName, record: CountedRecord): void {
    countInRollup(this.#draftOf(record.setup, record.project, dayOf(record.at)), collection, record)
  }

  addFact(fact: Fact): void {
    this.#facts += 1
    // Only facts a rollup counts directly touch their day: a grade, an activity or a piece of
    // evidence logged on a day with nothing else backs no rollup there (and a repair adds none).
    if (COUNTED_FACTS.has(fact.kind)) countFact(this.#draftOf(fact.setup, fact.project, dayOf(fact.at)), fact)
  }

  /**
   * Every difference of the stored rollups, and of what a store keeps beside them — its setup
   * totals, project days and outcome days, each where given — from the rollups `against`: the
   * `recounted` ones (what the records and facts add up to, as a repair would leave them: what a
   * check reports, so a total that is right is not called drifted, nor given a drifted rollup's sum
   * as expected), or the `stored` ones (the default: what a repair needs, as it moves them in step
   * with each rollup it rewrites, and must rebuild only those that were off apart from the rollups).
   */
  drift(aside: KeptBesideRollups = {}, against: 'stored' | 'recounted' = 'stored'): RollupDrift[] {
    const { totals, projectDays, outcomeDays } = aside
    const base = against === 'stored' ? [...this.#stored.values()] : this.#recounted()
    const drift: RollupDrift[] = []
    for (const [slot, draft] of this.#expected) compare(drift, [draft.setup, draft.project, draft.day], this.#stored.get(slot), draft)
    for (const [slot, rollup] of this.#stored) {
      if (this.#expected.has(slot)) continue
      const key = [rollup.setup, rollup.project, rollup.day]
      const before = drift.length
      compare(drift, key, rollup, emptyUsage(rollup.setup, rollup.project, rollup.day))
      // A rollup of zeros differs in no number, yet it lists its setup where nothing was done: the repair removes it.
      if (drift.length === before) drift.push({ key, field: 'rollup', stored: 1, expected: 0 })
    }
    if (totals !== undefined) {
      const want = totalsOfRollups(base)
      const have = new Map(totals.map((record) => [record.setup, record]))
      for (const setup of new Set([...want.keys(), ...have.keys()])) compare(drift, [setup], have.get(setup), want.get(setup) ?? emptySetupTotals(setup))
    }
    if (projectDays !== undefined) {
      const want = projectDaysOfRollups(base)
      const have = new Map(projectDays.map((record) => [projectDaySlot(record.project, record.day), record]))
      for (const slot of new Set([...want.keys(), ...have.keys()])) {
        const stored = have.get(slot)
        const expected = want.get(slot)
        const { project, day } = expected ?? stored ?? { project: '', day: '' }
        for (const field of ['rollups', 'commits'] as const) {
          const actual = stored?.[field] ?? 0
          const value = expected?.[field] ?? 0
          if (actual !== value) drift.push({ key: [project, day], field, stored: actual, expected: value })
        }
      }
    }
    if (outcomeDays !== undefined) outcomeDrift(drift, outcomeDaysOfRollups(base), outcomeDays)
    return drift
  }

  /** The day rollups as the records and facts add them up, those a repair would leave stored: each one stored, or counting something. */
  #recounted(): UsageRecord[] {
    return [...this.#expected].flatMap(([slot, draft]) => {
      if (this.#stored.has(slot)) return [draft]
      const found: RollupDrift[] = []
      compare(found, [], undefined, draft)
      return found.length === 0 ? [] : [draft]
    })
  }

  /** Each setup's totals as the records and facts add them up: the recounted day rollups, added up. */
  expectedTotals(): Map<string, SetupTotalsRecord> {
    return totalsOfRollups(this.#expected.values())
  }

  /** The rollups to write so that none drifts (see {@link RollupCorrections}); nothing when none does. */
  corrections(): RollupCorrections {
    const put: UsageRecord[] = []
    const remove: UsageRecord[] = []
    for (const [slot, draft] of this.#expected) {
      const stored = this.#stored.get(slot)
      const found: RollupDrift[] = []
      compare(found, [], stored, draft)
      // A day with nothing stored and nothing counted (only grades without effect, activities, evidence) is no drift.
      if (found.length === 0) continue
      put.push(stored?.baseline === undefined ? { ...draft } : { ...draft, baseline: stored.baseline })
    }
    for (const [slot, rollup] of this.#stored) if (!this.#expected.has(slot)) remove.push(rollup)
    return { put, remove }
  }

  #draftOf(setup: string, project: string, day: string): Draft {
    const slot = recordSlot('usage', [setup, project, day])
    let draft = this.#expected.get(slot)
    if (draft === undefined) {
      draft = emptyUsage(setup, project, day)
      this.#expected.set(slot, draft)
    }
    return draft
  }
}

/**
 * Recomputes every day rollup from what backs it and compares: commits, bugs and grades from the
 * stored commit, bug and grade-event records; tool calls, commands, pushes, messages, tokens and
 * cost from the fact log plus each rollup's `baseline` (what no logged fact backs). Reads every
 * rollup, those records and the whole log, a piece at a time; a check, not a hot path. A store
 * that keeps setup totals and project days has them checked too, against the recounted rollups (so
 * a drifted rollup is reported once, not again in the totals it does not match), and each setup's scored state
 * is checked against the recount (see `checkScores`).
 */
export function checkRollups(store: TrackerStore): Promise<RollupCheck> {
  return recountStore(store)
}

/** What {@link checkRecords} found: the rollups' drift, and the records that name a commit no commit record holds. */
export interface RecordCheck {
  readonly rollups: RollupCheck
  readonly dangling: DanglingCommits
}

/**
 * {@link checkRollups}, and in the same pass over the bugs, grade events and commits (plus one over
 * the retrospectives) every record that names a commit of its project that no commit record holds
 * (see `DanglingCommitCheck`): one lookup per reference, memory growing with what dangles only.
 */
export async function checkRecords(store: TrackerStore): Promise<RecordCheck> {
  const dangling = new DanglingCommitCheck(store)
  for await (const retrospective of store.scan('retrospectives')) await dangling.reference('retrospectives', retrospective)
  const rollups = await recountStore(store, dangling)
  return { rollups, dangling: await dangling.result() }
}

async function recountStore(store: TrackerStore, dangling?: DanglingCommitCheck): Promise<RollupCheck> {
  const recount = new RollupRecount()
  for await (const rollup of store.scan('usage')) recount.addStored(rollup)
  // Commits last: by then every reference is seen, and an amend can say which commit replaced a dangling one.
  for await (const bug of store.scan('bugs')) {
    recount.addRecord('bugs', bug)
    await dangling?.reference('bugs', bug)
  }
  for await (const event of store.scan('gradeEvents')) {
    recount.addRecord('gradeEvents', event)
    await dangling?.reference('gradeEvents', event)
  }
  for await (const commit of store.scan('commits')) {
    recount.addRecord('commits', commit)
    dangling?.commit(commit)
  }
  for await (const { fact } of store.readFactLog()) recount.addFact(fact)
  // A store's setup totals and project days must add up the rollups as the records and facts have them.
  const totals = await store.setupTotals?.()
  const projectDays = await store.projectDays?.()
  const outcomeDays = await store.outcomeDays?.()
  const scores = checkScores(await store.find('setups', { order: 'any' }), recount.expectedTotals())
  return {
    rollups: recount.rollups,
    facts: recount.facts,
    drift: recount.drift({ totals, projectDays, outcomeDays }, 'recounted'),
    scores,
    ...(totals === undefined ? {} : { setupTotals: totals.length }),
    ...(projectDays === undefined ? {} : { projectDays: projectDays.length }),
    ...(outcomeDays === undefined ? {} : { outcomeDays: outcomeDays.length }),
  }
}

/** The kinds of fact that {@link countFact} counts. */
const COUNTED_FACTS: ReadonlySet<Fact['kind']> = new Set(['tool_call', 'command', 'push', 'usage'])

/** Adds what a logged fact adds to its day rollup directly (commits, bugs and grades are counted from records). */
function countFact(draft: Draft, fact: Fact): void {
  switch (fact.kind) {
    case 'tool_call':
      draft.toolCalls += 1
      if (!fact.ok) draft.toolFailures += 1
      return
    case 'command':
      draft.commands += 1
      return
    case 'push':
      draft.pushes += 1
      return
    case 'usage':
      countUsageInPlace(draft, fact)
      return
    default:
      return
  }
}

/** What both a day rollup and a setup's totals add up. */
type Counted = Omit<SetupTotalsRecord, 'v' | 'setup' | 'projects'> & { readonly projects?: number }

/** The numbers of a rollup (or a setup's totals) by dotted field name. */
function numbersOf(rollup: Counted): [string, number][] {
  const { tokens, grades } = rollup
  const dotted = (prefix: string, sums: object): [string, number][] =>
    Object.entries(sums as Readonly<Record<string, number>>).map(([name, value]) => [`${prefix}.${name}`, value])
  return [
    ['toolCalls', rollup.toolCalls], ['toolFailures', rollup.toolFailures], ['commands', rollup.commands], ['pushes', rollup.pushes],
    ['messages', rollup.messages], ['cost', rollup.cost], ['estimatedCost', rollup.estimatedCost ?? 0], ['unpricedMessages', rollup.unpricedMessages ?? 0],
    ['commits', rollup.commits], ['bugs', rollup.bugs], ...(rollup.projects === undefined ? [] : [['projects', rollup.projects] as [string, number]]),
    ...dotted('tokens', tokens),
    ...dotted('grades.agent', grades.agent),
    ...dotted('grades.user', grades.user),
    ...Object.entries(grades.userByChannel).flatMap(([channel, sums]) => dotted(`grades.userByChannel.${channel}`, sums)),
    ['grades.communication', grades.communication],
  ]
}

function compare<R extends Counted>(drift: RollupDrift[], key: RecordKey, stored: R | undefined, expected: R): void {
  const have = new Map(stored === undefined ? [] : numbersOf(stored))
  const want = new Map(numbersOf(expected))
  for (const field of new Set([...want.keys(), ...have.keys()])) {
    const value = want.get(field) ?? 0
    const actual = have.get(field) ?? 0
    if (differs(actual, value)) drift.push({ key, field, stored: actual, expected: value })
  }
}

/** Whether two sums differ by more than their last bits: sums of costs added in another order may differ there. */
function differs(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) > 1e-9 * Math.max(1, Math.abs(actual), Math.abs(expected))
}

/** Adds the differences of stored outcome days from those of the rollups (`want`, by slot): every number, and an outcome day without its rollup or a rollup without one. */
function outcomeDrift(drift: RollupDrift[], want: ReadonlyMap<string, OutcomeDay>, stored: readonly OutcomeDay[]): void {
  const have = new Map(stored.map((day) => [outcomeDaySlot(day), day]))
  for (const slot of new Set([...want.keys(), ...have.keys()])) {
    const actual = have.get(slot)
    const expected = want.get(slot)
    const { setup, project, day } = expected ?? actual ?? { setup: '', project: '', day: '' }
    const key = [setup, project, day]
    if (actual === undefined || expected === undefined) {
      drift.push({ key, field: 'outcome', stored: actual === undefined ? 0 : 1, expected: expected === undefined ? 0 : 1 })
      continue
    }
    const a = outcomeNumbers(actual)
    const e = outcomeNumbers(expected)
    OUTCOME_FIELDS.forEach((field, index) => {
      const value = a[index] ?? 0
      const want = e[index] ?? 0
      if (differs(value, want)) drift.push({ key, field: `outcome.${field}`, stored: value, expected: want })
    })
  }
}
