import { NO_TOKENS } from '../facts/facts.js'
import type { ShownGradeChannel } from '../facts/grade-channel.js'
import type { Mutable } from '../mutable.js'
import type { ChannelSums, GradeRollup, GradeSums, UsageCounters, UsageRecord } from '../store/records.js'
import { COUNTER_FIELDS, NO_GRADES, storedRollup } from './usage-rollup.js'

/**
 * A setup's day rollups added up over all its projects and days, with the number of projects it
 * worked in: what the all-time report of a setup needs, in one record. A store may keep these
 * beside the rollups, changed in the same write as them. Key: `[setup]`.
 */
export interface SetupTotalsRecord extends UsageCounters {
  readonly v: 1
  readonly setup: string
  /** Projects with at least one day rollup of the setup. */
  readonly projects: number
  readonly commits: number
  readonly bugs: number
  readonly grades: GradeRollup
}

/** The totals of a setup that has no rollup. */
export function emptySetupTotals(setup: string): SetupTotalsRecord {
  return { v: 1, setup, projects: 0, toolCalls: 0, toolFailures: 0, commands: 0, pushes: 0, messages: 0, tokens: NO_TOKENS, cost: 0, commits: 0, bugs: 0, grades: NO_GRADES }
}

/**
 * The totals with a day rollup added (`sign` 1) or taken away (`sign` −1), and the project count
 * moved by `projectsMoved` (the caller knows whether the rollup was its setup's first or last in
 * that project).
 */
export function addRollupToTotals(totals: SetupTotalsRecord, rollup: UsageRecord, sign: 1 | -1, projectsMoved: -1 | 0 | 1 = 0): SetupTotalsRecord {
  const stored = storedRollup(rollup)
  const add = (a: number, b: number): number => settled(a, sign * b)
  const next: Mutable<SetupTotalsRecord> = { ...totals, projects: totals.projects + projectsMoved }
  for (const field of COUNTER_FIELDS) next[field] = add(totals[field], stored[field])
  const { tokens } = totals
  next.tokens = { input: add(tokens.input, stored.tokens.input), output: add(tokens.output, stored.tokens.output), reasoning: add(tokens.reasoning, stored.tokens.reasoning), cacheRead: add(tokens.cacheRead, stored.tokens.cacheRead), cacheWrite: add(tokens.cacheWrite, stored.tokens.cacheWrite) }
  const estimated = add(totals.estimatedCost ?? 0, stored.estimatedCost ?? 0)
  const unpriced = add(totals.unpricedMessages ?? 0, stored.unpricedMessages ?? 0)
  if (estimated !== 0 || totals.estimatedCost !== undefined) next.estimatedCost = estimated
  if (unpriced !== 0 || totals.unpricedMessages !== undefined) next.unpricedMessages = unpriced
  next.commits = add(totals.commits, stored.commits)
  next.bugs = add(totals.bugs, stored.bugs)
  next.grades = movedGrades(totals.grades, stored.grades, add)
  return next
}

/**
 * `a + b`, and exactly 0 where they cancel but for rounding: a cost added and later taken away
 * (0.1 + 0.2 − 0.1 − 0.2) must leave nothing, not 2.8e-17, which a report would show as money spent.
 */
function settled(a: number, b: number): number {
  const sum = a + b
  return Math.abs(sum) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) ? 0 : sum
}

/** Totals of each setup, added up from its day rollups: what a store keeps, recomputed. */
export function totalsOfRollups(rollups: Iterable<UsageRecord>): Map<string, SetupTotalsRecord> {
  const totals = new Map<string, SetupTotalsRecord>()
  const projects = new Map<string, Set<string>>()
  for (const rollup of rollups) {
    const seen = projects.get(rollup.setup) ?? new Set<string>()
    projects.set(rollup.setup, seen)
    const first = !seen.has(rollup.project)
    seen.add(rollup.project)
    totals.set(rollup.setup, addRollupToTotals(totals.get(rollup.setup) ?? emptySetupTotals(rollup.setup), rollup, 1, first ? 1 : 0))
  }
  return totals
}

function movedGrades(a: GradeRollup, b: GradeRollup, add: (a: number, b: number) => number): GradeRollup {
  const sums = (x: GradeSums, y: GradeSums): GradeSums => ({ count: add(x.count, y.count), sum: add(x.sum, y.sum), squares: add(x.squares, y.squares) })
  const moved = new Map(Object.entries(a.userByChannel) as [ShownGradeChannel, ChannelSums][])
  for (const [channel, more] of Object.entries(b.userByChannel) as [ShownGradeChannel, ChannelSums][]) {
    const had = moved.get(channel) ?? { grades: 0, counted: 0, sum: 0 }
    moved.set(channel, { grades: add(had.grades, more.grades), counted: add(had.counted, more.counted), sum: add(had.sum, more.sum) })
  }
  // A channel whose grades were all taken away leaves no entry behind.
  const userByChannel = Object.fromEntries([...moved].filter(([, channel]) => channel.grades !== 0 || channel.counted !== 0)) as Partial<Record<ShownGradeChannel, ChannelSums>>
  return { agent: sums(a.agent, b.agent), user: sums(a.user, b.user), userByChannel, communication: add(a.communication, b.communication) }
}
