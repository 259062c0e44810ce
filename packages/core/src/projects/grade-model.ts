import type { NormalComponent, NormalMixture } from '../stats/normal-mixture.js'
import { mixtureMean } from '../stats/normal-mixture.js'
import { normalCdf } from '../stats/normal.js'
import type { GradeBatch, TimedGrade } from './change-point.js'
import { chanceOfBest } from './chance-of-best.js'
import type { EvidenceTuning, SetupSummary } from './grade-hierarchy.js'
import { conditionalLevel, summariseSetups, tauPosterior } from './grade-hierarchy.js'

/** Something that happened at a time, and how much it counts (its project's similarity). */
export interface TimedWeight {
  readonly weight: number
  readonly at: string
}

/** What is known about one setup on projects like the target, each list in time order. */
export interface SetupEvidence {
  readonly setup: string
  /** Its grades, a batch per day (see `GradeBatch`). */
  readonly grades: readonly GradeBatch[]
  readonly commits: readonly TimedWeight[]
  readonly bugs: readonly TimedWeight[]
  /** Pseudo-grades from git evidence, one per commit with evidence (see `gitEvidenceBySetup`), in time order. */
  readonly gitEvidence?: readonly TimedGrade[]
}

/** Tuning of {@link fitGradeModel}. */
export interface GradeModelOptions {
  /** Grade points one bug per commit costs in the score. */
  readonly bugWeight: number
  /** Weight of the pooled bug rate in a setup's bug rate, in pseudo-commits. */
  readonly bugPriorStrength: number
  /** Prior chance per graded commit that a setup's level changes; 0 assumes it never does. */
  readonly changeHazard: number
  /** How git evidence enters, as a second and weaker observation of each setup's level; without it, evidence is left out. */
  readonly evidence?: EvidenceTuning
}

/** A posterior bug rate (Gamma). */
export interface BugRatePosterior {
  readonly shape: number
  readonly rate: number
  readonly mean: number
  readonly variance: number
}

/** The posterior of one setup's expected grade, bug rate and score. */
export interface SetupPosterior {
  readonly setup: string
  /** Grades behind its current level, after weighting and change detection. */
  readonly effectiveSamples: number
  /** Estimated standard deviation of one grade of this setup. */
  readonly spread: number
  /** Posterior of its expected grade: a normal mixture over when its current level began and over τ. */
  readonly grade: NormalMixture
  readonly expectedGrade: number
  readonly bugRate: BugRatePosterior
  /** expectedGrade − bugWeight × bug rate. */
  readonly expectedScore: number
  /** Probability that its level changed during the history (the current level began after its first day of grades). */
  readonly changed: number
  /** Share of its current level's precision that came from git evidence: 0 without any, 1 from evidence alone. */
  readonly evidenceShare: number
}

/** The fitted model: a posterior per setup, and chances computed from the joint posterior. */
export interface GradeModel {
  readonly setups: readonly SetupPosterior[]
  /**
   * P(score of `challenger` ≥ score of `leader`) under the joint posterior. Given `enough`, it stops
   * once the chance has reached it, and answers what it has added up by then: at least `enough`,
   * the same as the whole chance for a test of `≥ enough` (every term it adds is a probability).
   */
  chanceAtLeast(leader: string, challenger: string, enough?: number): number
  /** P(the setup has the highest score of all), by a fixed-seed Monte Carlo over the joint posterior. */
  readonly chanceBest: ReadonlyMap<string, number>
}

/**
 * Fits the recommendation model. Per setup, a change-point posterior over its grades says when
 * its current level began (see `currentLevel`); across setups, a hierarchical normal model —
 * θ_s ~ N(μ, τ²), flat prior on μ, half-normal prior on τ, integrated over a grid of τ — pulls
 * setups with little data towards the others as far as the others' spread warrants. Each
 * setup's posterior is the resulting mixture; its spread σ_s pools its own with every setup's,
 * and the variance of a mean from n grades is inflated by (ν)/(ν − 2), ν = n + 3, for σ_s being
 * estimated. Bug rates are Gamma–Poisson, shrunk towards the pooled rate, counting commits and
 * bugs of the current level.
 */
