import type { Grade } from '../facts/grade.js'
import type { RandomSource } from '../stats/seeded-random.js'
import { seededRandom } from '../stats/seeded-random.js'
import { drawGrade, gradeChances, qualityForMeanGrade } from './grade-distribution.js'
import type { HistoryScenario, ScenarioProject, ScenarioSetup } from './history-scenario.js'
import type { KnownTruth, TrueOutcome, TruthSegment } from './known-truth.js'

/** One thing that happens in a generated session, at its time. */
export type WorkStep =
  | { readonly kind: 'tool-call'; readonly at: string; readonly tool: string; readonly ok: boolean }
  | { readonly kind: 'usage'; readonly at: string; readonly tokens: { readonly input: number; readonly output: number; readonly cacheRead: number }; readonly cost: number }
  | { readonly kind: 'commit'; readonly at: string; readonly hash: string; readonly task: string }
  | { readonly kind: 'self-grade'; readonly at: string; readonly commit: string; readonly grade: Grade }
  | { readonly kind: 'user-grade'; readonly at: string; readonly commit: string; readonly grade: Grade }
  | { readonly kind: 'activity'; readonly at: string; readonly task: string; readonly toolCalls: number; readonly outcome: string }
  | { readonly kind: 'bug'; readonly at: string; readonly commit: string; readonly note: string }
  | { readonly kind: 'push'; readonly at: string }

/** A session of one setup in one project. */
export interface GeneratedSession {
  readonly id: string
  readonly setup: string
  /** The project's name. */
  readonly project: string
  readonly steps: readonly WorkStep[]
}

/** A generated history: projects to create, sessions to play in order, and the truth behind them. */
export interface GeneratedHistory {
  readonly scenario: string
  readonly seed: number
  readonly projects: readonly { readonly name: string; readonly kind: string; readonly files: Readonly<Record<string, string>> }[]
  readonly sessions: readonly GeneratedSession[]
  /** Projects keyed by name. */
  readonly truth: KnownTruth
  readonly from: string
  readonly to: string
}

const DAY = 86_400_000
const HOUR = 3_600_000
const TOOLS = ['read', 'edit', 'bash', 'grep', 'write'] as const
const DEFAULT_TASKS = ['Add a feature', 'Fix a reported bug', 'Refactor a module', 'Write tests', 'Improve error messages', 'Update dependencies']
/** How much likelier a bug is after work the user graded bad, neutral, good or excellent (normalised so the mean is the setup's bug rate). */
const BUG_LIKELIHOOD: Readonly<Record<Grade, number>> = { [-1]: 3, 1: 1, 2: 1, 5: 0.3 }

/**
 * Generates a history from a scenario: the same scenario and seed give the same history, step
 * for step. Each working day a project gets a session with the given chance, worked by one of its
 * setups; each task draws tool calls, usage, a commit, the grades (from the setup's true mean
 * grade on the project's kind, at that day), maybe a bug (at the setup's true rate) and a push.
 * Pure: it plays nothing — a host plays the steps through its tracking path.
 * @throws {RangeError} for a true mean grade the grade distribution cannot give.
 */
export function generateHistory(scenario: HistoryScenario, seed: number = scenario.seed): GeneratedHistory {
  const random = seededRandom(seed)
  const start = Date.parse(scenario.start)
  const truth = truthOf(scenario)
  const setups = new Map(scenario.setups.map((setup) => [setup.id, setup]))
  const sessions: Omit<GeneratedSession, 'id'>[] = []
  let last = start
  for (let day = 0; day < scenario.days; day++) {
    if (day % 7 >= 5) continue
    for (const project of scenario.projects) {
      if ((project.fromDay ?? 0) > day || random() >= scenario.sessionChance) continue
      const available = project.setups.filter((id) => (setups.get(id)?.fromDay ?? 0) <= day)
      const setup = setups.get(pick(random, available) ?? '')
      if (setup === undefined) continue
      let clock = start + day * DAY + (9 + random() * 8) * HOUR
      const tick = (): string => {
        clock += 60_000 + Math.floor(random() * 240_000)
        return new Date(clock).toISOString()
      }
      const outcome = outcomeOn(truth.outcomes, setup.id, project.kind, new Date(clock).toISOString())
      if (outcome === undefined) continue
      sessions.push({ setup: setup.id, project: project.name, steps: sessionSteps(scenario, setup, project, outcome, random, tick) })
      last = Math.max(last, clock)
    }
  }
  return {
    scenario: scenario.name,
    seed,
    projects: scenario.projects.map((p) => ({ name: p.name, kind: p.kind, files: p.files })),
    // In the order they began (projects' sessions of a day overlap, as several OpenCode processes do).
    sessions: sessions
      .map((session, index) => ({ session, index, start: session.steps[0]?.at ?? '' }))
      .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.index - b.index))
      .map(({ session }, index) => ({ id: `ses_${String(index + 1)}`, ...session })),
    truth,
    from: new Date(start).toISOString(),
    to: new Date(last).toISOString(),
  }
}

