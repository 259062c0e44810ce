import type { GradeSums, UsageRecord } from '../store/records.js'
import { recordSlot } from '../store/records.js'
import { countsWork } from './project-days.js'

/**
 * What a recommendation needs of one day rollup: its setup, project and day, its commits and bugs,
 * the user grades that count, and its cost — ten numbers instead of a rollup's forty-odd fields. A
 * day rollup is one (it has them all), and a store may keep them beside the rollups, changed in the
 * same write as them, grouped by project and month: a recommendation then reads the outcomes of
 * the projects like the one it is asked about, and nothing of the others. One per day rollup that
 * counts work (see `countsWork`), whatever work: a rollup of tool calls alone still puts its setup
 * in the project.
 */
export interface OutcomeDay {
  readonly setup: string
  readonly project: string
  /** `YYYY-MM-DD` (UTC), the rollup's day. */
  readonly day: string
  readonly commits: number
  readonly bugs: number
  /** The user grades that count (a rollup's `grades.user`). */
  readonly grades: { readonly user: GradeSums }
  readonly cost: number
  readonly messages: number
  readonly estimatedCost?: number | undefined
  readonly unpricedMessages?: number | undefined
}

/** The numbers of an {@link OutcomeDay}, in the order a store may keep them (see {@link outcomeNumbers}). */
export const OUTCOME_FIELDS = ['commits', 'bugs', 'grades.user.count', 'grades.user.sum', 'grades.user.squares', 'cost', 'messages', 'estimatedCost', 'unpricedMessages'] as const

/** An outcome day's numbers in the order of {@link OUTCOME_FIELDS} (an absent estimate or unpriced count is 0). */
export function outcomeNumbers(day: OutcomeDay): number[] {
  const { user } = day.grades
  return [day.commits, day.bugs, user.count, user.sum, user.squares, day.cost, day.messages, day.estimatedCost ?? 0, day.unpricedMessages ?? 0]
}

/** The outcome day of a setup, project and day from its numbers (see {@link outcomeNumbers}), read from `numbers` at `at`. */
export function outcomeDayFrom(setup: string, project: string, day: string, numbers: ArrayLike<number>, at = 0): OutcomeDay {
  // Field by field, without a helper: a recommendation reads thousands of these.
  return {
    setup, project, day, commits: numbers[at] ?? 0, bugs: numbers[at + 1] ?? 0,
    grades: { user: { count: numbers[at + 2] ?? 0, sum: numbers[at + 3] ?? 0, squares: numbers[at + 4] ?? 0 } },
    cost: numbers[at + 5] ?? 0, messages: numbers[at + 6] ?? 0, estimatedCost: numbers[at + 7] ?? 0, unpricedMessages: numbers[at + 8] ?? 0,
  }
}

/** The outcome day of a day rollup, as a store keeps it: its own object, with no absent number. */
export function outcomeDayOf(rollup: UsageRecord): OutcomeDay {
  return outcomeDayFrom(rollup.setup, rollup.project, rollup.day, outcomeNumbers(rollup))
}

/** True when two outcome days hold the same numbers. */
function sameOutcome(previous: OutcomeDay, next: OutcomeDay): boolean {
  const a = outcomeNumbers(previous)
  const b = outcomeNumbers(next)
  return a.every((value, index) => Object.is(value, b[index]))
}

/** The slot of an outcome day, for maps: its rollup's (`recordSlot('usage', …)`). */
export function outcomeDaySlot(day: Pick<OutcomeDay, 'setup' | 'project' | 'day'>): string {
  return recordSlot('usage', [day.setup, day.project, day.day])
}

/** The outcome days of day rollups (those that count work), as a store keeps them, recomputed; keyed by {@link outcomeDaySlot}. */
export function outcomeDaysOfRollups(rollups: Iterable<UsageRecord>): Map<string, OutcomeDay> {
  const days = new Map<string, OutcomeDay>()
  for (const rollup of rollups) if (countsWork(rollup)) days.set(outcomeDaySlot(rollup), outcomeDayOf(rollup))
  return days
}

/**
 * What replacing a stored day rollup (`previous`, undefined for a new one; `next` undefined for one
 * removed) does to its outcome day: `keep` when it stays as it is (tool calls and tokens alone
 * moved), `remove` when the rollup no longer counts work, else the outcome day to store.
 */
export function outcomeDayMove(previous: UsageRecord | undefined, next: UsageRecord | undefined): OutcomeDay | 'keep' | 'remove' {
  const before = previous !== undefined && countsWork(previous) ? outcomeDayOf(previous) : undefined
  const after = next !== undefined && countsWork(next) ? outcomeDayOf(next) : undefined
  if (after === undefined) return before === undefined ? 'keep' : 'remove'
  return before !== undefined && sameOutcome(before, after) ? 'keep' : after
}
