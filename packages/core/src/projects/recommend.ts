import type { ProjectProfile } from './project-profile.js'
import type { ProjectRecord, UsageRecord } from '../store/records.js'
import { isAboveThreshold, projectSimilarity } from './project-similarity.js'
import { plural } from '../text/plural.js'

/** Tuning of {@link recommendSetups}; the defaults are documented in the README. */
export interface RecommendOptions {
  /** Graded commits on similar projects a setup needs before it is ranked. Default 5. */
  readonly minSamples?: number
  /** Weight of the prior (the similar projects' overall mean), in pseudo-commits. Default 5. */
  readonly priorStrength?: number
  /** Grade points one bug per commit costs in the ranking score. Default 2. */
  readonly bugWeight?: number
}

/** Records the recommendation is computed from: projects and the day rollups of every setup's work. */
export interface RecommendRecords {
  readonly projects: readonly ProjectRecord[]
  readonly rollups: readonly UsageRecord[]
}

/** One setup's standing for projects like the target. */
export interface SetupRecommendation {
  readonly setup: string
  /** 1 = best; null when there is not enough data to rank it. */
  readonly rank: number | null
  readonly enoughData: boolean
  /** Similar projects this setup worked on. */
  readonly projects: number
  readonly commits: number
  /** User-graded commits on similar projects (the sample size). */
  readonly samples: number
  /** Raw mean user grade on similar projects. */
  readonly meanUserGrade: number | null
  /** Mean user grade shrunk towards the similar projects' overall mean. */
  readonly expectedGrade: number
  /** 90% credible interval of the expected grade. */
  readonly interval: readonly [number, number]
  readonly bugsPerCommit: number
  readonly costPerCommit: number | null
  /** expectedGrade − bugWeight × bugsPerCommit: what ranks. */
  readonly score: number
  readonly reason: string
}

/** The answer to "which setup for a project like this one?". */
export interface Recommendation {
  /** `ranked`: at least one setup has enough data; `not-enough-data`: some data, too little; `no-data`: none. */
  readonly state: 'ranked' | 'not-enough-data' | 'no-data'
  readonly profile: ProjectProfile
  readonly similarProjects: readonly { readonly path: string; readonly similarity: number }[]
  readonly setups: readonly SetupRecommendation[]
  /**
   * The top-ranked setup and every ranked setup whose 90% interval overlaps its interval: the
   * setups the data cannot yet tell apart. One entry means a clear best; empty when none is ranked.
   */
  readonly contenders: readonly string[]
  readonly message: string
}

const Z90 = 1.645
const FALLBACK_SD = 2

/** Weighted user grades: how many, the weights' sum, and the weighted sums of grades and squares. */
interface Samples { count: number; weight: number; sum: number; squares: number }

interface SetupOutcomes {
  samples: Samples
  commits: number
  weightedCommits: number
  weightedBugs: number
  cost: number
  /** Assistant messages whose cost was recorded; without any, cost per commit is unknown. */
  messages: number
  projects: Set<string>
}

/**
 * Ranks setups for a project with the given profile, from outcomes on similar projects
 * (similarity ≥ 0.45, each weighted by its similarity): user grades shrunk towards the overall
 * mean of those projects (normal–normal model), bugs per commit shrunk the same way, cost per
 * commit for information. Setups below `minSamples` graded commits are listed, not ranked.
 */
