import { resolve } from 'node:path'
import type { CollectionName, RecordBatch, SetupRecord, TrackerStore } from '@agent-tracker/core'
import { COLLECTIONS } from '@agent-tracker/core'
import type { LmdbStore } from '@agent-tracker/lmdb-store'
import { openLmdbStore, recogniseDatabase } from '@agent-tracker/lmdb-store'
import { importPredecessorDatabase } from './import-predecessor-database.js'
import type { MigrationOptions, MigrationReport } from './migration-report.js'
import { migrationId, recordMigrationRun } from './migration-history.js'
import { messageOf, neverThrowing } from './migration-report.js'
import { mergeSourceProblem } from './merge-source.js'
import { withoutZoneShiftedCopies } from './zone-shifted-copies.js'

/** Options of {@link mergeDatabase}. */
export interface MergeOptions extends MigrationOptions {
  /** Records per import batch; default 1000. */
  readonly chunkSize?: number
}

/**
 * Adds another agent-tracker database (e.g. from another machine) to the store: every record the
 * store lacks is copied and records it has are left alone, while a setup in both gets the other's
 * scores added to its own (see `TrackerStore.importSetups`: counters summed, merging the same
 * database again adds only what changed there, and scores that came from this store never come
 * back twice). Entries made from legacy data that the store has under another time, the same
 * journal read in another time zone, are recognised as the same. The predecessor's central
 * database is imported whole (see `importPredecessorDatabase`). Idempotent; opens the other
 * database read-only; never throws. Any other file is reported for what it is.
 */
export async function mergeDatabase(otherPath: string, target: TrackerStore, options: MergeOptions = {}): Promise<MigrationReport> {
  const source = resolve(otherPath)
  return neverThrowing(source, () => copyDatabase(source, target, options))
}

async function copyDatabase(source: string, target: TrackerStore, options: MergeOptions): Promise<MigrationReport> {
  const format = recogniseDatabase(source)
  if (format.kind === 'predecessor-central') return importPredecessorDatabase(source, target, { ...options, kind: 'merge' })
  const problem = mergeSourceProblem(source, format)
  if (problem !== undefined) return { migrated: 0, skipped: 0, errors: [{ source, message: problem }] }
  let other: LmdbStore
  try {
    other = openLmdbStore({ databasePath: source, readOnly: true })
  } catch (error) {
    return { migrated: 0, skipped: 0, errors: [{ source, message: messageOf(error) }] }
  }
  const chunkSize = options.chunkSize ?? 1000
  let migrated = 0
  let skipped = 0
  let processed = 0
  let combined: NonNullable<MigrationReport['combined']> = []
  const errors: MigrationReport['errors'][number][] = []
  try {
    const now = (options.now ?? (() => new Date()))().toISOString()
    const info = other.info()
    // Named by its own id when it has one, so a copy of it at another path is still the same source.
    const name = info.databaseId === undefined ? `merge:${source}` : `database:${info.databaseId}`
    const total = Object.values(info.records).reduce((sum, count) => sum + count, 0)
    for (const collection of COLLECTIONS) {
      let chunk: unknown[] = []
      const flush = async (): Promise<void> => {
        if (chunk.length === 0) return
        if (collection === 'setups') {
          const result = await target.importSetups(name, chunk as SetupRecord[])
          migrated += result.written
          skipped += result.skipped
          combined = [...combined, ...result.combined]
        } else {
          const fresh = await withoutZoneShiftedCopies(target, batchOf(collection, chunk))
          const result = await target.importRecords(fresh.batch)
          migrated += result.written
          skipped += result.skipped + fresh.dropped
        }
        processed += chunk.length
        chunk = []
        options.onProgress?.({ source, processed, total, migrated, skipped })
      }
      for await (const record of other.scan(collection)) {
        chunk.push(record)
        if (chunk.length >= chunkSize) await flush()
      }
      await flush()
    }
    await recordMigrationRun(target, {
      id: migrationId('merge', source), kind: 'merge', source, at: now, migrated, skipped, errors: 0,
      ...(combined.length === 0 ? {} : { combinedSetups: combined.map((entry) => entry.id) }),
    })
  } catch (error) {
    errors.push({ source, message: `merge stopped after ${String(processed)} records: ${messageOf(error)}` })
  }
  try {
    await other.close()
  } catch (error) {
    errors.push({ source, message: `could not be closed after merging: ${messageOf(error)}` })
  }
  return { migrated, skipped, errors, ...(combined.length === 0 ? {} : { combined }) }
}

function batchOf(collection: CollectionName, records: unknown[]): RecordBatch {
  return { [collection]: records }
}
