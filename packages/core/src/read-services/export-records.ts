import { matchesSetupFilter } from '../reports/setup-filter.js'
import { NO_COUNTERS, hasOutcomes } from '../rollups/usage-rollup.js'
import { matchesQuery, normaliseQuery } from '../store/record-query.js'
import type { CollectionName, CollectionRecords, UsageRecord } from '../store/records.js'
import { COLLECTIONS, recordSlot } from '../store/records.js'
import type { RecordQuery, TrackerStore } from '../store/tracker-store.js'
import type { ReportQuery } from './setup-report.js'
import type { PagedRead } from './paged-reads.js'
import { pagesInTime } from './paged-reads.js'
import { windowQuery } from './read-query.js'
import { countersCountIn, cutDayRollups } from './window-rollups.js'
import { compareText } from '../text/compare-text.js'

/** Every collection's records as exported, and the filters applied (empty when none). */
export interface ExportedRecords {
  readonly filters: Readonly<Record<string, string>>
  readonly collections: { [C in CollectionName]: CollectionRecords[C][] }
}

/** One exported record and its collection. */
export type ExportedRecord = { readonly [C in CollectionName]: { readonly collection: C; readonly record: CollectionRecords[C] } }[CollectionName]

/** How an export reads: pages, and what to do between them (a store may release memory there: see `LmdbStore.relieveMemory`). */
export interface ExportOptions extends PagedRead {
  /**
   * Only this collection's records are given (`export --table`): the others are not read, but for
   * the setups or projects of an export narrowed by project or time, which are those the exported
   * records name, and so need them read.
   */
  readonly only?: CollectionName | undefined
}

/** The order collections are exported in: the records in time, then the setups and projects they name. */
export const EXPORT_ORDER: readonly CollectionName[] = ['commits', 'retrospectives', 'gradeEvents', 'bugs', 'activities', 'evidence', 'usage', 'setups', 'projects']

const TIMED: readonly CollectionName[] = ['commits', 'retrospectives', 'gradeEvents', 'bugs', 'activities']

/** The filters an export query applies, as the export names them; empty when none. */
export function exportFilters(query: ReportQuery): Record<string, string> {
  const { project } = query
  return Object.fromEntries(
    Object.entries({ project, ...windowQuery(query), setup: query.setup, agent: query.agent, model: query.model }).filter((entry): entry is [string, string] => entry[1] !== undefined),
  )
}

/**
 * Every record, narrowed by project, time window and setup filter, streamed a page at a time so
 * that memory stays flat however large the database: each timed collection oldest first, then
 * the day rollups (by key; in a window, as its report counts them: see {@link rollupsInWindow}),
 * then the setups and projects. Narrowed by project or time, the setups
 * and projects are those the exported records name; narrowed by setup alone, the projects are.
 * @throws {TrackerError} INVALID_TIMESTAMP for a bad window.
 */
