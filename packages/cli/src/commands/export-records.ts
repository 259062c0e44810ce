import type { CollectionName, CollectionRecords, TrackerStore } from '@agent-tracker/core'
import { COLLECTIONS, matchesSetupFilter, toTimeWindow } from '@agent-tracker/core'
import type { CommandContext } from '../context.js'
import { resolveProject } from './lookups.js'
import type { ReportOptions } from './report.js'

/** Every collection's records as exported, and the filters applied (empty when none). */
export interface ExportedRecords {
  readonly filters: Readonly<Record<string, string>>
  readonly collections: { [C in CollectionName]: CollectionRecords[C][] }
}

/**
 * The records `export` writes, oldest first, narrowed by `--project`, `--since/--until`,
 * `--agent` and `--model`. With a project or time filter, setups and projects are those that
 * appear in the narrowed records.
 * @throws {TrackerError} INVALID_TIMESTAMP on a bad date; {CliError} on an unknown project.
 */
export async function exportRecords(ctx: CommandContext, store: TrackerStore, options: ReportOptions): Promise<ExportedRecords> {
  const window = toTimeWindow(options)
  const project = options.project === undefined ? undefined : await resolveProject(store, options.project, ctx.io.cwd)
  const filters: Record<string, string> = {
    ...(project === undefined ? {} : { project }), ...window,
    ...(options.agent === undefined ? {} : { agent: options.agent }), ...(options.model === undefined ? {} : { model: options.model }),
  }
  const scoped = project !== undefined || Object.keys(window).length > 0
  const query = { ...window, ...(project === undefined ? {} : { project }), order: 'oldest' as const }
  const bySetup = <R extends { readonly setup: string }>(records: R[]): R[] => records.filter((record) => matchesSetupFilter(record.setup, options))
  const collections = {
    setups: (await store.find('setups', { order: 'oldest' })).filter((setup) => matchesSetupFilter(setup.id, options)),
    projects: await store.find('projects', { order: 'oldest', ...(project === undefined ? {} : { project }) }),
    commits: bySetup(await store.find('commits', query)),
    retrospectives: bySetup(await store.find('retrospectives', query)),
    gradeEvents: bySetup(await store.find('gradeEvents', query)),
    bugs: bySetup(await store.find('bugs', query)),
    activities: bySetup(await store.find('activities', query)),
    usage: bySetup(await store.find('usage', query)),
  } satisfies ExportedRecords['collections']
  const narrowed = Object.keys(filters).length > 0
  if (narrowed) {
    const timed = COLLECTIONS.filter((name) => name !== 'setups' && name !== 'projects').flatMap((name) => collections[name] as readonly { setup: string; project: string }[])
    const setups = new Set(timed.map((record) => record.setup))
    const projects = new Set(timed.map((record) => record.project))
    if (scoped) collections.setups = collections.setups.filter((setup) => setups.has(setup.id))
    collections.projects = collections.projects.filter((p) => projects.has(p.path))
  }
  return { filters, collections }
}
