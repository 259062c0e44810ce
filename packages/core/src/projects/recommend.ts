import type { ProjectProfile } from './project-profile.js'
import type { CommitRef } from '../store/commit-ref.js'
import { EVIDENCE_BIAS_SD, EVIDENCE_WEIGHT } from '../evidence/evidence-grades.js'
import type { BugRecord, EvidenceRecord, GradeEventRecord, ProjectRecord, UsageRecord } from '../store/records.js'
import { mixtureInterval } from '../stats/normal-mixture.js'
import { GRADES } from '../facts/grade.js'
import type { GradeModel, SetupPosterior } from './grade-model.js'
import { fitGradeModel } from './grade-model.js'
import { isAboveThreshold, projectSimilarity } from './project-similarity.js'
import type { SetupOutcomes } from './setup-evidence.js'
import { collectOutcomes } from './setup-evidence.js'
import { recommendationMessage, setupReason } from './recommend-text.js'
import { compareText } from '../text/compare-text.js'
import { costPerCommit as knownCostPerCommit } from '../reports/cost-per-commit.js'

/** Tuning of {@link recommendSetups}; the defaults are documented in docs/recommendation.md. */
export interface RecommendOptions {
  /** Graded commits on similar projects a setup needs before it is ranked. Default 5. */
  readonly minSamples?: number
  /** Weight of the pooled bug rate in each setup's bug rate, in pseudo-commits. Default 5. */
  readonly priorStrength?: number
  /** Grade points one bug per commit costs in the ranking score. Default 2. */
  readonly bugWeight?: number
  /** Prior chance, per graded commit, that a setup's level changes (a model update behind the same name); 0 turns change detection off. Default 0.004. */
  readonly changeRate?: number
  /** Besides the 90% interval, credible intervals at these levels (each in (0, 1)), e.g. for calibration checks. */
  readonly levels?: readonly number[]
  /**
   * What git evidence on one commit counts for, as a share of one user grade — the second, weaker
   * signal (see `gitEvidenceBySetup`); 0 leaves evidence out. Default {@link EVIDENCE_WEIGHT} (0.1).
   */
  readonly evidenceWeight?: number
}

/** Records the recommendation is computed from. */
export interface RecommendRecords {
  readonly projects: readonly ProjectRecord[]
  /**
   * Commit references suffice: commits are counted per setup and project, and weighed by when
   * they were made. Without them, each day rollup's commits count at that day's noon (UTC): the
   * same counts from one record per setup, project and day.
   */
  readonly commits?: readonly CommitRef[] | undefined
  /** The grade events one by one; without them, the day rollups' counted user grades (the same grades: the model takes a setup's grades a day at a time). */
  readonly gradeEvents?: readonly GradeEventRecord[] | undefined
  /** The bugs one by one; without them, each day rollup's bugs count at that day's noon (UTC). */
  readonly bugs?: readonly BugRecord[] | undefined
  readonly usage: readonly UsageRecord[]
  /** Git evidence on commits (agent-tracker evidence); without it, only grades and bugs count. */
  readonly evidence?: readonly EvidenceRecord[]
}

/** Records with the grade events and bugs one by one: what a replay cuts at any time (see `recordTimeline`). */
export interface RecordsOneByOne extends RecommendRecords {
  readonly gradeEvents: readonly GradeEventRecord[]
  readonly bugs: readonly BugRecord[]
}

/** The git evidence a setup's estimate used: commits with evidence on similar projects, what it said, and its share. */
export interface EvidenceUsed {
  /** Commits with evidence (a pseudo-grade each). */
  readonly commits: number
  /** Open suspected bugs and reverts among them. */
  readonly suspectedBugs: number
  readonly reverts: number
  /** Share of added lines that survived at the longest age measured; null when none was measured. */
  readonly survival: number | null
  /** Share of the estimate's precision that came from the evidence: 0–1. */
  readonly share: number
}

