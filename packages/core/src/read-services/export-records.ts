import { matchesSetupFilter } from '../reports/setup-filter.js'
import type { CollectionName, CollectionRecords } from '../store/records.js'
import { COLLECTIONS } from '../store/records.js'
import type { TrackerStore } from '../store/tracker-store.js'
import type { ReportQuery } from './setup-report.js'
import { windowQuery } from './read-query.js'

/** Every collection's records as exported, and the filters applied (empty when none). */
export interface ExportedRecords {
  readonly filters: Readonly<Record<string, string>>
  readonly collections: { [C in CollectionName]: CollectionRecords[C][] }
}

/**
 * The records of every collection, oldest first, narrowed by project, time window and setup
 * filter — a dump, so it reads whatever matches. Narrowed by project or time, the setups and
 * projects are those the narrowed records name; narrowed by setup alone, the projects are.
 * @throws {TrackerError} INVALID_TIMESTAMP for a bad window.
 */
export async function exportRecords(store: TrackerStore, query: ReportQuery = {}): Promise<ExportedRecords> {
  const { project } = query
  const window = windowQuery(query)
  const filters = Object.fromEntries(
    Object.entries({ project, ...window, setup: query.setup, agent: query.agent, model: query.model }).filter((entry): entry is [string, string] => entry[1] !== undefined),
  )
  const scoped = project !== undefined || Object.keys(window).length > 0
  const scope = { ...window, ...(project === undefined ? {} : { project }), order: 'oldest' as const }
  const bySetup = <R extends { readonly setup: string }>(records: R[]): R[] => records.filter((record) => matchesSetupFilter(record.setup, query))
  const collections = {
    setups: (await store.find('setups', { order: 'oldest' })).filter((setup) => matchesSetupFilter(setup.id, query)),
    projects: await store.find('projects', { order: 'oldest', ...(project === undefined ? {} : { project }) }),
    commits: bySetup(await store.find('commits', scope)),
    retrospectives: bySetup(await store.find('retrospectives', scope)),
    gradeEvents: bySetup(await store.find('gradeEvents', scope)),
    bugs: bySetup(await store.find('bugs', scope)),
    activities: bySetup(await store.find('activities', scope)),
    usage: bySetup(await store.find('usage', scope)),
  } satisfies ExportedRecords['collections']
  if (Object.keys(filters).length > 0) {
    const timed = COLLECTIONS.filter((name) => name !== 'setups' && name !== 'projects').flatMap((name) => collections[name] as readonly { setup: string; project: string }[])
    const setups = new Set(timed.map((record) => record.setup))
    const projects = new Set(timed.map((record) => record.project))
    if (scoped) collections.setups = collections.setups.filter((setup) => setups.has(setup.id))
    collections.projects = collections.projects.filter((p) => projects.has(p.path))
  }
  return { filters, collections }
}
