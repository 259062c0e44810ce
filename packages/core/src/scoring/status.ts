import { plural } from '../text/plural.js'
import type { AgentState } from './agent-state.js'
import { isHalted } from './agent-state.js'
import type { SetupRecord } from '../store/records.js'
import type { ScoringRules } from './rules.js'
import type { CommunicationTier, TrustTier } from './tiers.js'
import { communicationTier, trustTier } from './tiers.js'

/** A setup's state with everything a status card shows. */
export interface AgentStatus {
  readonly setup: string
  readonly agent: string
  readonly provider?: string
  readonly model?: string
  readonly state: AgentState
  readonly halted: boolean
  readonly trustTier: TrustTier
  readonly communicationTier: CommunicationTier
  /** Experience at which the next skill point is earned. */
  readonly nextLevelAt: number
  readonly firstSeenAt: string
  readonly lastSeenAt: string
  readonly haltedAt?: string
  readonly reinstatedAt?: string
}

/** Derives the status card of a setup from its record. */
export function toAgentStatus(record: SetupRecord, rules: ScoringRules): AgentStatus {
  const { state } = record
  return {
    setup: record.id,
    agent: record.agent,
    ...(record.provider === undefined ? {} : { provider: record.provider }),
    ...(record.model === undefined ? {} : { model: record.model }),
    state,
    halted: isHalted(state),
    trustTier: trustTier(state.skillPoints),
    communicationTier: communicationTier(state.communication),
    nextLevelAt: rules.levelUp.experiencePerSkillPoint * Math.max(state.skillPoints, 1),
    firstSeenAt: record.firstSeenAt,
    lastSeenAt: record.lastSeenAt,
    ...(record.haltedAt === undefined ? {} : { haltedAt: record.haltedAt }),
    ...(record.reinstatedAt === undefined ? {} : { reinstatedAt: record.reinstatedAt }),
  }
}

/** One decimal, as every display of scores shows them. */
export function formatScore(value: number): string {
  return (Math.round(value * 10) / 10).toFixed(1)
}

/** The one-line status card, e.g. `build@fake/m1 · SP 2.0 (Junior) · XP 3.4/20.0 · CS 64.0 (Neutral)`. */
export function formatStatusLine(status: AgentStatus): string {
  const { state } = status
  const parts = [
    status.setup,
    `SP ${formatScore(state.skillPoints)} (${status.trustTier})`,
    `XP ${formatScore(state.experience)}/${formatScore(status.nextLevelAt)}`,
    `CS ${formatScore(state.communication)} (${status.communicationTier})`,
    plural(state.commits, 'commit'),
    plural(state.bugs, 'bug'),
  ]
  if (status.halted) parts.push('HALTED')
  return parts.join(' · ')
}
