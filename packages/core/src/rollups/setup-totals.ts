import { NO_TOKENS } from '../facts/facts.js'
import type { TokenUsage } from '../facts/facts.js'
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
  const next: Mutable<SetupTotalsRecord> = { ...totals, projects: totals.projects + projectsMoved }
  for (const field of COUNTER_FIELDS) next[field] = totals[field] + sign * stored[field]
  next.tokens = signedTokens(totals.tokens, stored.tokens, sign)
  const estimated = (totals.estimatedCost ?? 0) + sign * (stored.estimatedCost ?? 0)
  const unpriced = (totals.unpricedMessages ?? 0) + sign * (stored.unpricedMessages ?? 0)
  if (estimated !== 0 || totals.estimatedCost !== undefined) next.estimatedCost = estimated
  if (unpriced !== 0 || totals.unpricedMessages !== undefined) next.unpricedMessages = unpriced
  next.commits = totals.commits + sign * stored.commits
  next.bugs = totals.bugs + sign * stored.bugs
  next.grades = signedGrades(totals.grades, stored.grades, sign)
  return next
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

function signedTokens(a: TokenUsage, b: TokenUsage, sign: 1 | -1): TokenUsage {
  return { input: a.input + sign * b.input, output: a.output + sign * b.output, reasoning: a.reasoning + sign * b.reasoning, cacheRead: a.cacheRead + sign * b.cacheRead, cacheWrite: a.cacheWrite + sign * b.cacheWrite }
}

function signedSums(a: GradeSums, b: GradeSums, sign: 1 | -1): GradeSums {
  return { count: a.count + sign * b.count, sum: a.sum + sign * b.sum, squares: a.squares + sign * b.squares }
}

function signedGrades(a: GradeRollup, b: GradeRollup, sign: 1 | -1): GradeRollup {
  const moved = new Map(Object.entries(a.userByChannel) as [ShownGradeChannel, ChannelSums][])
  for (const [channel, sums] of Object.entries(b.userByChannel) as [ShownGradeChannel, ChannelSums][]) {
    const had = moved.get(channel) ?? { grades: 0, counted: 0, sum: 0 }
    moved.set(channel, { grades: had.grades + sign * sums.grades, counted: had.counted + sign * sums.counted, sum: had.sum + sign * sums.sum })
  }
  // A channel whose grades were all taken away leaves no entry behind.
  const userByChannel = Object.fromEntries([...moved].filter(([, sums]) => sums.grades !== 0 || sums.counted !== 0)) as Partial<Record<ShownGradeChannel, ChannelSums>>
  return { agent: signedSums(a.agent, b.agent, sign), user: signedSums(a.user, b.user, sign), userByChannel, communication: a.communication + sign * b.communication }
}
