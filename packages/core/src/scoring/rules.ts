import { describeField, describeValue } from '../describe-value.js'
import { TrackerError } from '../errors.js'

/** Every number the scoring reducer uses; {@link DEFAULT_RULES} holds the defaults. */
export interface ScoringRules {
  /** State of a setup seen for the first time. */
  readonly initial: {
    readonly skillPoints: number
    readonly experience: number
    readonly communication: number
  }
  /** Experience gained per fact. */
  readonly experience: {
    readonly toolCall: number
    readonly command: number
    readonly commit: number
    readonly push: number
    readonly gradedCommit: number
  }
  /** A level-up happens while experience ≥ `experiencePerSkillPoint` × skill points. */
  readonly levelUp: { readonly experiencePerSkillPoint: number }
  /** Skill points lost per reported bug. */
  readonly bug: { readonly skillPointPenalty: number }
  /** Communication score is clamped to [0, max(`minimumCap`, skill points × `capPerSkillPoint`)]. */
  readonly communication: { readonly minimumCap: number; readonly capPerSkillPoint: number }
  /** Skill points a halted setup gets back when reinstated. */
  readonly reinstate: { readonly skillPoints: number }
}

/** A partial rule set as a user writes it in configuration. */
export type ScoringRulesInput = {
  readonly [Section in keyof ScoringRules]?: Partial<ScoringRules[Section]>
}

/**
 * The default scoring rules: a new setup starts at SP 1, XP 0, CS 60; a successful tool call earns
 * 0.1 XP, a commit 1 XP, a push 10 XP and a user-graded commit 1 XP; a bug costs 1 SP; XP converts
 * into one SP whenever it reaches 10 × SP; CS stays within [0, max(100, SP × 100)]; a reinstated
 * setup gets SP 1 back.
 */
export const DEFAULT_RULES: ScoringRules = {
  initial: { skillPoints: 1, experience: 0, communication: 60 },
  experience: { toolCall: 0.1, command: 0, commit: 1, push: 10, gradedCommit: 1 },
  levelUp: { experiencePerSkillPoint: 10 },
  bug: { skillPointPenalty: 1 },
  communication: { minimumCap: 100, capPerSkillPoint: 100 },
  reinstate: { skillPoints: 1 },
}

/** Rules whose value must be strictly positive (zero would break levelling or reinstating). */
const STRICTLY_POSITIVE: ReadonlySet<string> = new Set([
  'initial.skillPoints',
  'levelUp.experiencePerSkillPoint',
  'reinstate.skillPoints',
])

/**
 * Merges a user's partial rules over the defaults and validates every value.
 * @throws {TrackerError} INVALID_RULES naming the key, the value and what is accepted
 *   (unknown sections or keys, non-numbers, NaN, infinities, negative numbers).
 */
export function resolveRules(input: unknown = {}): ScoringRules {
  if (!isPlainObject(input)) {
    throw invalid('rules', `must be an object, got ${describeValue(input)}`)
  }
  const sections = Object.keys(DEFAULT_RULES) as (keyof ScoringRules)[]
  for (const section of Object.keys(input)) {
    if (!(sections as string[]).includes(section)) {
      throw invalid(`rules.${section}`, `is not a known section; known sections are ${sections.join(', ')}`)
    }
  }
  const resolved: Record<string, Record<string, number>> = {}
  for (const section of sections) {
    const defaults: Record<string, number> = DEFAULT_RULES[section]
    const given = input[section]
    if (given !== undefined && !isPlainObject(given)) {
      throw invalid(`rules.${section}`, `must be an object, got ${describeValue(given)}`)
    }
    const merged = { ...defaults }
    for (const [key, value] of Object.entries(given ?? {})) {
      const path = `${section}.${key}`
      if (!(key in defaults)) {
        throw invalid(`rules.${path}`, `is not a known rule; known keys of rules.${section} are ${Object.keys(defaults).join(', ')}`)
      }
      merged[key] = validateRuleValue(path, value)
    }
    resolved[section] = merged
  }
  return resolved as unknown as ScoringRules
}

function validateRuleValue(path: string, value: unknown): number {
  const positive = STRICTLY_POSITIVE.has(path)
  const accepted = positive ? 'a finite number greater than 0' : 'a finite number ≥ 0'
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (positive && value === 0)) {
    throw invalid(`rules.${path}`, `is ${describeField(value)}; accepted: ${accepted}`)
  }
  return value
}

function invalid(path: string, problem: string): TrackerError {
  return new TrackerError('INVALID_RULES', `Invalid scoring rule ${path}: ${problem}.`)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
