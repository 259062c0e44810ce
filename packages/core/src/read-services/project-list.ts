import type { ProjectRecord } from '../store/records.js'
import type { TrackerStore } from '../store/tracker-store.js'
import { visitRecords } from '../store/tracker-store.js'
import { ProjectSpans, countsWork } from '../rollups/project-days.js'
import { dayOf } from '../time/iso-timestamp.js'
import { DEFAULT_CATALOGUE_LIMIT, boundOf } from './read-limits.js'

/** A recorded project and how many commits were made in it. */
export interface ProjectSummary extends ProjectRecord {
  readonly commits: number
}

/**
 * Every recorded project with its profile and commit count, most recently active first. First and
 * last seen are the times of the project's first and last recorded work, not when its record was
 * written (a migration writes records long after the work): the days come from the day rollups,
 * which count every commit, bug, grade and tool call, imported ones too; the times, from the
 * project record's own (recorded live, each fact widens them) and its first and last commits, where
 * they fall on those days, else the day from its start. Reads the projects, each project's days
 * of work where the store keeps them (else the day rollups) and two commits a project — never
 * every event.
 * @throws {TrackerError} INVALID_QUERY for a bad limit.
 */
export async function projectList(store: TrackerStore, query: { readonly limit?: number | undefined } = {}): Promise<ProjectSummary[]> {
  const projects = await store.find('projects', { limit: boundOf(query.limit, DEFAULT_CATALOGUE_LIMIT) })
  const worked = await workSpans(store, projects)
  const summaries = await Promise.all(projects.map(async (project): Promise<ProjectSummary> => {
    const span = worked.get(project.path)
    if (span === undefined) return { ...project, commits: 0 }
    // The project's first and last commits (two reads of its time index, no commit record) time an imported history's days.
    const [first, last] = await Promise.all((['oldest', 'newest'] as const).map(async (order) => (await store.findCommitRefs({ project: project.path, order, limit: 1 }))[0]?.at))
    // Any known time may fall on the first or the last day of work (a journal entry a day later moves lastSeenAt off it).
    const known = [project.firstSeenAt, project.lastSeenAt, first, last]
    const firstSeenAt = timeOn(span.firstDay, known, 'first')
    const lastSeenAt = timeOn(span.lastDay, known, 'last')
    return { ...project, firstSeenAt, lastSeenAt: lastSeenAt < firstSeenAt ? firstSeenAt : lastSeenAt, commits: span.commits }
  }))
  return summaries.sort((a, b) => (a.lastSeenAt < b.lastSeenAt ? 1 : a.lastSeenAt > b.lastSeenAt ? -1 : 0))
}

/** The first (or last) of the known times that fall on `day`; the day's start when none does. */
function timeOn(day: string, times: readonly (string | undefined)[], which: 'first' | 'last'): string {
  const on = times.filter((time): time is string => time !== undefined && dayOf(time) === day).sort()
  return (which === 'first' ? on[0] : on.at(-1)) ?? `${day}T00:00:00.000Z`
}

/**
 * The listed projects' days of work: from the store's project days where it keeps them (a few
 * small records per project), else from every day rollup, each counted as it is read and none
 * kept (a store's `visitRecords`).
 */
async function workSpans(store: TrackerStore, projects: readonly ProjectRecord[]): Promise<ProjectSpans> {
  const spans = new ProjectSpans()
  const read = store.projectDays?.bind(store)
  const kept = read === undefined ? undefined : await Promise.all(projects.map((project) => read(project.path)))
  if (kept?.every((days) => days !== undefined) === true) {
    for (const days of kept) for (const day of days) spans.add(day.project, day.day, day.commits)
    return spans
  }
  await visitRecords(store, 'usage', { order: 'any' }, (rollup) => {
    if (countsWork(rollup)) spans.add(rollup.project, rollup.day, rollup.commits)
  })
  return spans
}
