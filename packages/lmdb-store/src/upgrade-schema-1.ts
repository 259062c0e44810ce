import type { CollectionName, CollectionRecords, UsageRecord } from '@agent-tracker/core'
import { COLLECTIONS, SCHEMA_VERSION } from '@agent-tracker/core'
import type { CountedRecord } from '@agent-tracker/core/store'
import { COUNTED_COLLECTIONS, countInRollup, countersOf, dayOf, emptyUsage, recordSlot } from '@agent-tracker/core/store'
import type { Database, Key, RootDatabase } from 'lmdb'
import { putRecords } from './batch-writes.js'
import { rebuildOutcomeDays } from './outcome-days.js'
import { rebuildProjectDays } from './project-days.js'
import { rebuildSetupTotals } from './setup-totals.js'
import { LAST_FACT_SEQ_KEY, SCHEMA_VERSION_KEY, SUB_DATABASES, toLmdbKey } from './layout.js'
import { startSearchBuild } from './search-index.js'
import type { QueryTables } from './record-queries.js'

/** Records read and rewritten at a time: what the upgrade holds in memory besides the day rollups. */
const CHUNK = 2000

/** A day rollup as schema 1 stored it: no bugs, no grades, no baseline. */
type RollupOfSchema1 = Omit<UsageRecord, 'v' | 'bugs' | 'grades' | 'baseline'> & { readonly v: 1 }

/**
 * Upgrades a database of schema 1 in place, inside the caller's write transaction, so every other
 * process sees it either all old or all new:
 * - every record is written again with the tables' shared structures (read with schema 1's own
 *   decoding, which kept each record's field names in the record);
 * - the secondary indexes and the setup totals are built;
 * - each day rollup keeps its tool calls, commands, pushes, messages, tokens and cost as its
 *   `baseline` (no fact log backs them), and its commits, bugs and grades are counted again from
 *   the stored commit, bug and grade-event records (schema 1 did not count imported ones);
 * - the fact log starts empty, and the schema version becomes this release's;
 * - the search indexes are left to a build that goes on after (see `startSearchBuild`), as after
 *   an upgrade from schema 2.
 */
export function upgradeFromSchema1(root: RootDatabase, db: QueryTables): void {
  const old = Object.fromEntries(COLLECTIONS.map((c) => [c, root.openDB({ name: SUB_DATABASES[c] })])) as Record<CollectionName, Database<unknown>>
  const rollups = new Map<string, UsageRecord & { -readonly [K in keyof UsageRecord]: UsageRecord[K] }>()
  for (const [key, value] of chunks(old.usage)) {
    const row = value as RollupOfSchema1
    const counters = countersOf(row)
    rollups.set(recordSlot('usage', key as string[]), { ...emptyUsage(row.setup, row.project, row.day), ...counters, baseline: counters })
  }
  for (const collection of COLLECTIONS) {
    if (collection === 'usage') continue
    for (const chunk of chunkedEntries(old[collection])) {
      const writes = chunk.map(([key, record]) => ({ collection, key: key as string[], record }) as never)
      // No search entries here: the build started below gives them, a step at a time, after this transaction.
      putRecords(db, writes, undefined, true, null)
      if (!COUNTED_COLLECTIONS.has(collection)) continue
      for (const [, record] of chunk) countRecord(rollups, collection, record as CountedRecord)
    }
  }
  const usage = db.tables.usage
  for (const rollup of rollups.values()) usage.putSync(toLmdbKey([rollup.setup, rollup.project, rollup.day]), rollup)
  rebuildSetupTotals(db)
  rebuildProjectDays(db)
  rebuildOutcomeDays(db)
  db.meta.putSync(LAST_FACT_SEQ_KEY, 0)
  // The search indexes are built after, as for schema 2 (`LmdbStore.continueSearchIndexBuild`): in
  // this one transaction their entries were about two fifths of the upgrade's time.
  startSearchBuild(db)
  db.meta.putSync(SCHEMA_VERSION_KEY, SCHEMA_VERSION)
}

function countRecord(rollups: Map<string, UsageRecord>, collection: CollectionName, record: CountedRecord): void {
  const day = dayOf(record.at)
  const slot = recordSlot('usage', [record.setup, record.project, day])
  let rollup = rollups.get(slot)
  if (rollup === undefined) {
    rollup = emptyUsage(record.setup, record.project, day)
    rollups.set(slot, rollup)
  }
  countInRollup(rollup, collection, record)
}

/** Every entry of a table, read a chunk at a time (the caller rewrites each chunk before the next). */
function* chunks(table: Database<unknown>): Generator<[Key, unknown]> {
  for (const chunk of chunkedEntries(table)) yield* chunk
}

/**
 * The entries of a table a chunk at a time. Each chunk is read with one entry more, whose key
 * starts the next chunk: the caller rewrites a chunk before the next is read, and a rewritten
 * entry must not be read again with the old decoding.
 */
function* chunkedEntries(table: Database<unknown>): Generator<[Key, CollectionRecords[CollectionName]][]> {
  let start: Key | undefined
  for (;;) {
    const entries = [...table.getRange(start === undefined ? { limit: CHUNK + 1 } : { start, limit: CHUNK + 1 })]
    // A key of one part reads back as that part alone.
    const chunk = entries.slice(0, CHUNK).map(({ key, value }): [Key, CollectionRecords[CollectionName]] => [Array.isArray(key) ? key : [key as string], value as CollectionRecords[CollectionName]])
    if (chunk.length > 0) yield chunk
    const next = entries[CHUNK]
    if (next === undefined) return
    start = next.key
  }
}