export function fitGradeModel(evidence: readonly SetupEvidence[], options: GradeModelOptions): GradeModel {
  const summaries = summariseSetups(evidence, options.changeHazard, options.evidence)
  const grid = tauPosterior(summaries.filter((s) => s.mean !== null))
  const bugs = bugRates(evidence, summaries, options.bugPriorStrength)
  const parts = new Map(summaries.map((s) => [s.setup, s.levels.map((level) => grid.map((g) => conditionalLevel(level, g)))]))

  const setups = summaries.map((s): SetupPosterior => {
    const byLevel = parts.get(s.setup) ?? []
    // The components that weigh anything, as plain literals: no spread of a copy and no filtered
    // copy (levels × 20 grid points each, for every setup, mostly before the engine optimises it).
    const grade: NormalComponent[] = []
    s.levels.forEach((level, l) => {
      grid.forEach((g, index) => {
        const weight = level.probability * g.weight
        const c = byLevel[l]?.[index]
        if (weight > 1e-5) grade.push({ weight, mean: c?.mean ?? 0, variance: c?.variance ?? 0 })
      })
    })
    const expectedGrade = mixtureMean(grade) / grade.reduce((sum, c) => sum + c.weight, 0)
    const bug = bugs.get(s.setup) ?? { shape: 0, rate: 0, mean: 0, variance: 0 }
    return {
      setup: s.setup,
      effectiveSamples: s.n,
      spread: s.spread,
      grade: normalise(grade),
      expectedGrade,
      bugRate: bug,
      expectedScore: expectedGrade - options.bugWeight * bug.mean,
      changed: s.levels.filter((level) => level.start > 0).reduce((sum, level) => sum + level.probability, 0),
      evidenceShare: s.evidenceShare,
    }
  })

  const chanceAtLeast = (leader: string, challenger: string, enough = Infinity): number => {
    const a = summaries.find((s) => s.setup === leader)
    const b = summaries.find((s) => s.setup === challenger)
    const bugA = bugs.get(leader)
    const bugB = bugs.get(challenger)
    if (a === undefined || b === undefined || bugA === undefined || bugB === undefined) return 0
    const w = options.bugWeight
    const bugMean = -w * (bugB.mean - bugA.mean)
    const bugVariance = w * w * (bugA.variance + bugB.variance)
    // Each level's θ given τ, computed once per setup above (`parts`), at every point of the grid.
    const partsA = parts.get(leader) ?? []
    const partsB = parts.get(challenger) ?? []
    // Indexed loops: this runs for every challenger of a recommendation, grid × levels² times.
    let chance = 0
    for (let index = 0; index < grid.length; index++) {
      const g = grid[index]
      if (g === undefined) continue
      let inner = 0
      for (let la = 0; la < a.levels.length; la++) {
        const levelA = a.levels[la]
        const ca = partsA[la]?.[index]
        if (levelA === undefined || ca === undefined) continue
        let acc = 0
        for (let lb = 0; lb < b.levels.length; lb++) {
          const levelB = b.levels[lb]
          const cb = partsB[lb]?.[index]
          if (levelB === undefined || cb === undefined) continue
          const mean = cb.mean - ca.mean + bugMean
          // θ_a and θ_b share μ: Var(θ_b − θ_a) = V_a(1 − B_a) + V_b(1 − B_b) + (B_a − B_b)² Var(μ).
          const variance = ca.own + cb.own + (ca.shrink - cb.shrink) ** 2 * g.muVariance + bugVariance
          acc += levelB.probability * (variance <= 0 ? Number(mean >= 0) : normalCdf(mean / Math.sqrt(variance)))
        }
        inner += levelA.probability * acc
      }
      chance += g.weight * inner
      // Sums of terms never below 0 never fall: what has reached `enough` stays there.
      if (chance >= enough) return chance
    }
    return chance
  }

  return { setups, chanceAtLeast, chanceBest: chanceOfBest(summaries, grid, bugs, options.bugWeight) }
}

function normalise(mixture: NormalMixture): NormalMixture {
  const total = mixture.reduce((sum, c) => sum + c.weight, 0)
  return mixture.map((c) => ({ weight: c.weight / total, mean: c.mean, variance: c.variance }))
}

/** Gamma–Poisson bug rates: commits and bugs of the setup's current level, with the pooled rate as prior. */
function bugRates(evidence: readonly SetupEvidence[], summaries: readonly SetupSummary[], strength: number): Map<string, BugRatePosterior> {
  const relevance = new Map(summaries.map((s) => [s.setup, s.relevance]))
  const counted = (setup: string, items: readonly TimedWeight[]): number => {
    const relevant = relevance.get(setup) ?? (() => 1)
    return items.reduce((sum, item) => sum + item.weight * relevant(item.at), 0)
  }
  const totals = evidence.map((e) => ({ setup: e.setup, commits: counted(e.setup, e.commits), bugs: counted(e.setup, e.bugs) }))
  const totalCommits = totals.reduce((sum, t) => sum + t.commits, 0)
  const pooledRate = totalCommits === 0 ? 0 : totals.reduce((sum, t) => sum + t.bugs, 0) / totalCommits
  return new Map(totals.map((t) => {
    const shape = strength * pooledRate + t.bugs
    const rate = strength + t.commits
    return [t.setup, { shape, rate, mean: shape / rate, variance: shape / rate ** 2 }]
  }))
}

