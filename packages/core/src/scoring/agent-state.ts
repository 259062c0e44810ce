import type { TokenUsage } from '../facts/facts.js'
import { NO_TOKENS } from '../facts/facts.js'
import type { ScoringRules } from './rules.js'

/** Count and sum of grades, for means. */
export interface GradeTally {
  readonly count: number
  readonly sum: number
}

/** The scored state of one setup. Numbers are plain floats kept to 6 decimals. */
export interface AgentState {
  /** SP: trust; a setup with SP ≤ 0 is halted. */
  readonly skillPoints: number
  /** XP: converts into skill points on level-up. */
  readonly experience: number
  /** CS: communication score, clamped to [0, cap]. */
  readonly communication: number
  readonly commits: number
  readonly pushes: number
  readonly bugs: number
  readonly toolCalls: number
  readonly toolFailures: number
  readonly commands: number
  /** Grades given to this setup's commits, by party. */
  readonly agentGrades: GradeTally
  readonly userGrades: GradeTally
  /** Assistant messages, tokens and cost spent. */
  readonly messages: number
  readonly tokens: TokenUsage
  readonly cost: number
}

const NO_GRADES: GradeTally = { count: 0, sum: 0 }

/** The state of a setup before any fact, per the rules' `initial` section. */
export function initialState(rules: ScoringRules): AgentState {
  return {
    skillPoints: rules.initial.skillPoints,
    experience: rules.initial.experience,
    communication: rules.initial.communication,
    commits: 0,
    pushes: 0,
    bugs: 0,
    toolCalls: 0,
    toolFailures: 0,
    commands: 0,
    agentGrades: NO_GRADES,
    userGrades: NO_GRADES,
    messages: 0,
    tokens: NO_TOKENS,
    cost: 0,
  }
}

/** True when the setup has lost all skill points and may not work until reinstated. */
export function isHalted(state: Pick<AgentState, 'skillPoints'>): boolean {
  return state.skillPoints <= 0
}

/** The upper bound of the communication score at the given skill points. */
export function communicationCap(skillPoints: number, rules: ScoringRules): number {
  return Math.max(rules.communication.minimumCap, skillPoints * rules.communication.capPerSkillPoint)
}

/** Rounds to 6 decimals so that e.g. 100 × 0.1 XP is exactly 10 and levels up; never −0. */
export function roundScore(value: number): number {
  return Math.round(value * 1e6) / 1e6 + 0
}