/** A central credible interval of a setup's expected user grade. */
export interface CredibleInterval {
  readonly level: number
  readonly low: number
  readonly high: number
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
  /** Git evidence the estimate used; null without any. */
  readonly evidence: EvidenceUsed | null
  /** Graded commits plus commits with evidence at the evidence's weight: what `minSamples` is compared with. */
  readonly effectiveSamples: number
  /** Plain mean user grade on similar projects; null without any. */
  readonly meanUserGrade: number | null
  /** Posterior mean of its expected user grade: its own grades, weighted, pooled with the other setups'. */
  readonly expectedGrade: number
  /** 90% credible interval of the expected grade. */
  readonly interval: readonly [number, number]
  /** Credible intervals at the levels asked for in {@link RecommendOptions.levels}. */
  readonly intervals?: readonly CredibleInterval[]
  /** Estimated standard deviation of one of its grades (how much one commit's grade varies). */
  readonly gradeSpread: number
  readonly bugsPerCommit: number
  /** Null when unknown: without commits, without recorded usage, or with responses of a model without a known price. */
  readonly costPerCommit: number | null
  /** True when part of `costPerCommit` is estimated from list prices (the host recorded no cost): apps mark it `~`. */
  readonly costEstimated: boolean
  /** expectedGrade − bugWeight × bugsPerCommit: what ranks. */
  readonly score: number
  /** Posterior probability that its score is the highest of the setups listed (what Thompson sampling picks by). */
  readonly chanceBest: number
  readonly reason: string
}

/** A setup worth a trial to learn from: exploration, not the best bet. */
export interface ExplorationSuggestion {
  readonly setup: string
  readonly chanceBest: number
  readonly samples: number
  readonly reason: string
}

/** The answer to "which setup for a project like this one?". */
export interface Recommendation {
  /** `ranked`: at least one setup has enough data; `not-enough-data`: some data, too little; `no-data`: none. */
  readonly state: 'ranked' | 'not-enough-data' | 'no-data'
  readonly profile: ProjectProfile
  readonly similarProjects: readonly SimilarProject[]
  readonly setups: readonly SetupRecommendation[]
  /**
   * The top-ranked setup and every graded setup with at least a {@link CONTENDER_CHANCE} chance of
   * scoring at least as well: the setups the data cannot yet tell apart. One entry means a clear
   * best; empty when none is ranked.
   */
  readonly contenders: readonly string[]
  /** The setup whose next task would teach the most (highest chance of being best after the best bet); null when the data settle it. */
  readonly explore: ExplorationSuggestion | null
  readonly message: string
}

/** A challenger this likely to score at least as well as the leader keeps the leader from being named best. */
export const CONTENDER_CHANCE = 0.025
/** Exploration is suggested for a setup with at least this chance of being the best. */
export const EXPLORE_CHANCE = 0.05

const DEFAULTS = { minSamples: 5, priorStrength: 5, bugWeight: 2, changeRate: 0.004 } as const

/**
 * Ranks setups for a project with the given profile from their outcomes on similar projects
 * (similarity ≥ 0.45, each weighted by its similarity and by recency): a hierarchical model of
 * user grades (see `fitGradeModel`) gives each setup's expected grade with a 90% credible
 * interval, bugs per commit are shrunk towards the pooled rate, cost per commit is for
 * information. Git evidence, where given, is a second and weaker observation of each setup's
 * expected grade (each commit with evidence worth `evidenceWeight` of a grade, never more precise
 * than {@link EVIDENCE_BIAS_SD}). Setups below `minSamples` graded commits (evidence counted at its
 * weight) are listed, not ranked. A best setup is named only when it has `minSamples` graded
 * commits of its own and no other setup with grades or evidence has a {@link CONTENDER_CHANCE}
 * chance of scoring at least as well: evidence alone never names a best.
 */
