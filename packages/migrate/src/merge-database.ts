import { resolve } from 'node:path'
import type { CollectionName, RecordBatch, TrackerStore } from '@agent-tracker/core'
import { COLLECTIONS } from '@agent-tracker/core'
import type { LmdbStore } from '@agent-tracker/lmdb-store'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import type { MigrationOptions, MigrationReport } from './migration-report.js'
import { migrationId, recordMigrationRun } from './migration-history.js'
import { messageOf, neverThrowing } from './migration-report.js'
import { notAnAgentTrackerDatabase } from './merge-source.js'

/** Options of {@link mergeDatabase}. */
export interface MergeOptions extends MigrationOptions {
  /** Records per import batch; default 1000. */
  readonly chunkSize?: number
}

/**
 * Adds another agent-tracker database (e.g. from another machine) to the store: every record the
 * store lacks is copied; records it has are left alone (a setup in both keeps this store's
 * scores). Idempotent; opens the other database read-only; never throws. An LMDB file that is not an
 * agent-tracker database (such as a legacy per-project one, which `migrateProjectDatabase` reads)
 * is reported as such.
 */
export async function mergeDatabase(otherPath: string, target: TrackerStore, options: MergeOptions = {}): Promise<MigrationReport> {
  const source = resolve(otherPath)
  return neverThrowing(source, () => copyDatabase(source, target, options))
}

async function copyDatabase(source: string, target: TrackerStore, options: MergeOptions): Promise<MigrationReport> {
  const foreign = await notAnAgentTrackerDatabase(source)
  if (foreign !== undefined) return { migrated: 0, skipped: 0, errors: [{ source, message: foreign }] }
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
  const errors: MigrationReport['errors'][number][] = []
  try {
    const now = (options.now ?? (() => new Date()))().toISOString()
    const total = Object.values(other.info().records).reduce((sum, count) => sum + count, 0)
    for (const collection of COLLECTIONS) {
      let chunk: unknown[] = []
      const flush = async (): Promise<void> => {
        if (chunk.length === 0) return
        const result = await target.importRecords(batchOf(collection, chunk))
        migrated += result.written
        skipped += result.skipped
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
    await recordMigrationRun(target, { id: migrationId('merge', source), kind: 'merge', source, at: now, migrated, skipped, errors: 0 })
  } catch (error) {
    errors.push({ source, message: `merge stopped after ${String(processed)} records: ${messageOf(error)}` })
  }
  try {
    await other.close()
  } catch (error) {
    errors.push({ source, message: `could not be closed after merging: ${messageOf(error)}` })
  }
  return { migrated, skipped, errors }
}

function batchOf(collection: CollectionName, records: unknown[]): RecordBatch {
  return { [collection]: records }
}
