import type { TokenUsage } from '../facts/facts.js'
import type { GradeChannel, ShownGradeChannel } from '../facts/grade-channel.js'
import { GRADE_CHANNELS, UNRECORDED_CHANNEL, isCountedGrade, isUserChannel, shownChannel } from '../facts/grade-channel.js'
import { NO_TOKENS } from '../facts/facts.js'
import { GRADES } from '../facts/grade.js'
import { addTokens } from '../scoring/apply-fact.js'
import { isHalted, roundScore } from '../scoring/agent-state.js'
import type { ScoringRules } from '../scoring/rules.js'
import { DEFAULT_RULES } from '../scoring/rules.js'
import type { CommitRef } from '../store/commit-ref.js'
import type { BugRecord, ChannelSums, GradeEventRecord, SetupRecord, UsageCounters, UsageRecord } from '../store/records.js'
import type { SetupTotalsRecord } from '../rollups/setup-totals.js'
import { communicationMoved, hasOutcomes, storedRollup } from '../rollups/usage-rollup.js'
import type { CommunicationTier, TrustTier } from '../scoring/tiers.js'
import { communicationTier, trustTier } from '../scoring/tiers.js'
import type { SetupFilter } from './setup-filter.js'
import { matchesSetupFilter } from './setup-filter.js'
import { compareText } from '../text/compare-text.js'
import { costPerCommit, tokensPerCommit } from './cost-per-commit.js'

/** Records a report is built from (already narrowed to a project and time window by the store). */
export interface ReportRecords {
  readonly setups: readonly SetupRecord[]
  /** Commit references suffice: a report counts commits per setup and project. */
  readonly commits: readonly CommitRef[]
  readonly gradeEvents: readonly GradeEventRecord[]
  readonly bugs: readonly BugRecord[]
  readonly usage: readonly UsageRecord[]
}

/** The user grades a setup received through one channel. */
export interface ChannelGrades {
  readonly channel: ShownGradeChannel
  /** User grades received this way. */
  readonly grades: number
  /** How many of them count (the rest came through a channel not the user's own, unvouched). */
  readonly counted: number
  /** Mean of all of them, counted or not; null when none. */
  readonly meanGrade: number | null
}

/** One setup's outcomes across projects. Ratios are null when their denominator is zero. */
export interface SetupReportRow {
  readonly setup: string
  readonly agent: string
  readonly provider?: string
  readonly model?: string
  readonly commits: number
  readonly pushes: number
  readonly bugs: number
  readonly bugsPerCommit: number | null
  readonly agentGrades: number
  readonly meanAgentGrade: number | null
  /** Counted user grades only (see `isCountedGrade`). */
  readonly userGrades: number
  readonly meanUserGrade: number | null
  /** 90% interval of the mean user grade (normal approximation, kept within the grade scale; wide while few commits are graded); null without grades. */
  readonly userGradeInterval: readonly [number, number] | null
  /** Every user grade, counted or not, by the channel it came through, in channel order. */
  readonly userGradesByChannel: readonly ChannelGrades[]
  readonly toolCalls: number
  readonly toolFailures: number
  readonly toolFailureRate: number | null
  readonly messages: number
  readonly tokens: TokenUsage
  /** Null without commits, and without any recorded usage (tokens unknown, not none). */
  readonly tokensPerCommit: number | null
  /** The summed cost of the priced responses (0 without any). */
  readonly cost: number
  /** The part of `cost` estimated from list prices, where the host recorded no cost; reports mark such costs. */
  readonly estimatedCost: number
  /** Responses of models without a known price: their cost is missing from `cost`. */
  readonly unpricedMessages: number
  /** Null when unknown: without commits, without recorded usage, or with any response of a model without a known price (see `costPerCommit`). */
  readonly costPerCommit: number | null
  readonly projects: number
  /** Experience earned by the work counted here (before level-ups turn experience into skill points). */
  readonly experienceGained: number
  /** How much the grades counted here moved the communication score (after its bounds, where recorded). */
  readonly communicationGained: number
  /** Current scores (not narrowed by the window). */
  readonly skillPoints: number
  readonly experience: number
  readonly communication: number
  readonly trustTier: TrustTier
  readonly communicationTier: CommunicationTier
  readonly halted: boolean
}

