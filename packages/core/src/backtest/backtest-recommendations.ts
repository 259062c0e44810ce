import { describeValue } from '../describe-value.js'
import { TrackerError } from '../errors.js'
import { isCountedGrade } from '../facts/grade-channel.js'
import type { ProjectProfile } from '../projects/project-profile.js'
import { isAboveThreshold, projectSimilarity } from '../projects/project-similarity.js'
import type { RecommendOptions, RecordsOneByOne } from '../projects/recommend.js'
import { recommendSetups } from '../projects/recommend.js'
import type { CommitRef } from '../store/commit-ref.js'
import type { JudgedDecision, JudgedOutcome } from './judge-decision.js'
import { CALIBRATION_LEVELS, judgeDecision } from './judge-decision.js'
import type { KnownTruth } from './known-truth.js'
import { truthAt } from './known-truth.js'
import type { RecordTimeline } from './record-timeline.js'
import { countBefore, recordTimeline } from './record-timeline.js'
import type { BacktestSummary } from './summarise-backtest.js'
import { summariseBacktest } from './summarise-backtest.js'
import { compareText } from '../text/compare-text.js'

/** How to replay: the recommendation's own tuning, where to decide, and what to judge against. */
export interface BacktestOptions extends Omit<RecommendOptions, 'levels'> {
  /** A decision point at each project's first commit and after every this many of its commits. Default 10. */
  readonly every?: number
  /** The truth behind a generated history; without it, decisions are judged by what was realised after them. */
  readonly truth?: KnownTruth
  /** Realised outcomes: a setup is judged by its next this many grades on similar projects. Default 20. */
  readonly horizon?: number
  /** Called after each decision point is judged, e.g. to show progress on a long history. */
  readonly onDecision?: (done: number, total: number) => void
}

/** A replay's decisions, judged, and their summary. */
export interface BacktestResult {
  readonly summary: BacktestSummary
  readonly decisions: readonly JudgedDecision[]
}

/** Realised outcomes need at least this many later grades of a setup to judge it. */
export const MIN_REALISED_GRADES = 3

/**
 * Replays a database in time order: at each project's first commit and after every `every` of its
 * commits, asks the same model `recommend` uses (`recommendSetups`) for that project's profile,
 * given only the records from before that moment, and judges the answer — against the known truth
 * of a generated history, or else against what each setup realised afterwards. Projects without a
 * profile are skipped. Pure and deterministic.
 * @throws {TrackerError} INVALID_OPTION for an `every` below 1 or a `horizon` below {@link MIN_REALISED_GRADES} (such a horizon judges nothing).
 */
export function backtestRecommendations(records: RecordsOneByOne, options: BacktestOptions = {}): BacktestResult {
  const every = options.every ?? 10
  if (!Number.isInteger(every) || every < 1) throw new TrackerError('INVALID_OPTION', `Invalid backtest every ${describeValue(every)}: a whole number ≥ 1 (a decision point after every n commits of a project).`)
  if (options.horizon !== undefined && (!Number.isInteger(options.horizon) || options.horizon < MIN_REALISED_GRADES)) {
    throw new TrackerError('INVALID_OPTION', `Invalid backtest horizon ${describeValue(options.horizon)}: a whole number ≥ ${String(MIN_REALISED_GRADES)} (a setup is judged by the mean of its next n grades on similar projects, which takes at least ${String(MIN_REALISED_GRADES)}).`)
  }
  const timeline = recordTimeline(records)
  const bugWeight = options.bugWeight ?? 2
  const profiles = new Map(records.projects.flatMap((p) => (p.profile === undefined ? [] : [[p.path, p.profile] as const])))
  const byProject = new Map<string, CommitRef[]>()
  for (const commit of timeline.commits) {
    const commits = byProject.get(commit.project) ?? []
    commits.push(commit)
    byProject.set(commit.project, commits)
  }
  const points = [...byProject].flatMap(([project, commits]) => {
    const profile = profiles.get(project)
    return profile === undefined ? [] : commits.filter((_, index) => index % every === 0).map((commit) => ({ project, profile, at: commit.at }))
  })
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : compareText(a.project, b.project)))
  const { truth, horizon, onDecision, every: _every, ...recommendOptions } = options
  const tuning: RecommendOptions = { ...recommendOptions, levels: CALIBRATION_LEVELS }
  const realised = truth === undefined ? realisedOutcomes(timeline, profiles, { bugWeight, horizon: horizon ?? 20 }) : undefined

  const decisions = points.map(({ project, profile, at }, index) => {
    const recommendation = recommendSetups(profile, timeline.before(at), tuning)
    const outcomes = new Map<string, JudgedOutcome>()
    for (const setup of recommendation.setups) {
      const outcome = truth === undefined ? realised?.(setup.setup, project, at) : trueOutcome(truth, setup.setup, project, at, bugWeight)
      if (outcome !== undefined) outcomes.set(setup.setup, outcome)
    }
    const judged = judgeDecision(recommendation, outcomes, { project, at })
    onDecision?.(index + 1, points.length)
    return judged
  })
  return { decisions, summary: summariseBacktest(decisions, { mode: truth === undefined ? 'realised' : 'known-truth', timeline, truth, spread: pooledSpread(timeline), bugWeight }) }
}