export function recommendSetups(profile: ProjectProfile, records: RecommendRecords, options: RecommendOptions = {}): Recommendation {
  const minSamples = options.minSamples ?? 5
  const k = options.priorStrength ?? 5
  const bugWeight = options.bugWeight ?? 2
  const similar = records.projects
    .flatMap((project) => (project.profile === undefined ? [] : [{ path: project.path, similarity: projectSimilarity(profile, project.profile) }]))
    .filter((entry) => isAboveThreshold(entry.similarity))
    .sort((a, b) => b.similarity - a.similarity || a.path.localeCompare(b.path))
  const weightOf = new Map(similar.map((entry) => [entry.path, entry.similarity]))

  const per = new Map<string, SetupOutcomes>()
  const all: Samples = { count: 0, weight: 0, sum: 0, squares: 0 }
  for (const day of records.rollups) {
    const weight = weightOf.get(day.project)
    if (weight === undefined) continue
    let s = per.get(day.setup)
    if (s === undefined) {
      s = { samples: { count: 0, weight: 0, sum: 0, squares: 0 }, commits: 0, weightedCommits: 0, weightedBugs: 0, cost: 0, messages: 0, projects: new Set<string>() }
      per.set(day.setup, s)
    }
    s.projects.add(day.project)
    s.commits += day.commits
    s.weightedCommits += weight * day.commits
    s.weightedBugs += weight * day.bugs
    s.cost += day.cost
    s.messages += day.messages
    for (const samples of [s.samples, all]) {
      const { count, sum, squares } = day.grades.user
      samples.count += count
      samples.weight += weight * count
      samples.sum += weight * sum
      samples.squares += weight * squares
    }
  }

  const prior = weightedMean(all) ?? 0
  const sd = weightedSd(all, prior) ?? FALLBACK_SD
  const totalCommits = [...per.values()].reduce((sum, s) => sum + s.weightedCommits, 0)
  const priorBugRate = totalCommits === 0 ? 0 : [...per.values()].reduce((sum, s) => sum + s.weightedBugs, 0) / totalCommits
  const describe = describeProfile(profile)

  const setups = [...per].map(([setup, s]): SetupRecommendation => {
    const n = s.samples.weight
    const mean = weightedMean(s.samples)
    const expected = (n * (mean ?? prior) + k * prior) / (n + k)
    const spread = Z90 * sd / Math.sqrt(n + k)
    const bugs = (s.weightedBugs + k * priorBugRate) / (s.weightedCommits + k)
    const costPerCommit = s.commits === 0 || s.messages === 0 ? null : s.cost / s.commits
    const enoughData = s.samples.count >= minSamples
    return {
      setup,
      rank: null,
      enoughData,
      projects: s.projects.size,
      commits: s.commits,
      samples: s.samples.count,
      meanUserGrade: mean,
      expectedGrade: expected,
      interval: [expected - spread, expected + spread],
      bugsPerCommit: bugs,
      costPerCommit,
      score: expected - bugWeight * bugs,
      reason: enoughData
        ? `expected user grade ${expected.toFixed(1)} (90% ${(expected - spread).toFixed(1)}–${(expected + spread).toFixed(1)}) from ${plural(s.samples.count, 'graded commit')} on ${plural(s.projects.size, 'similar project')}${describe}; ${bugs.toFixed(2)} bugs/commit${costPerCommit === null ? '' : `; ${dollars(costPerCommit)}/commit`}`
        : `not enough data: ${plural(s.samples.count, 'graded commit')} on similar projects, ${String(minSamples)} needed`,
    }
  })
  const ranked = setups
    .filter((s) => s.enoughData)
    .sort((a, b) => b.score - a.score || (a.costPerCommit ?? Infinity) - (b.costPerCommit ?? Infinity) || a.setup.localeCompare(b.setup))
    .map((s, index) => ({ ...s, rank: index + 1 }))
  const unranked = setups.filter((s) => !s.enoughData).sort((a, b) => b.samples - a.samples || a.setup.localeCompare(b.setup))
  const state = ranked.length > 0 ? 'ranked' : setups.length > 0 ? 'not-enough-data' : 'no-data'
  const top = ranked[0]
  const contenders = top === undefined ? [] : ranked.filter((s) => s === top || overlaps(s.interval, top.interval)).map((s) => s.setup)
  return {
    state,
    profile,
    similarProjects: similar,
    setups: [...ranked, ...unranked],
    contenders,
    message: top !== undefined && contenders.length > 1
      ? `No clear best setup yet: ${listOf(contenders)} are not yet distinguishable (their 90% intervals overlap); ${top.setup} leads on score for now — grade more commits to tell them apart.`
      : top !== undefined
      ? `Best for this project: ${top.setup}, ${top.reason}.`
      : state === 'not-enough-data'
        ? `Not enough data to recommend a setup yet: no setup has ${String(minSamples)} user-graded commits on projects like this one${describe}. Grade commits with /grade or agent-tracker grade.`
        : `No outcomes recorded on projects like this one${describe} yet.`,
  }
}

function overlaps(a: readonly [number, number], b: readonly [number, number]): boolean {
  return Math.max(a[0], b[0]) <= Math.min(a[1], b[1])
}

function listOf(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`
}

function weightedMean(samples: Samples): number | null {
  return samples.weight === 0 ? null : samples.sum / samples.weight
}

/** Σw(g − mean)² / Σw, from the weighted sums of grades and squares (never below 0 from rounding). */
function weightedSd(samples: Samples, mean: number): number | null {
  if (samples.count < 3 || samples.weight === 0) return null
  const variance = Math.max(0, samples.squares / samples.weight - 2 * mean * (samples.sum / samples.weight) + mean * mean)
  return Math.max(Math.sqrt(variance), 0.5)
}

function describeProfile(profile: ProjectProfile): string {
  const parts = [profile.language, profile.framework, profile.scope].filter((part) => part !== 'unknown')
  return parts.length === 0 ? '' : ` (${parts.join('/')})`
}

/** A cost per commit to a tenth of a cent, `$0.084`, as every app shows it. */
function dollars(value: number): string {
  return `$${value.toFixed(3)}`
}