interface Tally {
  commits: number
  pushes: number
  bugs: number
  agentGrades: number
  agentGradeSum: number
  userGrades: number
  userGradeSum: number
  userGradeSquares: number
  communicationGained: number
  commands: number
  channels: Map<ShownGradeChannel, { grades: number; counted: number; sum: number }>
  toolCalls: number
  toolFailures: number
  messages: number
  tokens: TokenUsage
  cost: number
  estimatedCost: number
  unpricedMessages: number
  projects: Set<string>
  /** The number of projects, where it is known without their names (setup totals). */
  projectCount?: number
}

/** Tallies per setup, created as the records come. */
class Tallies {
  readonly bySetup = new Map<string, Tally>()
  readonly #filter: SetupFilter

  constructor(filter: SetupFilter) {
    this.#filter = filter
  }

  /** The tally of a setup the filter keeps, with the project noted; undefined for one it drops. */
  of(setup: string, project?: string): Tally | undefined {
    if (!matchesSetupFilter(setup, this.#filter)) return undefined
    let found = this.bySetup.get(setup)
    if (found === undefined) {
      found = { commits: 0, pushes: 0, bugs: 0, agentGrades: 0, agentGradeSum: 0, userGrades: 0, userGradeSum: 0, userGradeSquares: 0, channels: new Map(), communicationGained: 0, commands: 0, toolCalls: 0, toolFailures: 0, messages: 0, tokens: NO_TOKENS, cost: 0, estimatedCost: 0, unpricedMessages: 0, projects: new Set() }
      this.bySetup.set(setup, found)
    }
    if (project !== undefined) found.projects.add(project)
    return found
  }
}

/**
 * The cross-project report: per setup, commits, bugs per commit, mean agent and user grade,
 * tool failure rate, tokens and cost per commit, the XP and CS the counted work earned (by
 * `rules`), with current SP/XP/CS. Sorted by mean user grade (best first), then by commits.
 */
export function buildSetupReport(records: ReportRecords, filter: SetupFilter = {}, rules: ScoringRules = DEFAULT_RULES): SetupReportRow[] {
  const tallies = new Tallies(filter)
  for (const commit of records.commits) {
    const t = tallies.of(commit.setup, commit.project)
    if (t !== undefined) t.commits += 1
  }
  for (const bug of records.bugs) {
    const t = tallies.of(bug.setup, bug.project)
    if (t !== undefined) t.bugs += 1
  }
  for (const event of records.gradeEvents) {
    const t = tallies.of(event.setup, event.project)
    if (t === undefined) continue
    const counted = isCountedGrade(event)
    // A grade that does not count moves no score: its agent grade (given with it) is not counted either.
    if (event.agentGrade !== undefined && counted) {
      t.agentGrades += 1
      t.agentGradeSum += event.agentGrade
    }
    t.communicationGained += communicationMoved(event)
    if (event.userGrade === undefined) continue
    if (counted) {
      t.userGrades += 1
      t.userGradeSum += event.userGrade
      t.userGradeSquares += event.userGrade ** 2
    }
    addChannelGrades(t, shownChannel(event), { grades: 1, counted: counted ? 1 : 0, sum: event.userGrade })
  }
  for (const day of records.usage) {
    const t = tallies.of(day.setup, day.project)
    if (t !== undefined) addCounters(t, day)
  }
  return reportRows(tallies, records.setups, rules)
}

/** What a report is built from when its window is read as day rollups. */
export interface RollupReportRecords {
  readonly setups: readonly SetupRecord[]
  /** The window's day rollups, exact at its edges (commits, bugs and grades recounted on a day the window cuts). */
  readonly rollups: readonly UsageRecord[]
  /** Whether a rollup's tool calls, tokens and cost count (they are kept per day); default all do. */
  readonly countersCount?: ((rollup: UsageRecord) => boolean) | undefined
}

/**
 * {@link buildSetupReport} from day rollups: the same rows, read from one record per setup,
 * project and day rather than from every commit and grade.
 */
export function buildRollupReport(records: RollupReportRecords, filter: SetupFilter = {}, rules: ScoringRules = DEFAULT_RULES): SetupReportRow[] {
  const tallies = new Tallies(filter)
  for (const stored of records.rollups) {
    const rollup = storedRollup(stored)
    const counters = records.countersCount?.(rollup) ?? true
    if (!counters && !hasOutcomes(rollup)) continue
    const t = tallies.of(rollup.setup, rollup.project)
    if (t === undefined) continue
    addOutcomes(t, rollup)
    if (counters) addCounters(t, rollup)
  }
  return reportRows(tallies, records.setups, rules)
}

/**
 * {@link buildRollupReport} of all time, from each setup's totals (its day rollups added up, as a
 * store keeps them): one record per setup.
 */
export function buildTotalsReport(setups: readonly SetupRecord[], totals: readonly SetupTotalsRecord[], filter: SetupFilter = {}, rules: ScoringRules = DEFAULT_RULES): SetupReportRow[] {
  const tallies = new Tallies(filter)
  for (const total of totals) {
    if (total.projects <= 0) continue
    const t = tallies.of(total.setup)
    if (t === undefined) continue
    addOutcomes(t, total)
    addCounters(t, total)
    t.projectCount = total.projects
  }
  return reportRows(tallies, setups, rules)
}

/** Adds the commits, bugs and grades a rollup (or a setup's totals) counted. */
function addOutcomes(t: Tally, counted: Pick<UsageRecord, 'commits' | 'bugs' | 'grades'>): void {
  const { grades } = counted
  t.commits += counted.commits
  t.bugs += counted.bugs
  t.agentGrades += grades.agent.count
  t.agentGradeSum += grades.agent.sum
  t.userGrades += grades.user.count
  t.userGradeSum += grades.user.sum
  t.userGradeSquares += grades.user.squares
  t.communicationGained += grades.communication
  for (const [channel, sums] of Object.entries(grades.userByChannel) as [ShownGradeChannel, ChannelSums][]) addChannelGrades(t, channel, sums)
}

function addChannelGrades(t: Tally, channel: ShownGradeChannel, sums: ChannelSums): void {
  const byChannel = t.channels.get(channel) ?? { grades: 0, counted: 0, sum: 0 }
  t.channels.set(channel, byChannel)
  byChannel.grades += sums.grades
  byChannel.counted += sums.counted
  byChannel.sum += sums.sum
}

function addCounters(t: Tally, day: UsageCounters): void {
  t.pushes += day.pushes
  t.commands += day.commands
  t.toolCalls += day.toolCalls
  t.toolFailures += day.toolFailures
  t.messages += day.messages
  t.tokens = addTokens(t.tokens, day.tokens)
  t.cost += day.cost
  t.estimatedCost += day.estimatedCost ?? 0
  t.unpricedMessages += day.unpricedMessages ?? 0
}

function reportRows(tallies: Tallies, setups: readonly SetupRecord[], rules: ScoringRules): SetupReportRow[] {
  const bySetup = new Map(setups.map((setup) => [setup.id, setup]))
  const rows: SetupReportRow[] = []
  for (const [setup, t] of tallies.bySetup) {
    const record = bySetup.get(setup)
    if (record === undefined) continue
    const { state } = record
    const totalTokens = t.tokens.input + t.tokens.output + t.tokens.reasoning
    rows.push({
      setup,
      agent: record.agent,
      ...(record.provider === undefined ? {} : { provider: record.provider }),
      ...(record.model === undefined ? {} : { model: record.model }),
      commits: t.commits,
      pushes: t.pushes,
      bugs: t.bugs,
      bugsPerCommit: ratio(t.bugs, t.commits),
      agentGrades: t.agentGrades,
      meanAgentGrade: ratio(t.agentGradeSum, t.agentGrades),
      userGrades: t.userGrades,
      meanUserGrade: ratio(t.userGradeSum, t.userGrades),
      userGradeInterval: meanInterval(t.userGrades, t.userGradeSum, t.userGradeSquares),
      userGradesByChannel: [...t.channels].sort(([a], [b]) => channelOrder(a) - channelOrder(b)).map(([channel, c]) => ({ channel, grades: c.grades, counted: c.counted, meanGrade: ratio(c.sum, c.grades) })),
      toolCalls: t.toolCalls,
      toolFailures: t.toolFailures,
      toolFailureRate: ratio(t.toolFailures, t.toolCalls),
      messages: t.messages,
      tokens: t.tokens,
      tokensPerCommit: tokensPerCommit(t, totalTokens),
      cost: t.cost,
      estimatedCost: t.estimatedCost,
      unpricedMessages: t.unpricedMessages,
      costPerCommit: costPerCommit(t),
      projects: t.projectCount ?? t.projects.size,
      experienceGained: experienceEarned(t, rules),
      communicationGained: roundScore(t.communicationGained),
      skillPoints: state.skillPoints,
      experience: state.experience,
      communication: state.communication,
      trustTier: trustTier(state.skillPoints),
      communicationTier: communicationTier(state.communication),
      halted: isHalted(state),
    })
  }
  return rows.sort((a, b) => (b.meanUserGrade ?? -Infinity) - (a.meanUserGrade ?? -Infinity) || b.commits - a.commits || compareText(a.setup, b.setup))
}

/** The experience the rules award for the tallied work (the reducer's gains, summed). */
function experienceEarned(t: Tally, rules: ScoringRules): number {
  const gain = rules.experience
  return roundScore((t.toolCalls - t.toolFailures) * gain.toolCall + t.commands * gain.command + t.commits * gain.commit + t.pushes * gain.push + t.userGrades * gain.gradedCommit)
}

/** z of a two-sided 90% interval. */
const Z90 = 1.645
/** Spread of grades assumed while fewer than three are known (grades run −1…5). */
const FALLBACK_SD = 2

/** The 90% interval of a mean from its count, sum and sum of squares; the spread is at least 0.5 grade points. */
function meanInterval(count: number, sum: number, squares: number): readonly [number, number] | null {
  if (count === 0) return null
  const mean = sum / count
  const sd = count < 3 ? FALLBACK_SD : Math.max(0.5, Math.sqrt(Math.max(0, squares / count - mean ** 2) * count / (count - 1)))
  const half = Z90 * sd / Math.sqrt(count)
  // The mean of grades cannot leave the grade scale, whatever the normal approximation says.
  return [Math.max(LOWEST_GRADE, mean - half), Math.min(HIGHEST_GRADE, mean + half)]
}

const LOWEST_GRADE = Math.min(...GRADES)
const HIGHEST_GRADE = Math.max(...GRADES)

/**
 * The channels other than the user's own that brought any user grade to these rows (grades
 * recorded before channels existed are the user's: they were counted then). Reports show user
 * grades by channel when there is one.
 */
export function nonUserChannels(rows: readonly Pick<SetupReportRow, 'userGradesByChannel'>[]): GradeChannel[] {
  const found = new Set<GradeChannel>()
  for (const row of rows) {
    for (const { channel } of row.userGradesByChannel) if (channel !== UNRECORDED_CHANNEL && !isUserChannel(channel)) found.add(channel)
  }
  return [...found].sort((a, b) => channelOrder(a) - channelOrder(b))
}

function channelOrder(channel: ShownGradeChannel): number {
  return channel === UNRECORDED_CHANNEL ? GRADE_CHANNELS.length : GRADE_CHANNELS.indexOf(channel)
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator
}