function sessionSteps(scenario: HistoryScenario, setup: ScenarioSetup, project: ScenarioProject, outcome: TrueOutcome, random: RandomSource, tick: () => string): WorkStep[] {
  const steps: WorkStep[] = []
  const quality = qualityForMeanGrade(outcome.meanGrade)
  const bugScale = outcome.bugRate / gradeChances(quality).reduce((sum, [grade, p]) => sum + p * BUG_LIKELIHOOD[grade], 0)
  const selfGrading = setup.selfGrading ?? { rate: 0.8, optimism: 0.05 }
  const price = setup.price ?? { input: 3, output: 15 }
  // With a true cost per commit, each usage's cost at the token price is scaled so that a commit costs that much on average.
  const costScale = outcome.costPerCommit === undefined ? 1 : outcome.costPerCommit / expectedCostPerTask(scenario, price)
  const failureRate = setup.toolFailureRate ?? 0.05
  const tasks = project.tasks ?? DEFAULT_TASKS
  for (let t = between(random, scenario.tasksPerSession); t > 0; t--) {
    const task = tasks[Math.floor(random() * tasks.length)] ?? 'Maintenance'
    const calls = between(random, scenario.toolCallsPerTask)
    for (let c = 0; c < calls; c++) {
      steps.push({ kind: 'tool-call', at: tick(), tool: TOOLS[c % TOOLS.length] ?? 'bash', ok: random() >= failureRate })
      if (c % 6 === 5 || c === calls - 1) {
        const input = 6000 + Math.floor(random() * 30_000)
        const output = 400 + Math.floor(random() * 3000)
        steps.push({ kind: 'usage', at: tick(), tokens: { input, output, cacheRead: Math.floor(input * 0.6) }, cost: (costScale * (input * price.input + output * price.output)) / 1e6 })
      }
    }
    const hash = hexHash(random)
    steps.push({ kind: 'commit', at: tick(), hash, task })
    const grade = drawGrade(random, quality)
    if (random() < selfGrading.rate) steps.push({ kind: 'self-grade', at: tick(), commit: hash, grade: drawGrade(random, Math.min(1, quality + selfGrading.optimism)) })
    if (random() < scenario.userGradeRate) steps.push({ kind: 'user-grade', at: tick(), commit: hash, grade })
    steps.push({ kind: 'activity', at: tick(), task, toolCalls: calls, outcome: grade < 0 ? 'needed rework' : 'done' })
    if (random() < bugScale * BUG_LIKELIHOOD[grade]) steps.push({ kind: 'bug', at: tick(), commit: hash, note: `${task}: broke in review` })
  }
  if (random() < scenario.pushRate) steps.push({ kind: 'push', at: tick() })
  return steps
}

/** The truth segments of a scenario: each setup's outcome per kind from day 0, then its changes. */
function truthOf(scenario: HistoryScenario): KnownTruth {
  const start = Date.parse(scenario.start)
  const kinds = [...new Set(scenario.projects.map((p) => p.kind))]
  const outcomes: TruthSegment[] = []
  for (const setup of scenario.setups) {
    for (const kind of kinds) {
      const base = setup.outcomes[kind]
      if (base === undefined) continue
      let current: TrueOutcome = base
      outcomes.push({ setup: setup.id, kind, from: new Date(start).toISOString(), ...current })
      for (const change of [...(setup.changes ?? [])].sort((a, b) => a.fromDay - b.fromDay)) {
        if (change.kind !== undefined && change.kind !== kind) continue
        const costPerCommit = change.costPerCommit ?? current.costPerCommit
        current = { meanGrade: change.meanGrade ?? current.meanGrade, bugRate: change.bugRate ?? current.bugRate, ...(costPerCommit === undefined ? {} : { costPerCommit }) }
        outcomes.push({ setup: setup.id, kind, from: new Date(start + change.fromDay * DAY).toISOString(), ...current })
      }
    }
  }
  return { projects: Object.fromEntries(scenario.projects.map((p) => [p.name, p.kind])), outcomes }
}

/** Tokens of one usage step: input 6,000 + U[0, 30,000), output 400 + U[0, 3,000) (see `sessionSteps`). */
const MEAN_USAGE = { input: 6000 + 29_999 / 2, output: 400 + 2999 / 2 }

/** The mean cost of a task (one commit) at a token price: usage steps per task (one per six tool calls, and one after the last) times a step's mean cost. */
function expectedCostPerTask(scenario: HistoryScenario, price: { readonly input: number; readonly output: number }): number {
  const [low, high] = scenario.toolCallsPerTask
  let usages = 0
  for (let calls = low; calls <= high; calls++) {
    for (let c = 0; c < calls; c++) if (c % 6 === 5 || c === calls - 1) usages += 1 / (high - low + 1)
  }
  return (usages * (MEAN_USAGE.input * price.input + MEAN_USAGE.output * price.output)) / 1e6
}

function outcomeOn(segments: readonly TruthSegment[], setup: string, kind: string, at: string): TrueOutcome | undefined {
  let found: TruthSegment | undefined
  for (const s of segments) if (s.setup === setup && s.kind === kind && s.from <= at) found = s
  return found
}

function pick<T>(random: RandomSource, items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : items[Math.floor(random() * items.length)]
}

function between(random: RandomSource, [low, high]: readonly [number, number]): number {
  return low + Math.floor(random() * (high - low + 1))
}

function hexHash(random: RandomSource): string {
  return Array.from({ length: 5 }, () => Math.floor(random() * 2 ** 32).toString(16).padStart(8, '0')).join('')
}