export function recommendSetups(profile: ProjectProfile, records: RecommendRecords, options: RecommendOptions = {}): Recommendation {
  const similar = similarProjects(profile, records.projects)
  return recommendFromOutcomes(profile, similar, collectOutcomes(records, similarityOf(similar)), options)
}

/** A project like the target, and how alike (see `projectSimilarity`). */
export interface SimilarProject {
  readonly path: string
  readonly similarity: number
}

/** The profiled projects similar enough to the target to learn from (similarity ≥ 0.45), most similar first. */
export function similarProjects(profile: ProjectProfile, projects: readonly ProjectRecord[]): SimilarProject[] {
  return projects
    .flatMap((project) => (project.profile === undefined ? [] : [{ path: project.path, similarity: projectSimilarity(profile, project.profile) }]))
    .filter((entry) => isAboveThreshold(entry.similarity))
    .sort((a, b) => b.similarity - a.similarity || compareText(a.path, b.path))
}

/** Each similar project's similarity, by path: what `collectOutcomes` weighs a project's outcomes by. */
export function similarityOf(similar: readonly SimilarProject[]): Map<string, number> {
  return new Map(similar.map((entry) => [entry.path, entry.similarity]))
}

/**
 * {@link recommendSetups} from the outcomes already collected (see `collectOutcomes` and
 * `outcomeCollector`) on the `similar` projects: a reader that collects them as it reads the day
 * rollups keeps no rollup.
 */
export function recommendFromOutcomes(profile: ProjectProfile, similar: readonly SimilarProject[], outcomes: readonly SetupOutcomes[], options: RecommendOptions = {}): Recommendation {
  const minSamples = options.minSamples ?? DEFAULTS.minSamples
  const bugWeight = options.bugWeight ?? DEFAULTS.bugWeight
  const evidenceWeight = options.evidenceWeight ?? EVIDENCE_WEIGHT
  const model = fitGradeModel(outcomes, {
    bugWeight,
    bugPriorStrength: options.priorStrength ?? DEFAULTS.priorStrength,
    changeHazard: options.changeRate ?? DEFAULTS.changeRate,
    ...(evidenceWeight > 0 ? { evidence: { weight: evidenceWeight, biasSd: EVIDENCE_BIAS_SD } } : {}),
  })
  const posteriors = new Map(model.setups.map((p) => [p.setup, p]))

  const setups = outcomes.map((o) => describeSetup(o, posteriors.get(o.setup), model, { minSamples, profile, levels: options.levels ?? [], evidenceWeight }))
  const ranked = setups
    .filter((s) => s.enoughData)
    .sort((a, b) => b.score - a.score || (a.costPerCommit ?? Infinity) - (b.costPerCommit ?? Infinity) || compareText(a.setup, b.setup))
    .map((s, index) => ({ ...s, rank: index + 1 }))
  const unranked = setups.filter((s) => !s.enoughData).sort((a, b) => b.samples - a.samples || b.score - a.score || compareText(a.setup, b.setup))
  const state = ranked.length > 0 ? 'ranked' : setups.length > 0 ? 'not-enough-data' : 'no-data'
  const top = ranked[0]
  // Evidence alone never names a best: a leader short of minSamples grades of its own has every setup with data beside it.
  const graded = top !== undefined && top.samples >= minSamples
  const contenders = top === undefined
    ? []
    : [top.setup, ...setups.filter((s) => s.setup !== top.setup && (s.samples > 0 || s.evidence !== null) && (!graded || model.chanceAtLeast(top.setup, s.setup, CONTENDER_CHANCE) >= CONTENDER_CHANCE))
      .sort((a, b) => b.score - a.score || compareText(a.setup, b.setup)).map((s) => s.setup)]
  const explore = exploration(setups, top?.setup)
  const listed = [...ranked, ...unranked]
  return {
    state,
    profile,
    similarProjects: similar,
    setups: listed,
    contenders,
    explore,
    message: recommendationMessage({ state, profile, top, contenders: contenders.map((setup) => listed.find((s) => s.setup === setup) ?? top).filter((s) => s !== undefined), minSamples, contenderChance: CONTENDER_CHANCE }),
  }
}

