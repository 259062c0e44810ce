import type { ProjectRecord } from '../store/records.js'
import type { TrackerStore } from '../store/tracker-store.js'
import { DEFAULT_CATALOGUE_LIMIT, boundOf } from './read-limits.js'

/** A recorded project and how many commits were made in it. */
export interface ProjectSummary extends ProjectRecord {
  readonly commits: number
}

/**
 * Every recorded project with its profile and commit count, most recently active first.
 * @throws {TrackerError} INVALID_QUERY for a bad limit.
 */
export async function projectList(store: TrackerStore, query: { readonly limit?: number | undefined } = {}): Promise<ProjectSummary[]> {
  const [projects, rollups] = await Promise.all([
    store.find('projects', { limit: boundOf(query.limit, DEFAULT_CATALOGUE_LIMIT) }), store.find('usage', { order: 'any' }),
  ])
  const counts = new Map<string, number>()
  for (const day of rollups) counts.set(day.project, (counts.get(day.project) ?? 0) + day.commits)
  return projects.map((project) => ({ ...project, commits: counts.get(project.path) ?? 0 }))
}
