import { gradeLabel } from '../facts/grade.js'
import { isCountedGrade } from '../facts/grade-channel.js'
import type { ActivityRecord, BugRecord, CommitRecord, GradeEventRecord } from '../store/records.js'

/** One line of a setup's history. */
export interface HistoryEntry {
  readonly at: string
  readonly kind: 'commit' | 'grade' | 'bug' | 'activity'
  readonly project: string
  readonly summary: string
}

/** Merges a setup's commits, grades, bugs and activities into one timeline, newest first. */
export function buildHistory(records: {
  readonly commits: readonly CommitRecord[]
  readonly gradeEvents: readonly GradeEventRecord[]
  readonly bugs: readonly BugRecord[]
  readonly activities: readonly ActivityRecord[]
}, limit?: number): HistoryEntry[] {
  const entries: HistoryEntry[] = [
    ...records.commits.map((c) => ({ at: c.at, kind: 'commit' as const, project: c.project, summary: `${c.hash.slice(0, 8)} ${c.message}`.trim() })),
    ...records.gradeEvents.map((g) => ({ at: g.at, kind: 'grade' as const, project: g.project, summary: describeGrade(g) })),
    ...records.bugs.map((b) => ({ at: b.at, kind: 'bug' as const, project: b.project, summary: `reported by the ${b.by}${b.commit === undefined ? '' : ` on ${b.commit.slice(0, 8)}`}${b.note === undefined ? '' : `: ${b.note}`}` })),
    ...records.activities.map((a) => ({ at: a.at, kind: 'activity' as const, project: a.project, summary: [a.task, a.outcome].filter((part) => part !== '').join(' → ') })),
  ]
  entries.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
  return limit === undefined ? entries : entries.slice(0, limit)
}

function describeGrade(event: GradeEventRecord): string {
  const parts = [
    event.agentGrade === undefined ? undefined : `agent ${gradeLabel(event.agentGrade)}`,
    event.userGrade === undefined ? undefined : `user ${gradeLabel(event.userGrade)}`,
  ].filter((part) => part !== undefined)
  const via = event.channel === undefined ? '' : ` via ${event.channel}${event.vouched === true ? ' (vouched for)' : ''}`
  const uncounted = isCountedGrade(event) ? '' : ' — not counted: not the user\'s own channel'
  return `${event.commit.slice(0, 8)} graded ${parts.join(', ')}${via}${event.note === undefined ? '' : ` (${event.note})`}${uncounted}`
}