export async function* exportRecordStream(store: TrackerStore, query: ReportQuery = {}, options: ExportOptions = {}): AsyncGenerator<ExportedRecord> {
  const window = windowQuery(query)
  const scope = normaliseQuery('commits', { ...window, ...(query.project === undefined ? {} : { project: query.project }) })
  const filtered = Object.keys(exportFilters(query)).length > 0
  const scoped = query.project !== undefined || Object.keys(window).length > 0
  const setups = new Set<string>()
  const projects = new Set<string>()
  // The setups and projects the records name are wanted only to narrow those lists.
  const note = !filtered ? (): void => undefined : (record: { readonly setup: string; readonly project: string }): void => {
    setups.add(record.setup)
    projects.add(record.project)
  }
  const { only } = options
  const given = (collection: CollectionName): boolean => only === undefined || only === collection
  // The setups of a narrowed export are those its records name, and so are the projects of a filtered one.
  const naming = (only === 'setups' && scoped) || (only === 'projects' && filtered)
  const read = (collection: CollectionName): boolean => naming || given(collection)
  for (const collection of TIMED.filter(read)) {
    for await (const record of pagesInTime(store, collection, { ...scope, order: 'oldest' }, options)) {
      const owned = record as { readonly setup: string; readonly project: string }
      if (!matchesSetupFilter(owned.setup, query)) continue
      note(owned)
      if (given(collection)) yield { collection, record } as ExportedRecord
    }
  }
  // Evidence has no time order to page by: it is read by key (setup, then id), a page at a time.
  if (read('evidence')) {
    for await (const evidence of store.scan('evidence', options)) {
      if (!matchesQuery('evidence', evidence, scope) || !matchesSetupFilter(evidence.setup, query)) continue
      note(evidence)
      if (given('evidence')) yield { collection: 'evidence', record: evidence }
    }
  }
  if (read('usage')) {
    for await (const rollup of Object.keys(window).length === 0 ? store.scan('usage', options) : rollupsInWindow(store, window, scope, options)) {
      if (!matchesQuery('usage', rollup, scope) || !matchesSetupFilter(rollup.setup, query)) continue
      note(rollup)
      if (given('usage')) yield { collection: 'usage', record: rollup }
    }
  }
  if (given('setups')) {
    for (const setup of await store.find('setups', { order: 'oldest' })) {
      if (!matchesSetupFilter(setup.id, query) || (scoped && !setups.has(setup.id))) continue
      yield { collection: 'setups', record: setup }
    }
  }
  if (given('projects')) {
    for (const project of await store.find('projects', { order: 'oldest', ...(query.project === undefined ? {} : { project: query.project }) })) {
      if (filtered && !projects.has(project.path)) continue
      yield { collection: 'projects', record: project }
    }
  }
}

/**
 * The day rollups of a window as its report counts them (see `windowRollups`), by key: on a day the
 * window cuts, the commits, bugs and grades of that day inside the window, and the day's tool calls,
 * tokens and cost only where they count (the day's noon, UTC, is inside the window) — so that the
 * rollups of a windowed export add up to its report. A cut day left with nothing is left out.
 * Streamed: the stored rollups are read one at a time, and only those of the (at most two) cut
 * days are held, recounted, to take the stored ones' place — memory does not grow with the
 * window. A recounted rollup with no stored one (records of a day whose rollup is missing) comes
 * after the rest.
 */
async function* rollupsInWindow(store: TrackerStore, window: ReturnType<typeof windowQuery>, scope: RecordQuery, paged: PagedRead): AsyncGenerator<UsageRecord> {
  const counts = countersCountIn(window)
  const recounted = await cutDayRollups(store, { ...window, ...(scope.project === undefined ? {} : { project: scope.project }) })
  const given = (rollup: UsageRecord): UsageRecord | undefined => {
    if (counts(rollup)) return rollup
    const { estimatedCost: _estimated, unpricedMessages: _unpriced, baseline: _baseline, ...rest } = rollup
    return hasOutcomes(rest) ? { ...rest, ...NO_COUNTERS } : undefined
  }
  for await (const stored of store.scan('usage', paged)) {
    if (!matchesQuery('usage', stored, scope)) continue
    const slot = recordSlot('usage', [stored.setup, stored.project, stored.day])
    const rollup = recounted.get(slot) ?? stored
    recounted.delete(slot)
    const kept = given(rollup)
    if (kept !== undefined) yield kept
  }
  const key = (rollup: UsageRecord): string => `${rollup.setup}\u0000${rollup.project}\u0000${rollup.day}`
  for (const rollup of [...recounted.values()].sort((a, b) => compareText(key(a), key(b)))) {
    const kept = given(rollup)
    if (kept !== undefined) yield kept
  }
}

/**
 * The records of every collection, as {@link exportRecordStream} gives them, gathered in memory:
 * for small databases and tests. Large exports stream.
 * @throws {TrackerError} INVALID_TIMESTAMP for a bad window.
 */
export async function exportRecords(store: TrackerStore, query: ReportQuery = {}): Promise<ExportedRecords> {
  const collections = Object.fromEntries(COLLECTIONS.map((collection) => [collection, []])) as unknown as { [C in CollectionName]: CollectionRecords[C][] }
  for await (const { collection, record } of exportRecordStream(store, query)) (collections[collection] as unknown[]).push(record)
  return { filters: exportFilters(query), collections }
}
