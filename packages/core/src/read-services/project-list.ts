import type { ProjectRecord } from '../store/records.js'
import type { TrackerStore } from '../store/tracker-store.js'
import { DEFAULT_CATALOGUE_LIMIT, boundOf } from './read-limits.js'

/** A recorded project and how many commits were made in it. */
export interface ProjectSummary extends ProjectRecord {
  readonly commits: number
}

/**
 * Every recorded project with its profile and commit count, most recently active first. First and
 * last seen are the times of the project's first and last recorded work (commits, grades, bugs,
 * journal entries, else days of usage), not when its record was written: a migration writes
 * records long after the work.
 * @throws {TrackerError} INVALID_QUERY for a bad limit.
 */
export async function projectList(store: TrackerStore, query: { readonly limit?: number | undefined } = {}): Promise<ProjectSummary[]> {
  const all = { order: 'any' } as const
  const [projects, commits, gradeEvents, bugs, activities, usage] = await Promise.all([
    store.find('projects', { limit: boundOf(query.limit, DEFAULT_CATALOGUE_LIMIT) }), store.findCommitRefs(all),
    store.find('gradeEvents', all), store.find('bugs', all), store.find('activities', all), store.find('usage', all),
  ])
  const counts = new Map<string, number>()
  for (const commit of commits) counts.set(commit.project, (counts.get(commit.project) ?? 0) + 1)
  const worked = spans([...commits, ...gradeEvents, ...bugs, ...activities])
  const used = spans(usage.map((day) => ({ project: day.project, at: `${day.day}T00:00:00.000Z` })))
  return projects
    .map((project) => {
      const span = worked.get(project.path) ?? used.get(project.path)
      return { ...project, ...(span === undefined ? {} : { firstSeenAt: span.first, lastSeenAt: span.last }), commits: counts.get(project.path) ?? 0 }
    })
    .sort((a, b) => (a.lastSeenAt < b.lastSeenAt ? 1 : a.lastSeenAt > b.lastSeenAt ? -1 : 0))
}

/** The first and last time of each project's records. */
function spans(records: readonly { readonly project: string; readonly at: string }[]): Map<string, { first: string; last: string }> {
  const found = new Map<string, { first: string; last: string }>()
  for (const { project, at } of records) {
    const span = found.get(project)
    if (span === undefined) found.set(project, { first: at, last: at })
    else {
      if (at < span.first) span.first = at
      if (at > span.last) span.last = at
    }
  }
  return found
}
