import type { PriorArtResult } from '../projects/prior-art.js'
import { startPriorArtSearch } from '../projects/prior-art.js'
import { UNKNOWN } from '../projects/project-profile.js'
import type { TrackerStore } from '../store/tracker-store.js'
import { DEFAULT_PRIOR_ART_LIMIT, DEFAULT_SEARCH_DEPTH, boundOf } from './read-limits.js'
import { withProfiles } from './profiled-projects.js'
import type { CollectionRecords } from '../store/records.js'
import { pagesInTime } from './paged-reads.js'
import type { ProfileOptions, ReadOptions, TimeWindow } from './read-query.js'
import { windowQuery } from './read-query.js'

/** A prior-art question: earlier work relevant to a task. */
export interface PriorArtQuery extends TimeWindow {
  /** Words describing the task. */
  readonly task: string
  /** The project the task is for (its path): work in projects of its scope comes first. */
  readonly project?: string | undefined
  /** The scope to prefer instead of the project's, e.g. `cli`. */
  readonly scope?: string | undefined
  /** Patterns, and mistakes, returned at most; default 10. */
  readonly limit?: number | undefined
  /** Newest records of each kind searched; default 2,000 (give a window to search older work). */
  readonly depth?: number | undefined
}

/** Patterns to repeat and mistakes to avoid, and the scope that was preferred (`unknown` when none). */
export interface PriorArtAnswer extends PriorArtResult {
  readonly scope: string
}

/**
 * Finds earlier work relevant to a task across all projects: patterns to repeat and mistakes to
 * avoid, from the project's scope first (see `searchPriorArt` for the ranking). Searches the newest
 * `depth` retrospectives, journal entries, commits and bugs in the window. A project's scope is its
 * stored profile's, else its folder's through `profileFolder`.
 * @throws {TrackerError} INVALID_QUERY for a bad limit or depth, INVALID_TIMESTAMP for a bad window.
 */
export async function priorArt(store: TrackerStore, query: PriorArtQuery, options: ReadOptions = {}): Promise<PriorArtAnswer> {
  const limit = boundOf(query.limit, DEFAULT_PRIOR_ART_LIMIT)
  const newest = { ...windowQuery(query), limit: boundOf(query.depth, DEFAULT_SEARCH_DEPTH, 'depth') }
  const scope = query.scope ?? (query.project === undefined ? UNKNOWN : await scopeOf(store, query.project, options))
  // With a pause, records come a page at a time and are scored a slice at a time, the host's
  // event loop turning in between; without one, in one read per kind.
  const read = async <C extends 'retrospectives' | 'activities' | 'commits' | 'bugs'>(collection: C): Promise<CollectionRecords[C][]> => {
    if (options.pause === undefined) return store.find(collection, newest)
    const found: CollectionRecords[C][] = []
    for await (const record of pagesInTime(store, collection, newest, { pageSize: SLICE, betweenPages: options.pause })) found.push(record)
    return found
  }
  const retrospectives = await read('retrospectives')
  const activities = await read('activities')
  const commits = await read('commits')
  const bugs = await read('bugs')
  // Scopes only tell same-scope work from other work: without a scope to prefer, no profile is needed.
  const worked = new Set([...retrospectives, ...activities, ...commits, ...bugs].map((record) => record.project))
  const recorded = scope === UNKNOWN ? [] : (await store.find('projects', { order: 'any' })).filter((project) => worked.has(project.path))
  const { projects } = withProfiles(recorded, options.profileFolder)
  const search = startPriorArtSearch(query.task, { retrospectives, activities, commits, bugs, projects }, { scope, limit })
  for (let from = 0; from < search.size; from += SLICE) {
    search.scan(from, from + SLICE)
    await options.pause?.()
  }
  return { ...search.result(), scope }
}

/** Records read per page, and documents scored per slice, when the host asks for pauses. */
const SLICE = 250

async function scopeOf(store: TrackerStore, project: string, options: ProfileOptions): Promise<string> {
  const stored = (await store.get('projects', [project]))?.profile
  return (stored ?? options.profileFolder?.(project))?.scope ?? UNKNOWN
}