/** The lowest and the highest grade: an expected grade lies between them, whatever a normal approximation says. */
const GRADE_SCALE = [Math.min(...GRADES), Math.max(...GRADES)] as const

/** An interval of expected grades cut to the grade scale (the model's normal tails reach past it when grades are few). */
function onGradeScale([low, high]: readonly [number, number]): [number, number] {
  const clamp = (value: number): number => Math.min(GRADE_SCALE[1], Math.max(GRADE_SCALE[0], value))
  return [clamp(low), clamp(high)]
}

function describeSetup(
  o: SetupOutcomes,
  posterior: SetupPosterior | undefined,
  model: GradeModel,
  context: { minSamples: number; profile: ProjectProfile; levels: readonly number[]; evidenceWeight: number },
): SetupRecommendation {
  const grade = posterior?.grade ?? []
  const interval = onGradeScale(mixtureInterval(grade, 0.9))
  const expectedGrade = posterior?.expectedGrade ?? 0
  const bugsPerCommit = posterior?.bugRate.mean ?? 0
  const costPerCommit = knownCostPerCommit({ commits: o.commitCount, messages: o.messages, cost: o.cost, unpricedMessages: o.unpricedMessages })
  const git = context.evidenceWeight > 0 ? o.git : null
  const evidence: EvidenceUsed | null = git === null
    ? null
    : { commits: git.grades.length, suspectedBugs: git.suspectedBugs, reverts: git.reverts, survival: git.survival, share: posterior?.evidenceShare ?? 0 }
  const effectiveSamples = o.gradeCount + context.evidenceWeight * (evidence?.commits ?? 0)
  const enoughData = effectiveSamples >= context.minSamples
  const described = {
    setup: o.setup,
    rank: null,
    enoughData,
    projects: o.projects.size,
    commits: o.commitCount,
    samples: o.gradeCount,
    evidence,
    effectiveSamples,
    meanUserGrade: o.rawMeanGrade,
    expectedGrade,
    interval,
    ...(context.levels.length === 0 ? {} : { intervals: context.levels.map((level) => {
      const [low, high] = onGradeScale(mixtureInterval(grade, level))
      return { level, low, high }
    }) }),
    gradeSpread: posterior?.spread ?? 0,
    bugsPerCommit,
    costPerCommit,
    costEstimated: costPerCommit !== null && o.estimatedCost > 0,
    score: posterior?.expectedScore ?? 0,
    chanceBest: model.chanceBest.get(o.setup) ?? 0,
  }
  return { ...described, reason: setupReason(described, { ...context, evidenceWeight: context.evidenceWeight }) }
}

function exploration(setups: readonly SetupRecommendation[], bestBet: string | undefined): ExplorationSuggestion | null {
  const candidate = setups
    .filter((s) => s.setup !== bestBet)
    .sort((a, b) => b.chanceBest - a.chanceBest || a.samples - b.samples || compareText(a.setup, b.setup))[0]
  if (candidate === undefined || candidate.chanceBest < EXPLORE_CHANCE) return null
  const chance = `${String(Math.round(candidate.chanceBest * 100))}% chance of being the best`
  return {
    setup: candidate.setup,
    chanceBest: candidate.chanceBest,
    samples: candidate.samples,
    reason: candidate.samples === 0
      ? `no graded commits on projects like this one yet, ${chance} on what is known of setups here`
      : `${chance} from ${String(candidate.samples)} graded commit${candidate.samples === 1 ? '' : 's'}: a trial would narrow its interval (${candidate.interval[0].toFixed(1)}–${candidate.interval[1].toFixed(1)}) most usefully`,
  }
}
