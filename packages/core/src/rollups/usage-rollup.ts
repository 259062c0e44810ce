import { TrackerError } from '../errors.js'
import type { TokenUsage, UsageFact } from '../facts/facts.js'
import type { GradeProvenance } from '../facts/grade-channel.js'
import { isCountedGrade, shownChannel } from '../facts/grade-channel.js'
import { NO_TOKENS } from '../facts/facts.js'
import type { Grade } from '../facts/grade.js'
import type { Mutable } from '../mutable.js'
import { addTokens } from '../scoring/apply-fact.js'
import { countedCost } from '../facts/counted-cost.js'
import type { CollectionName, CollectionRecords, GradeRollup, GradeSums, UsageCounters, UsageRecord } from '../store/records.js'

/** No grades. */
export const NO_GRADE_SUMS: GradeSums = { count: 0, sum: 0, squares: 0 }

/** No grades from either party. */
export const NO_GRADES: GradeRollup = { agent: NO_GRADE_SUMS, user: NO_GRADE_SUMS, userByChannel: {}, communication: 0 }

/**
 * The rollup as read from a store, with the parts a report adds up checked to be there: a rollup
 * that decoded without them was damaged where it is stored.
 * @throws {TrackerError} DAMAGED_RECORD naming the rollup.
 */
export function storedRollup(rollup: UsageRecord): UsageRecord {
  const grades = rollup.grades as Partial<GradeRollup> | undefined
  const isObject = (value: unknown): boolean => typeof value === 'object' && value !== null
  if (!isObject(grades) || !isObject(grades?.agent) || !isObject(grades?.user) || !isObject(grades?.userByChannel) || !isObject(rollup.tokens)) {
    throw new TrackerError('DAMAGED_RECORD', `The stored day rollup of ${rollup.setup} in ${rollup.project} on ${rollup.day} lacks its grades or tokens: the database file is probably damaged.`)
  }
  return rollup
}

/** Counters that count nothing. */
export const NO_COUNTERS: UsageCounters = { toolCalls: 0, toolFailures: 0, commands: 0, pushes: 0, messages: 0, tokens: NO_TOKENS, cost: 0 }

/** The names of the {@link UsageCounters} that are plain numbers. */
export const COUNTER_FIELDS = ['toolCalls', 'toolFailures', 'commands', 'pushes', 'messages', 'cost'] as const

/** The rollup of a setup's work in a project on a day, counting nothing yet. */
export function emptyUsage(setup: string, project: string, day: string): UsageRecord {
  return {
    v: 2, setup, project, day,
    toolCalls: 0, toolFailures: 0, commands: 0, commits: 0, pushes: 0, messages: 0, tokens: NO_TOKENS, cost: 0,
    bugs: 0, grades: NO_GRADES,
  }
}

/** Grade sums with one more grade. */
export function addGrade(sums: GradeSums, grade: number): GradeSums {
  return { count: sums.count + 1, sum: sums.sum + grade, squares: sums.squares + grade * grade }
}

/** A grade event's grades, where it came from and, where recorded, the communication score around it. */
export type GradeEventLike = GradeProvenance & {
  readonly agentGrade?: Grade | undefined
  readonly userGrade?: Grade | undefined
  readonly scoreBefore?: number | undefined
  readonly scoreAfter?: number | undefined
}

/**
 * How far a grade event moved the communication score: the recorded score after it less the one
 * before (after the score's bounds); for a record of the predecessor's, which carries no scores,
 * its grades where they count, nothing where they do not.
 */
export function communicationMoved(event: GradeEventLike): number {
  if (event.scoreBefore !== undefined && event.scoreAfter !== undefined) return event.scoreAfter - event.scoreBefore
  return isCountedGrade(event) ? (event.agentGrade ?? 0) + (event.userGrade ?? 0) : 0
}

/**
 * The rollup's grades with one grade event's grades added: the agent's; the user's where it counts
 * (see `isCountedGrade`); the user's by channel, counted or not; and how far it moved the
 * communication score. Every grade a rollup holds goes through here, so a further dimension is
 * added in this one place.
 */
export function withGrades(grades: GradeRollup, event: GradeEventLike): GradeRollup {
  const { userGrade } = event
  const communication = grades.communication + communicationMoved(event)
  const counted = isCountedGrade(event)
  // A grade that does not count moves no score: its agent grade (given with it) is not counted either.
  const agent = event.agentGrade === undefined || !counted ? grades.agent : addGrade(grades.agent, event.agentGrade)
  if (userGrade === undefined) return { ...grades, agent, communication }
  const channel = shownChannel(event)
  const before = grades.userByChannel[channel] ?? { grades: 0, counted: 0, sum: 0 }
  return {
    agent,
    user: counted ? addGrade(grades.user, userGrade) : grades.user,
    userByChannel: { ...grades.userByChannel, [channel]: { grades: before.grades + 1, counted: before.counted + (counted ? 1 : 0), sum: before.sum + userGrade } },
    communication,
  }
}




