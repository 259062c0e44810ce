import type { SetupGitEvidence } from '../evidence/evidence-grades.js'
import { gitEvidenceBySetup } from '../evidence/evidence-grades.js'
import { isCountedGrade } from '../facts/grade-channel.js'
import type { CommitRef } from '../store/commit-ref.js'
import type { Mutable } from '../mutable.js'
import type { BugRecord, EvidenceRecord, GradeEventRecord, GradeSums, UsageRecord } from '../store/records.js'
import { dayOf } from '../time/iso-timestamp.js'
import type { OutcomeDay } from '../rollups/outcome-days.js'
import type { SetupEvidence, TimedWeight } from './grade-model.js'
import type { GradeBatch } from './change-point.js'

/** One setup's outcomes on the similar projects, weighted and raw. */
export interface SetupOutcomes extends SetupEvidence {
  /** Commits, unweighted. */
  readonly commitCount: number
  /** User-graded commits, unweighted (the sample size shown). */
  readonly gradeCount: number
  /** Plain mean of the user grades; null without any. */
  readonly rawMeanGrade: number | null
  readonly projects: ReadonlySet<string>
  readonly cost: number
  /** Assistant messages whose cost was recorded; without any, cost per commit is unknown. */
  readonly messages: number
  /** The part of `cost` estimated from list prices. */
  readonly estimatedCost: number
  /** Messages of models without a known price: their cost is in no sum, so cost per commit is unknown. */
  readonly unpricedMessages: number
  /** Its git evidence on the similar projects; null without any that counts. */
  readonly git: SetupGitEvidence | null
}

/**
 * What {@link collectOutcomes} reads: records of similar projects count, weighted by similarity.
 * The day rollups (`usage`) hold every count the model needs, so commits, grade events and bugs
 * one by one are optional: without them, the rollups' are used — the same grades (the model takes a
 * setup's grades a day at a time either way), and commits and bugs dated to their day's noon.
 */
export interface OutcomeSources {
  /** The commits one by one; without them, the usage rollups' commits count at their day's noon (UTC). */
  readonly commits?: readonly CommitRef[] | undefined
  /** The grade events one by one; without them, the usage rollups' counted user grades. */
  readonly gradeEvents?: readonly GradeEventRecord[] | undefined
  /** The bugs one by one; without them, the usage rollups' bugs count at their day's noon (UTC). */
  readonly bugs?: readonly BugRecord[] | undefined
  readonly usage: readonly UsageRecord[]
  /** Git evidence (see `gitEvidenceBySetup`); left out when absent. */
  readonly evidence?: readonly EvidenceRecord[]
}

/**
 * Gathers each setup's outcomes on the similar projects (`similarity` by project path): its
 * grades as a batch per UTC day (see `GradeBatch`), its commits and bugs in time order, each
 * weighted by its project's similarity. Only grades that count (see `isCountedGrade`) are read: a
 * user grade that came through a channel not the user's own, unvouched, says nothing about the
 * setup. Git evidence, where given, becomes one pseudo-grade per commit with evidence, dated by its
 * commit. The same as an {@link outcomeCollector} given every day rollup in turn.
 */
export function collectOutcomes(sources: OutcomeSources, similarity: ReadonlyMap<string, number>): SetupOutcomes[] {
  const collector = outcomeCollector(sources, similarity)
  for (const day of sources.usage) collector.add(day)
  return collector.finish(sources.evidence ?? [])
}

/** {@link collectOutcomes} a day rollup at a time: what a reader keeps of the rollups as it reads them, instead of them all. */
export interface OutcomeCollector {
  /** Counts one day rollup, or its outcome day (one of another project is passed over). */
  add(day: OutcomeDay): void
  /** The outcomes of the rollups added, with their git evidence: once, after the last rollup. */
  finish(evidence: readonly EvidenceRecord[]): SetupOutcomes[]
}

/**
 * Collects outcomes as {@link collectOutcomes} does, from the day rollups given one at a time
 * (`add`, in the order `collectOutcomes` would read them) and the git evidence at the end
 * (`finish`): the commits, grade events and bugs one by one, where given, are read at once. A
 * rollup's outcome day (see `OutcomeDay`) counts as the rollup does. Each setup's sums depend on
 * the order of that setup's rollups alone: project by project, each project's days in time order.
 */
