import type { RecordsOneByOne } from '../projects/recommend.js'
import type { CommitRef } from '../store/commit-ref.js'
import type { BugRecord, EvidenceRecord, GradeEventRecord, UsageRecord } from '../store/records.js'

/** The records of a database in time order, cut at any time to what was known then. */
export interface RecordTimeline {
  readonly commits: readonly CommitRef[]
  readonly gradeEvents: readonly GradeEventRecord[]
  readonly bugs: readonly BugRecord[]
  /** Every record recorded strictly before `at` (usage: days before its day; evidence: found before it); projects first seen by then. */
  before(at: string): RecordsOneByOne
}

/** Sorts the records by time once, so that each cut is a few binary searches. */
export function recordTimeline(records: RecordsOneByOne): RecordTimeline {
  const byTime = <T>(items: readonly T[], time: (item: T) => string): T[] => [...items].sort((a, b) => (time(a) < time(b) ? -1 : time(a) > time(b) ? 1 : 0))
  const commits = byTime(records.commits ?? [], (c) => c.at)
  const gradeEvents = byTime(records.gradeEvents, (e) => e.at)
  const bugs = byTime(records.bugs, (b) => b.at)
  const usage = byTime(records.usage, (u: UsageRecord) => u.day)
  const projects = byTime(records.projects, (p) => p.firstSeenAt)
  const evidence = byTime(records.evidence ?? [], (e: EvidenceRecord) => e.at)
  return {
    commits,
    gradeEvents,
    bugs,
    before: (at) => {
      const day = at.slice(0, 10)
      return {
        projects: projects.slice(0, countBefore(projects, (p) => p.firstSeenAt, at, true)),
        ...(records.commits === undefined ? {} : { commits: commits.slice(0, countBefore(commits, (c) => c.at, at)) }),
        gradeEvents: gradeEvents.slice(0, countBefore(gradeEvents, (e) => e.at, at)),
        bugs: bugs.slice(0, countBefore(bugs, (b: BugRecord) => b.at, at)),
        usage: usage.slice(0, countBefore(usage, (u) => u.day, day)),
        evidence: evidence.slice(0, countBefore(evidence, (e: EvidenceRecord) => e.at, at)),
      }
    },
  }
}

/** How many of the sorted items come before `at` (or at it, when `inclusive`). */
export function countBefore<T>(sorted: readonly T[], time: (item: T) => string, at: string, inclusive = false): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >>> 1
    const value = time(sorted[middle] as T)
    if (value < at || (inclusive && value === at)) low = middle + 1
    else high = middle
  }
  return low
}
