import type { TokenUsage } from '../facts/facts.js'
import type { GradeChannel, ShownGradeChannel } from '../facts/grade-channel.js'
import { GRADE_CHANNELS, UNRECORDED_CHANNEL, isUserChannel } from '../facts/grade-channel.js'
import { NO_TOKENS } from '../facts/facts.js'
import { addTokens } from '../scoring/apply-fact.js'
import { isHalted } from '../scoring/agent-state.js'
import type { ChannelSums, SetupRecord, UsageRecord } from '../store/records.js'
import type { CommunicationTier, TrustTier } from '../scoring/tiers.js'
import { communicationTier, trustTier } from '../scoring/tiers.js'
import type { SetupFilter } from './setup-filter.js'
import { matchesSetupFilter } from './setup-filter.js'

/** Records a report is built from: the setups, and the day rollups of the window and project reported. */
export interface ReportRecords {
  readonly setups: readonly SetupRecord[]
  readonly rollups: readonly UsageRecord[]
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
  /** Every user grade, counted or not, by the channel it came through, in channel order. */
  readonly userGradesByChannel: readonly ChannelGrades[]
  readonly toolCalls: number
  readonly toolFailures: number
  readonly toolFailureRate: number | null
  readonly messages: number
  readonly tokens: TokenUsage
  readonly tokensPerCommit: number | null
  readonly cost: number
  readonly costPerCommit: number | null
  readonly projects: number
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
  channels: Map<ShownGradeChannel, { grades: number; counted: number; sum: number }>
  toolCalls: number
  toolFailures: number
  messages: number
  tokens: TokenUsage
  cost: number
  projects: Set<string>
}

/**
 * The cross-project report: per setup, commits, bugs per commit, mean agent and user grade,
 * tool failure rate, tokens and cost per commit, with current SP/XP/CS. Sorted by mean user
 * grade (best first), then by commits.
 */
export function buildSetupReport(records: ReportRecords, filter: SetupFilter = {}): SetupReportRow[] {
  const tallies = new Map<string, Tally>()
  const tally = (setup: string, project: string): Tally | undefined => {
    if (!matchesSetupFilter(setup, filter)) return undefined
    let found = tallies.get(setup)
    if (found === undefined) {
      found = { commits: 0, pushes: 0, bugs: 0, agentGrades: 0, agentGradeSum: 0, userGrades: 0, userGradeSum: 0, channels: new Map(), toolCalls: 0, toolFailures: 0, messages: 0, tokens: NO_TOKENS, cost: 0, projects: new Set() }
      tallies.set(setup, found)
    }
    found.projects.add(project)
    return found
  }
  for (const day of records.rollups) {
    const t = tally(day.setup, day.project)
    if (t === undefined) continue
    t.commits += day.commits
    t.bugs += day.bugs
    t.agentGrades += day.grades.agent.count
    t.agentGradeSum += day.grades.agent.sum
    t.userGrades += day.grades.user.count
    t.userGradeSum += day.grades.user.sum
    for (const [channel, sums] of Object.entries(day.grades.userByChannel) as [ShownGradeChannel, ChannelSums][]) {
      const byChannel = t.channels.get(channel) ?? { grades: 0, counted: 0, sum: 0 }
      t.channels.set(channel, byChannel)
      byChannel.grades += sums.grades
      byChannel.counted += sums.counted
      byChannel.sum += sums.sum
    }
    t.pushes += day.pushes
    t.toolCalls += day.toolCalls
    t.toolFailures += day.toolFailures
    t.messages += day.messages
    t.tokens = addTokens(t.tokens, day.tokens)
    t.cost += day.cost
  }
  const bySetup = new Map(records.setups.map((setup) => [setup.id, setup]))
  const rows: SetupReportRow[] = []
  for (const [setup, t] of tallies) {
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
      userGradesByChannel: [...t.channels].sort(([a], [b]) => channelOrder(a) - channelOrder(b)).map(([channel, c]) => ({ channel, grades: c.grades, counted: c.counted, meanGrade: ratio(c.sum, c.grades) })),
      toolCalls: t.toolCalls,
      toolFailures: t.toolFailures,
      toolFailureRate: ratio(t.toolFailures, t.toolCalls),
      messages: t.messages,
      tokens: t.tokens,
      tokensPerCommit: ratio(totalTokens, t.commits),
      cost: t.cost,
      costPerCommit: ratio(t.cost, t.commits),
      projects: t.projects.size,
      skillPoints: state.skillPoints,
      experience: state.experience,
      communication: state.communication,
      trustTier: trustTier(state.skillPoints),
      communicationTier: communicationTier(state.communication),
      halted: isHalted(state),
    })
  }
  return rows.sort((a, b) => (b.meanUserGrade ?? -Infinity) - (a.meanUserGrade ?? -Infinity) || b.commits - a.commits || a.setup.localeCompare(b.setup))
}

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
