import type { UsageRecord } from '../store/records.js'
import { hasCounters } from './usage-rollup.js'

/**
 * A project's work on one day, over every setup: how many of its day rollups that day count any
 * work, and their commits. What the project list needs of the rollups — each project's first and
 * last day of work and its commits — with one small record per project and day instead of one per
 * setup, project and day. A store may keep these beside the rollups, changed in the same write as
 * them. Key: `[project, day]`; a day with no rollup that counts work has none.
 */
export interface ProjectDayRecord {
  readonly project: string
  /** `YYYY-MM-DD` (UTC), the rollups' day. */
  readonly day: string
  /** Day rollups of the project on that day (one per setup) that count any work. */
  readonly rollups: number
  /** Their commits. */
  readonly commits: number
}

/** A project's first and last day of work and its commits, from its {@link ProjectDayRecord}s. */
export interface ProjectSpan {
  readonly project: string
  readonly firstDay: string
  readonly lastDay: string
  readonly commits: number
}

/** True for a day rollup that counts anything: one that holds only zeros is no work. */
export function countsWork(rollup: UsageRecord): boolean {
  return rollup.commits + rollup.bugs + rollup.grades.agent.count + rollup.grades.user.count > 0 || hasCounters(rollup)
}

/**
 * What replacing a stored day rollup (`previous`, undefined for a new one; `next` undefined for one
 * removed) moves its project's day by: the rollups that count work (−1, 0 or 1) and the commits.
 * Both name the same setup, project and day.
 */
export function projectDayMove(previous: UsageRecord | undefined, next: UsageRecord | undefined): { readonly rollups: -1 | 0 | 1; readonly commits: number } {
  const before = previous !== undefined && countsWork(previous) ? 1 : 0
  const after = next !== undefined && countsWork(next) ? 1 : 0
  return { rollups: (after - before) as -1 | 0 | 1, commits: (next?.commits ?? 0) - (previous?.commits ?? 0) }
}

/** The slot of a project's day, for maps keyed by project and day. */
export function projectDaySlot(project: string, day: string): string {
  return `${project}\u0000${day}`
}

/** Each project's days of work, added up from day rollups: what a store keeps, recomputed. Keyed by {@link projectDaySlot}. */
export function projectDaysOfRollups(rollups: Iterable<UsageRecord>): Map<string, ProjectDayRecord> {
  const days = new Map<string, ProjectDayRecord>()
  for (const rollup of rollups) {
    if (!countsWork(rollup)) continue
    const slot = projectDaySlot(rollup.project, rollup.day)
    const known = days.get(slot)
    days.set(slot, { project: rollup.project, day: rollup.day, rollups: (known?.rollups ?? 0) + 1, commits: (known?.commits ?? 0) + rollup.commits })
  }
  return days
}

/** Each project's span of work, widened a day of work at a time (from {@link ProjectDayRecord}s, or from day rollups that count work). */
export class ProjectSpans {
  readonly #spans = new Map<string, { project: string; firstDay: string; lastDay: string; commits: number }>()

  /** Counts a day of work in a project, with its commits. */
  add(project: string, day: string, commits: number): void {
    const known = this.#spans.get(project)
    if (known === undefined) this.#spans.set(project, { project, firstDay: day, lastDay: day, commits })
    else {
      if (day < known.firstDay) known.firstDay = day
      if (day > known.lastDay) known.lastDay = day
      known.commits += commits
    }
  }

  /** The project's span; undefined for a project with no day of work. */
  get(project: string): ProjectSpan | undefined {
    return this.#spans.get(project)
  }
}
