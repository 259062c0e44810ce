import type { MigrationRecord, TrackerStore } from '@agent-tracker/core'
import { plural } from './format.js'

/**
 * What this machine's database holds beyond its fact log — history imported by `migrate`
 * (the predecessor's per-project files and databases), `upgrade` (its central database) or a
 * `merge` (of such a database, or of one that imported them) — which `sync` does not send: sync
 * sends the fact log, and imports write records and parts of scores without facts.
 */
export interface ImportedHistory {
  /** Setups whose scores hold imported parts (see `SetupRecord.imports`), by id. */
  readonly setups: readonly string[]
  /** Records (commits, grades, journal entries, reviews, setups, …) the imports of the predecessor's data wrote. */
  readonly records: number
  /** Those imports: runs of migrate, upgrade, or a merge of a predecessor database. */
  readonly imports: number
}

/** The setups a message names; the rest are counted. */
const NAMED_SETUPS = 3

/**
 * The history `sync` leaves on this machine (see {@link ImportedHistory}); undefined when the
 * database holds none, every record and score of it then coming from facts. Reads the setups and
 * the migration records only, a few records each, so a sync and `doctor` can say it every time.
 */
export async function importedHistory(store: TrackerStore): Promise<ImportedHistory | undefined> {
  const setups: string[] = []
  for await (const setup of store.scan('setups')) {
    if (Object.keys(setup.imports ?? {}).length > 0) setups.push(setup.id)
  }
  const runs = (await store.listMigrations()).filter(importedPredecessorData)
  const records = runs.reduce((sum, run) => sum + run.migrated, 0)
  if (setups.length === 0 && records === 0) return undefined
  return { setups, records, imports: runs.filter((run) => run.migrated > 0).length }
}

/**
 * Whether a migration record is a run that imported the predecessor's data: migrate's and
 * upgrade's, and a merge of a predecessor database (the only merge that reads times written without
 * a zone, so the only one that records a zone). A merge of an agent-tracker database replays its
 * facts, which sync sends; its imported parts are counted among the setups. The predecessor's own
 * migrations, which upgrade brings along (`migratedBy`), counted their records in its database.
 */
function importedPredecessorData(run: MigrationRecord): boolean {
  if (run.migratedBy !== undefined) return false
  return run.kind === 'legacy-files' || run.kind === 'project-database' || run.kind === 'upgrade' || (run.kind === 'merge' && run.timeZone !== undefined)
}

/**
 * The imported history in a few words, for a sentence that says it is not in the team database:
 * "the imported part of 1 setup's scores (build) and 4 records from 1 import".
 */
export function describeImportedHistory(history: ImportedHistory): string {
  const named = history.setups.slice(0, NAMED_SETUPS).join(', ')
  const more = history.setups.length > NAMED_SETUPS ? `, and ${String(history.setups.length - NAMED_SETUPS)} more` : ''
  const scores = history.setups.length === 0 ? [] : [`the imported part of ${plural(history.setups.length, "setup's", "setups'")} scores (${named}${more})`]
  const records = history.records === 0 ? [] : [`${plural(history.records, 'record')} from ${plural(history.imports, 'import')} of the predecessor's data`]
  return [...scores, ...records].join(' and ')
}

/** Why it is not there, and what is: said wherever a sync's reach is (sync, doctor). */
export function importedHistoryNotSynced(history: ImportedHistory): string {
  return `History imported by migrate, upgrade or merge stays on this machine: ${describeImportedHistory(history)} ${history.setups.length > 0 && history.records > 0 || history.records > 1 ? 'are' : 'is'} not in the team database. Sync sends facts only — the work tracked as it happens.`
}