/** True when a rollup counts any commit, bug or grade (uncounted user grades too): the outcomes it holds beside its counters. */
export function hasOutcomes(rollup: Pick<UsageRecord, 'commits' | 'bugs' | 'grades'>): boolean {
  return rollup.commits > 0 || rollup.bugs > 0 || rollup.grades.agent.count > 0 || Object.keys(rollup.grades.userByChannel).length > 0
}

/**
 * True when a rollup (or baseline) holds any counter kept only per day above zero: tool calls,
 * commands, pushes, messages, tokens, cost — and the estimated part of the cost or the responses
 * without a known price, which a report adds up from the same day rollups, so a day holding only
 * those is one a window counts whole or not at all (and names: see `cutDaysOf`), a grouped report
 * shows, and a rollup an import must not count twice. The one test of it for every caller.
 */
export function hasCounters(rollup: UsageCounters): boolean {
  const { tokens } = rollup
  return rollup.toolCalls + rollup.toolFailures + rollup.commands + rollup.pushes + rollup.messages + rollup.cost
    + tokens.input + tokens.output + tokens.reasoning + tokens.cacheRead + tokens.cacheWrite
    + (rollup.estimatedCost ?? 0) + (rollup.unpricedMessages ?? 0) > 0
}

/** The counters of a rollup (or baseline) alone. */
export function countersOf(record: UsageCounters): UsageCounters {
  return {
    toolCalls: record.toolCalls, toolFailures: record.toolFailures, commands: record.commands, pushes: record.pushes,
    messages: record.messages, tokens: record.tokens, cost: record.cost,
    ...(record.estimatedCost === undefined ? {} : { estimatedCost: record.estimatedCost }),
    ...(record.unpricedMessages === undefined ? {} : { unpricedMessages: record.unpricedMessages }),
  }
}

/** Adds `more` to `counters` in place. */
export function addCountersInPlace(counters: Mutable<UsageCounters>, more: UsageCounters): void {
  for (const field of COUNTER_FIELDS) counters[field] = counters[field] + more[field]
  counters.tokens = addTokens(counters.tokens, more.tokens)
  if (more.estimatedCost !== undefined) counters.estimatedCost = (counters.estimatedCost ?? 0) + more.estimatedCost
  if (more.unpricedMessages !== undefined) counters.unpricedMessages = (counters.unpricedMessages ?? 0) + more.unpricedMessages
}

/**
 * Counts one model response's usage in place: a message, its tokens and cost, and — where the cost
 * is no host's own figure — the estimated part of the cost, or a response without a known price.
 */
export function countUsageInPlace(counters: Mutable<UsageCounters>, fact: Pick<UsageFact, 'tokens' | 'cost' | 'costSource'>): void {
  counters.messages = counters.messages + 1
  counters.tokens = addTokens(counters.tokens, fact.tokens)
  counters.cost = counters.cost + countedCost(fact)
  if (fact.costSource === 'estimate') counters.estimatedCost = (counters.estimatedCost ?? 0) + fact.cost
  if (fact.costSource === 'unknown') counters.unpricedMessages = (counters.unpricedMessages ?? 0) + 1
}

/** True when two token counts are equal. */
export function sameTokens(a: TokenUsage, b: TokenUsage): boolean {
  return a.input === b.input && a.output === b.output && a.reasoning === b.reasoning && a.cacheRead === b.cacheRead && a.cacheWrite === b.cacheWrite
}

/** The collections whose records a day rollup counts as they are stored: commits, bugs and grade events. */
export const COUNTED_RECORDS = ['commits', 'bugs', 'gradeEvents'] as const satisfies readonly CollectionName[]

/** Records a day rollup counts as they are stored (see {@link COUNTED_RECORDS}). */
export type CountedRecord = CollectionRecords[(typeof COUNTED_RECORDS)[number]]

/** {@link COUNTED_RECORDS} as a set, for asking of any collection. */
export const COUNTED_COLLECTIONS: ReadonlySet<CollectionName> = new Set(COUNTED_RECORDS)

/** Counts a stored commit, bug or grade event in its day's rollup, in place. */
export function countInRollup(rollup: Mutable<UsageRecord>, collection: CollectionName, record: CountedRecord): void {
  if (collection === 'commits') rollup.commits = rollup.commits + 1
  else if (collection === 'bugs') rollup.bugs = rollup.bugs + 1
  else if (collection === 'gradeEvents') rollup.grades = withGrades(rollup.grades, record as CollectionRecords['gradeEvents'])
}
