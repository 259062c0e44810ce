import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkRollups } from '@agent-tracker/core'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { open } from 'lmdb'
import type { ScaleSizes } from './scale-database.js'
import { buildScaleDatabase } from './scale-database.js'
import { round, timeMs } from './stats.js'

/** The record tables of both schemas (schema 1's names; schema 2 kept them). */
const RECORD_TABLES = ['agents', 'projects', 'commits', 'retrospectives', 'communication', 'bugs', 'activities', 'usage']

/** What upgrading a schema-1 database in place took, and what its records weigh before and after. */
export interface UpgradeFigures {
  readonly records: number
  readonly upgradeMs: number
  /** Mean bytes of a stored record value, over every record, in each schema. */
  readonly bytesPerRecord: { readonly schema1: number; readonly schema2: number }
  /** Bytes of the secondary indexes schema 2 adds (pages). */
  readonly indexBytes: number
  /** Rollup numbers `doctor --check` finds drifted after the upgrade. */
  readonly drift: number
  /**
   * The same schema-1 database opened by the OpenCode plugin, which upgrades it in a worker thread:
   * when its database was open (the upgrade included), and the longest its event loop could not
   * turn meanwhile (as the loop saw it, and the process's CPU in that stretch — the worker's too).
   */
  readonly inPlugin: PluginStart | undefined
  /** The same records in a database of schema 2 (the release before the search indexes), upgraded in place. */
  readonly fromSchema2: {
    /** The first writable open, which upgrades the schema and starts the search-index build: what a writer waits for. */
    readonly upgradeMs: number
    /** The search-index build after it, step after step of {@link SEARCH_BUILD_STEP} records (a host pauses between them). */
    readonly buildMs: number
    readonly buildSteps: number
    /** The longest of those steps: how long a host's event loop waits for one. */
    readonly longestStepMs: number
    readonly drift: number
    /** Retrospectives, activities, commits and bugs, and the entries of their search indexes after the upgrade. */
    readonly searchedRecords: number
    readonly searchEntries: number
    /** Bytes of the search indexes (pages). */
    readonly searchBytes: number
  }
}

/** A plugin's start against a database: when it was open, and the longest its event loop could not turn. */
export interface PluginStart {
  readonly databaseOpenMs: number
  readonly maxBlockMs: number
  readonly maxBlockCpuMs: number
}

/** Records a step of the search-index build gives their entries: as the hosts' background build (node-host's SEARCH_BUILD_STEP_RECORDS). */
const SEARCH_BUILD_STEP = 500

const SEARCH_TABLES = ['retrospectives-search', 'activities-search', 'commits-search', 'bugs-search']
const SEARCHED_TABLES = ['retrospectives', 'activities', 'commits', 'bugs']

/** Pages of a sub-database, in bytes. */
function treeBytes(root: ReturnType<typeof open>, name: string, binary = false): number {
  const stats = root.openDB(binary ? { name, keyEncoding: 'binary', encoding: 'binary' } : { name }).getStats() as { pageSize: number; treeBranchPageCount: number; treeLeafPageCount: number; overflowPages: number }
  return (stats.treeBranchPageCount + stats.treeLeafPageCount + stats.overflowPages) * stats.pageSize
}

/**
 * 5b. The generated database turned into one of schema 2, as the release before the search indexes
 * wrote it (the same records and indexes, no search indexes), then opened by this release, which
 * builds the search indexes in place.
 */
async function upgradeFromSchema2(path: string): Promise<UpgradeFigures['fromSchema2']> {
  const root = open({ path, noSubdir: true, maxDbs: 32, mapSize: 2048 * 1024 * 1024, overlappingSync: false })
  root.transactionSync(() => {
    for (const name of SEARCH_TABLES) root.openDB({ name, keyEncoding: 'binary', encoding: 'binary' }).dropSync()
    root.openDB({ name: 'meta' }).putSync('schemaVersion', 2)
  })
  await root.close()
  const opening = performance.now()
  const store = openLmdbStore({ databasePath: path, maxDatabaseSize: 2048 * 1024 * 1024 })
  const upgradeMs = round(performance.now() - opening)
  const steps: number[] = []
  const buildMs = await timeMs(async () => {
    for (let done = false; !done;) {
      const start = performance.now()
      done = (await store.continueSearchIndexBuild(SEARCH_BUILD_STEP)).done
      steps.push(performance.now() - start)
    }
  })
  await store.close()
  const after = open({ path, noSubdir: true, maxDbs: 32, readOnly: true })
  // Each record table holds one more entry than records: its shared structures.
  const searchedRecords = SEARCHED_TABLES.reduce((sum, name) => sum + (after.openDB({ name }).getStats() as { entryCount: number }).entryCount - 1, 0)
  const searchEntries = SEARCH_TABLES.reduce((sum, name) => sum + (after.openDB({ name, keyEncoding: 'binary', encoding: 'binary' }).getStats() as { entryCount: number }).entryCount, 0)
  const searchBytes = SEARCH_TABLES.reduce((sum, name) => sum + treeBytes(after, name, true), 0)
  await after.close()
  const reader = openLmdbStore({ databasePath: path, readOnly: true })
  const { drift } = await checkRollups(reader)
  await reader.close()
  return { upgradeMs, buildMs, buildSteps: steps.length, longestStepMs: round(Math.max(...steps)), drift: drift.length, searchedRecords, searchEntries, searchBytes }
}

