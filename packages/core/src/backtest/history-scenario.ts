import type { TrueOutcome } from './known-truth.js'

/** A change of a setup's true outcome from a day on — a model update behind the same name. */
export interface OutcomeChange {
  readonly fromDay: number
  /** Only on this kind of project; default every kind. */
  readonly kind?: string
  readonly meanGrade?: number
  readonly bugRate?: number
  readonly costPerCommit?: number
}

/** A setup in a scenario, with its true outcome per kind of project. */
export interface ScenarioSetup {
  readonly id: string
  readonly outcomes: Readonly<Record<string, TrueOutcome>>
  readonly changes?: readonly OutcomeChange[]
  /** First day it is used (a newcomer); default 0. */
  readonly fromDay?: number
  /** How often it grades its own commits, and how much better (in quality, 0–1) it thinks its work is. Default 0.8 and 0.05. */
  readonly selfGrading?: { readonly rate: number; readonly optimism: number }
  /** Default 0.05. */
  readonly toolFailureRate?: number
  /** Dollars per million input and output tokens. Default 3 and 15. An outcome's `costPerCommit`, where given, sets the mean cost per commit instead. */
  readonly price?: { readonly input: number; readonly output: number }
}

/** A project in a scenario: its kind, the manifest files that give it its profile, who works on it. */
export interface ScenarioProject {
  readonly name: string
  /** The key of the setups' outcomes that applies here, e.g. `web-app`. */
  readonly kind: string
  readonly files: Readonly<Record<string, string>>
  readonly tasks?: readonly string[]
  /** Setups that work on it; a setup listed twice gets twice the sessions. */
  readonly setups: readonly string[]
  /** First day of work; default 0. */
  readonly fromDay?: number
}

/** A history to generate: who works where, how good they truly are, and the rhythm of work. */
export interface HistoryScenario {
  readonly name: string
  readonly description: string
  readonly seed: number
  /** ISO date of day 0 (a Monday). */
  readonly start: string
  /** Days played; weekends are quiet. */
  readonly days: number
  /** Chance that a project gets a session on a working day. */
  readonly sessionChance: number
  /** Tasks (each ending in a commit) per session, inclusive range. */
  readonly tasksPerSession: readonly [number, number]
  /** Tool calls per task, inclusive range. */
  readonly toolCallsPerTask: readonly [number, number]
  /** Chance the user grades a commit. */
  readonly userGradeRate: number
  /** Chance a session ends with a push. */
  readonly pushRate: number
  readonly setups: readonly ScenarioSetup[]
  readonly projects: readonly ScenarioProject[]
}
