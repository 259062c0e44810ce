import type { PriorArtHit, PriorArtResult, RankedHit } from '../projects/prior-art.js'
import type { PriorArtIntake } from '../projects/prior-art.js'
import { priorArtHit, priorArtIntake, recordEntry } from '../projects/prior-art.js'
import type { SearchedCollection } from '../projects/search-digest.js'
import { SEARCHED_COLLECTIONS, hashOf } from '../projects/search-digest.js'
import { UNKNOWN } from '../projects/project-profile.js'
import type { RecordQuery, TrackerStore } from '../store/tracker-store.js'
import { DEFAULT_PRIOR_ART_LIMIT, DEFAULT_SEARCH_DEPTH, boundOf } from './read-limits.js'
import type { CommitRecord, ProjectRecord } from '../store/records.js'
import { pagesInTime, searchEntryList, searchEntryPages } from './paged-reads.js'
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
  // Scopes only tell same-scope work from other work: without a scope to prefer, no profile is
  // needed; with one, a project's is looked up only when it has a hit.
  const projects = scope === UNKNOWN ? new Map<number, ProjectRecord>() : new Map((await store.find('projects', { order: 'any' })).map((project) => [hashOf(project.path), project]))
  const scopeOfProject = (link: number): string | undefined => {
    const project = projects.get(link)
    return project === undefined ? undefined : (project.profile ?? options.profileFolder?.(project.path))?.scope
  }
  const intake = priorArtIntake(query.task, { ...(query.project === undefined ? {} : { project: query.project }), scope, limit, scopeOf: scopeOfProject })
  for (const collection of SEARCHED_COLLECTIONS) await takeEntries(store, collection, newest, intake, options.pause)
  const search = intake.start()
  for (let from = 0; from < search.size; from += SLICE) {
    search.scan(from, from + SLICE)
    await options.pause?.()
  }
  const { patterns, mistakes } = search.ranked()
  // Ranking thousands of candidates, then reading the hits' records, is two stretches, not one.
  await options.pause?.()
  // A hit whose record is gone by now (moved to another setup meanwhile) is left out.
  const shown = async (hits: readonly RankedHit[]): Promise<PriorArtHit[]> => {
    const found: PriorArtHit[] = []
    for (const hit of hits) {
      const record = hit.entry.record ?? (await store.get(hit.collection, hit.entry.key()))
      if (record === undefined) continue
      const commit = hit.commit === undefined ? undefined : ((hit.commit.record as CommitRecord | undefined) ?? (await store.get('commits', hit.commit.key())))
      found.push(priorArtHit(hit, record, commit))
    }
    return found
  }
  return { query: query.task, patterns: await shown(patterns), mistakes: await shown(mistakes), scope }
}

/**
 * Gives a search a searched collection's entries. A store that keeps search digests gives them, a
 * few bytes a record, each read as it is given (and let go), and only the records of the hits are
 * read later; any other gives its records. With a pause, either comes a page at a time, the host's
 * event loop turning in between (and the search is then scored a slice at a time); without one,
 * in one read.
 */
async function takeEntries(store: TrackerStore, collection: SearchedCollection, query: RecordQuery, intake: PriorArtIntake, pause: (() => unknown) | undefined): Promise<void> {
  const take = intake.taker(collection)
  if (store.visitSearchEntries !== undefined) {
    if (pause === undefined) return store.visitSearchEntries(collection, query, take)
    for await (const entry of searchEntryPages((window) => searchEntryList(store, collection, window), query, { pageSize: SLICE, betweenPages: pause })) take(entry, entry.digest)
    return
  }
  const records = pause === undefined ? await store.find(collection, query) : pagesInTime(store, collection, query, { pageSize: SLICE, betweenPages: pause })
  for await (const record of records) {
    const entry = recordEntry(collection, record)
    take(entry, entry.digest)
  }
}

/** Records or search entries read per page, and documents scored per slice, when the host asks for pauses. */
const SLICE = 250

async function scopeOf(store: TrackerStore, project: string, options: ProfileOptions): Promise<string> {
  const stored = (await store.get('projects', [project]))?.profile
  return (stored ?? options.profileFolder?.(project))?.scope ?? UNKNOWN
}