/**
 * 5. A database as release 0.1.0 wrote it — the records of a generated database, copied into schema
 * 1's sub-databases with lmdb-js's default encoding (each record with its field names), its commit
 * index and its day rollups (no bugs or grades) — opened by this release, which upgrades it in place.
 */
export async function upgradeFigures(sizes: ScaleSizes, pluginStart?: (databasePath: string) => Promise<PluginStart>): Promise<UpgradeFigures> {
  const folder = mkdtempSync(join(tmpdir(), 'bench-upgrade-'))
  try {
    const source = join(folder, 'schema-2.lmdb')
    const target = join(folder, 'schema-1.lmdb')
    await buildScaleDatabase(source, sizes)
    const from = open({ path: source, noSubdir: true, maxDbs: 32, readOnly: true })
    const to = open({ path: target, noSubdir: true, maxDbs: 16, overlappingSync: false })
    let records = 0
    let schema1Bytes = 0
    for (const name of RECORD_TABLES) {
      const read = from.openDB({ name, sharedStructuresKey: Symbol.for('structures') })
      const write = to.openDB({ name })
      const index = name === 'commits' ? to.openDB({ name: 'commits-by-setup' }) : undefined
      let batch: { key: unknown; value: Record<string, unknown> }[] = []
      const flush = (): void => {
        to.transactionSync(() => {
          for (const { key, value } of batch) {
            write.putSync(key as never, schemaOne(name, value))
            if (index !== undefined) index.putSync([value.setup, value.at, value.project, value.hash] as never, true)
          }
        })
        batch = []
      }
      for (const { key, value } of read.getRange({})) {
        batch.push({ key, value: value as Record<string, unknown> })
        if (batch.length >= 20_000) flush()
      }
      flush()
      for (const { value } of to.openDB({ name, encoding: 'binary' }).getRange({})) {
        records += 1
        schema1Bytes += (value as Buffer).length
      }
    }
    to.openDB({ name: 'meta' }).putSync('schemaVersion', 1)
    await from.close()
    await to.close()

    // A copy for the plugin, upgraded there after the open below (one upgrade at a time).
    const forPlugin = join(folder, 'schema-1-plugin.lmdb')
    copyFileSync(target, forPlugin)
    const upgradeMs = await timeMs(async () => {
      await openLmdbStore({ databasePath: target, maxDatabaseSize: 2048 * 1024 * 1024 }).close()
    })
    const inPlugin = pluginStart === undefined ? undefined : await pluginStart(forPlugin)
    const root = open({ path: target, noSubdir: true, maxDbs: 32, readOnly: true })
    let schema2Bytes = 0
    for (const name of RECORD_TABLES) for (const { value } of root.openDB({ name, encoding: 'binary' }).getRange({})) schema2Bytes += (value as Buffer).length
    let indexBytes = 0
    for (const name of [...root.getKeys()].map(String).filter((table) => table.includes('-by-'))) indexBytes += treeBytes(root, name)
    await root.close()
    const store = openLmdbStore({ databasePath: target, readOnly: true })
    const { drift } = await checkRollups(store)
    await store.close()
    const fromSchema2 = await upgradeFromSchema2(source)
    return { records, upgradeMs, bytesPerRecord: { schema1: Math.round(schema1Bytes / records), schema2: Math.round(schema2Bytes / records) }, indexBytes, drift: drift.length, inPlugin, fromSchema2 }
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

/** A record as schema 1 stored it: rollups without bugs, grades or baseline. */
function schemaOne(table: string, record: Record<string, unknown>): unknown {
  if (table !== 'usage') return record
  const { v: _v, bugs: _bugs, grades: _grades, baseline: _baseline, ...rest } = record
  return { v: 1, ...rest }
}
