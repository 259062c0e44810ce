import type { SetupGitEvidence } from '../evidence/evidence-grades.js'
import { gitEvidenceBySetup } from '../evidence/evidence-grades.js'
import { isCountedGrade } from '../facts/grade-channel.js'
import type { CommitRef } from '../store/commit-ref.js'
import type { BugRecord, EvidenceRecord, GradeEventRecord, UsageRecord } from '../store/records.js'
import type { SetupEvidence, TimedWeight } from './grade-model.js'
import type { TimedGrade } from './change-point.js'

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
  /** Its git evidence on the similar projects; null without any that counts. */
  readonly git: SetupGitEvidence | null
}

/** What {@link collectOutcomes} reads: records of similar projects count, weighted by similarity. */
export interface OutcomeSources {
  /** The commits one by one; without them, the usage rollups' commits count at their day's noon (UTC). */
  readonly commits?: readonly CommitRef[] | undefined
  readonly gradeEvents: readonly GradeEventRecord[]
  readonly bugs: readonly BugRecord[]
  readonly usage: readonly UsageRecord[]
  /** Git evidence (see `gitEvidenceBySetup`); left out when absent. */
  readonly evidence?: readonly EvidenceRecord[]
}

/**
 * Gathers each setup's outcomes on the similar projects (`similarity` by project path): its
 * grades, commits and bugs in time order, each weighted by its project's similarity. Only grades
 * that count (see `isCountedGrade`) are read: a user grade that came through a channel not the
 * user's own, unvouched, says nothing about the setup. Git evidence, where given, becomes one
 * pseudo-grade per commit with evidence, dated by its commit.
 */
export function collectOutcomes(sources: OutcomeSources, similarity: ReadonlyMap<string, number>): SetupOutcomes[] {
  interface Mutable { grades: TimedGrade[]; commits: TimedWeight[]; commitCount: number; bugs: TimedWeight[]; projects: Set<string>; cost: number; messages: number }
  const per = new Map<string, Mutable>()
  const slot = (setup: string, project: string): Mutable => {
    const found = per.get(setup) ?? { grades: [], commits: [], commitCount: 0, bugs: [], projects: new Set<string>(), cost: 0, messages: 0 }
    per.set(setup, found)
    found.projects.add(project)
    return found
  }
  for (const commit of sources.commits ?? []) {
    const weight = similarity.get(commit.project)
    if (weight === undefined) continue
    const s = slot(commit.setup, commit.project)
    s.commits.push({ weight, at: commit.at })
    s.commitCount += 1
  }
  for (const event of sources.gradeEvents) {
    const weight = similarity.get(event.project)
    if (weight !== undefined && event.userGrade !== undefined && isCountedGrade(event)) slot(event.setup, event.project).grades.push({ grade: event.userGrade, weight, at: event.at })
  }
  for (const bug of sources.bugs) {
    const weight = similarity.get(bug.project)
    if (weight !== undefined) slot(bug.setup, bug.project).bugs.push({ weight, at: bug.at })
  }
  for (const day of sources.usage) {
    const weight = similarity.get(day.project)
    if (weight === undefined) continue
    const s = slot(day.setup, day.project)
    s.cost += day.cost
    s.messages += day.messages
    if (sources.commits !== undefined || day.commits === 0) continue
    // A day's commits weigh as much as its commits one by one; when they were made, to the day.
    s.commits.push({ weight: weight * day.commits, at: `${day.day}T12:00:00.000Z` })
    s.commitCount += day.commits
  }
  const commitTimes = new Map((sources.commits ?? []).map((commit) => [commit.hash, commit.at]))
  const git = gitEvidenceBySetup(sources.evidence ?? [], similarity, commitTimes)
  for (const record of sources.evidence ?? []) if (git.has(record.setup) && similarity.has(record.project)) slot(record.setup, record.project)
  const byTime = <T extends { at: string }>(items: T[]): T[] => items.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
  return [...per].map(([setup, s]) => ({
    setup,
    grades: byTime(s.grades),
    commits: byTime(s.commits),
    bugs: byTime(s.bugs),
    commitCount: s.commitCount,
    gradeCount: s.grades.length,
    rawMeanGrade: s.grades.length === 0 ? null : s.grades.reduce((sum, g) => sum + g.grade, 0) / s.grades.length,
    projects: s.projects,
    cost: s.cost,
    messages: s.messages,
    ...gitOf(git.get(setup)),
  }))
}

function gitOf(git: SetupGitEvidence | undefined): { git: SetupGitEvidence | null; gitEvidence?: SetupGitEvidence['grades'] } {
  return git === undefined || git.grades.length === 0 ? { git: null } : { git, gitEvidence: git.grades }
}