export function outcomeCollector(sources: Omit<OutcomeSources, 'usage' | 'evidence'>, similarity: ReadonlyMap<string, number>): OutcomeCollector {
  interface Gathered { days: Map<string, Mutable<GradeBatch>>; gradeCount: number; gradeSum: number; commits: TimedWeight[]; commitCount: number; bugs: TimedWeight[]; projects: Set<string>; cost: number; messages: number; estimatedCost: number; unpricedMessages: number }
  const per = new Map<string, Gathered>()
  const slot = (setup: string, project: string): Gathered => {
    const found = per.get(setup) ?? { days: new Map(), gradeCount: 0, gradeSum: 0, commits: [], commitCount: 0, bugs: [], projects: new Set<string>(), cost: 0, messages: 0, estimatedCost: 0, unpricedMessages: 0 }
    per.set(setup, found)
    found.projects.add(project)
    return found
  }
  // Grades of a day, weighted by their project's similarity, add to the setup's batch of that day.
  const addGrades = (s: Gathered, day: string, weight: number, grades: GradeSums): void => {
    const batch = s.days.get(day) ?? { at: `${day}T00:00:00.000Z`, count: 0, weight: 0, weightSquares: 0, sum: 0, squares: 0 }
    s.days.set(day, batch)
    batch.count += grades.count
    batch.weight += weight * grades.count
    batch.weightSquares += weight ** 2 * grades.count
    batch.sum += weight * grades.sum
    batch.squares += weight * grades.squares
    s.gradeCount += grades.count
    s.gradeSum += grades.sum
  }
  for (const commit of sources.commits ?? []) {
    const weight = similarity.get(commit.project)
    if (weight === undefined) continue
    const s = slot(commit.setup, commit.project)
    s.commits.push({ weight, at: commit.at })
    s.commitCount += 1
  }
  for (const event of sources.gradeEvents ?? []) {
    const weight = similarity.get(event.project)
    if (weight === undefined || event.userGrade === undefined || !isCountedGrade(event)) continue
    addGrades(slot(event.setup, event.project), dayOf(event.at), weight, { count: 1, sum: event.userGrade, squares: event.userGrade ** 2 })
  }
  for (const bug of sources.bugs ?? []) {
    const weight = similarity.get(bug.project)
    if (weight !== undefined) slot(bug.setup, bug.project).bugs.push({ weight, at: bug.at })
  }
  const add = (day: OutcomeDay): void => {
    const weight = similarity.get(day.project)
    if (weight === undefined) return
    const s = slot(day.setup, day.project)
    s.cost += day.cost
    s.messages += day.messages
    s.estimatedCost += day.estimatedCost ?? 0
    s.unpricedMessages += day.unpricedMessages ?? 0
    // What is not given one by one counts from the rollup: commits and bugs at the day's noon, grades as the day's.
    const noon = `${day.day}T12:00:00.000Z`
    if (sources.gradeEvents === undefined && day.grades.user.count > 0) addGrades(s, day.day, weight, day.grades.user)
    if (sources.bugs === undefined && day.bugs > 0) s.bugs.push({ weight: weight * day.bugs, at: noon })
    if (sources.commits !== undefined || day.commits === 0) return
    // A day's commits weigh as much as its commits one by one; when they were made, to the day.
    s.commits.push({ weight: weight * day.commits, at: noon })
    s.commitCount += day.commits
  }
  const finish = (evidence: readonly EvidenceRecord[]): SetupOutcomes[] => {
    const commitTimes = new Map((sources.commits ?? []).map((commit) => [commit.hash, commit.at]))
    const git = gitEvidenceBySetup(evidence, similarity, commitTimes)
    for (const record of evidence) if (git.has(record.setup) && similarity.has(record.project)) slot(record.setup, record.project)
    const byTime = <T extends { at: string }>(items: T[]): T[] => items.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
    // By setup id, whatever order the store read the rollups in: the model's draws go to the setups in this order.
    return [...per].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([setup, s]) => ({
      setup,
      grades: byTime([...s.days.values()]),
      commits: byTime(s.commits),
      bugs: byTime(s.bugs),
      commitCount: s.commitCount,
      gradeCount: s.gradeCount,
      rawMeanGrade: s.gradeCount === 0 ? null : s.gradeSum / s.gradeCount,
      projects: s.projects,
      cost: s.cost,
      messages: s.messages,
      estimatedCost: s.estimatedCost,
      unpricedMessages: s.unpricedMessages,
      ...gitOf(git.get(setup)),
    }))
  }
  return { add, finish }
}

function gitOf(git: SetupGitEvidence | undefined): { git: SetupGitEvidence | null; gitEvidence?: SetupGitEvidence['grades'] } {
  return git === undefined || git.grades.length === 0 ? { git: null } : { git, gitEvidence: git.grades }
}