function trueOutcome(truth: KnownTruth, setup: string, project: string, at: string, bugWeight: number): JudgedOutcome | undefined {
  const outcome = truthAt(truth, setup, project, at)
  return outcome === undefined ? undefined : { grade: outcome.meanGrade, score: outcome.meanGrade - bugWeight * outcome.bugRate }
}

/** Outcomes realised after a decision: a setup's next `horizon` counted user grades on projects similar to the target, and its bug rate over the same span. */
function realisedOutcomes(timeline: RecordTimeline, profiles: ReadonlyMap<string, ProjectProfile>, options: { bugWeight: number; horizon: number }) {
  const similarCache = new Map<string, ReadonlySet<string>>()
  const similarTo = (project: string): ReadonlySet<string> => {
    const cached = similarCache.get(project)
    if (cached !== undefined) return cached
    const profile = profiles.get(project)
    const found = new Set(profile === undefined ? [project] : [...profiles].filter(([, other]) => isAboveThreshold(projectSimilarity(profile, other))).map(([path]) => path))
    similarCache.set(project, found)
    return found
  }
  return (setup: string, project: string, at: string): JudgedOutcome | undefined => {
    const similar = similarTo(project)
    const grades = timeline.gradeEvents.slice(countBefore(timeline.gradeEvents, (e) => e.at, at))
      .filter((e) => e.setup === setup && e.userGrade !== undefined && isCountedGrade(e) && similar.has(e.project))
      .slice(0, options.horizon)
    if (grades.length < MIN_REALISED_GRADES) return undefined
    const until = grades.at(-1)?.at ?? at
    const within = (item: { setup: string; project: string; at: string }): boolean => item.setup === setup && similar.has(item.project) && item.at >= at && item.at <= until
    const commits = timeline.commits.filter(within).length
    const bugs = timeline.bugs.filter(within).length
    const grade = grades.reduce((sum, e) => sum + (e.userGrade ?? 0), 0) / grades.length
    return { grade, score: grade - options.bugWeight * (commits === 0 ? 0 : bugs / commits), realisedGrades: grades.length }
  }
}

/** The spread of one grade within a setup, pooled over every setup and project; null with too few grades. */
function pooledSpread(timeline: RecordTimeline): number | null {
  const groups = new Map<string, number[]>()
  for (const event of timeline.gradeEvents) {
    if (event.userGrade === undefined || !isCountedGrade(event)) continue
    const key = `${event.setup}\u0000${event.project}`
    const grades = groups.get(key) ?? []
    grades.push(event.userGrade)
    groups.set(key, grades)
  }
  let squares = 0
  let df = 0
  for (const grades of groups.values()) {
    if (grades.length < 2) continue
    const mean = grades.reduce((sum, g) => sum + g, 0) / grades.length
    squares += grades.reduce((sum, g) => sum + (g - mean) ** 2, 0)
    df += grades.length - 1
  }
  return df < 5 ? null : Math.sqrt(squares / df)
}
