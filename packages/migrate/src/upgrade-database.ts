import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { MigrationRecord } from '@agent-tracker/core'
import type { DatabaseFormat } from '@agent-tracker/lmdb-store'
import { locateDataFile, openLmdbStore, recogniseDatabase } from '@agent-tracker/lmdb-store'
import type { RootDatabase } from 'lmdb'
import type { PredecessorImportReport, PredecessorKind } from './import-predecessor-database.js'
import { PREDECESSOR_KINDS, importPredecessorDatabase } from './import-predecessor-database.js'
import type { MigrationOptions } from './migration-report.js'
import { messageOf } from './migration-report.js'
import { openLegacyDatabase } from './open-legacy-database.js'
import { backupPath, existingBackup, keepBackup, removeDatabaseFiles, swapIn } from './upgrade-files.js'
import { claimUpgradeLock, isAlive } from './upgrade-lock.js'

/** Options of {@link upgradeDatabase}. */
export interface UpgradeOptions extends MigrationOptions {
  /** Only say what would move; change nothing. */
  readonly dryRun?: boolean
  /** Size limit of the new database, in bytes (see lmdb-store); default 512 MiB. */
  readonly maxDatabaseSize?: number
  /**
   * When the path already holds agent-tracker's database, also find the record of the upgrade that
   * put it there (opens it read-only; a host's start leaves this off). Default false.
   */
  readonly lookBack?: boolean
}

/** What an upgrade of the predecessor's database at a path moves, and where the old one is kept. */
export interface UpgradePlan {
  /** The database path: the predecessor's database now, agent-tracker's after the upgrade. */
  readonly path: string
  /** Its records by sub-database (each becomes one record of ours, see `importPredecessorDatabase`). */
  readonly counts: Readonly<Record<PredecessorKind, number>>
  /** Where the predecessor's database is kept, unchanged, after the upgrade. */
  readonly backup: string
}

/** What {@link upgradeDatabase} did. */
export type UpgradeOutcome =
  /** The path holds no predecessor's database (ours — maybe upgraded before —, nothing, or an empty file). */
  | { readonly status: 'nothing-to-upgrade'; readonly format: DatabaseFormat; readonly upgradedBefore?: MigrationRecord }
  /** The path holds something an upgrade does not take (another program's database, a damaged file). */
  | { readonly status: 'refused'; readonly format: DatabaseFormat }
  /** Other processes have the predecessor's database open (its plugin in a running OpenCode). */
  | { readonly status: 'in-use'; readonly pids: readonly number[] }
  /** Another process is upgrading it right now. */
  | { readonly status: 'busy'; readonly pid: number }
  /** A dry run: what would move. */
  | { readonly status: 'planned'; readonly plan: UpgradePlan }
  /** The import could not finish; the predecessor's database is still at the path, untouched. */
  | { readonly status: 'failed'; readonly plan: UpgradePlan; readonly report: PredecessorImportReport }
  /** Done: agent-tracker's database at the path holds everything; the old one is at `plan.backup`. */
  | { readonly status: 'upgraded'; readonly plan: UpgradePlan; readonly report: PredecessorImportReport }
  /** Something failed outside the import (a file that cannot be read, renamed or linked); the path holds what it held before. */
  | { readonly status: 'error'; readonly message: string }

/**
 * Replaces the predecessor's central database at `path` (opencode-agent-tracker kept it at the same
 * default path) with agent-tracker's, holding everything it held (see `importPredecessorDatabase`),
 * and keeps the old one, unchanged, as `<path>.predecessor-<time>`. Built so that stopping it at any
 * moment — even SIGKILL — leaves either the old database untouched at the path or the new one
 * complete, and running it again finishes the job: the new database is built beside the path, the
 * backup is a second name (a hard link) of the old file, and one rename puts the new one in place.
 * One process at a time (`<path>.upgrade-lock`); refused while other processes have the old
 * database open. Never throws.
 */
export async function upgradeDatabase(path: string, options: UpgradeOptions = {}): Promise<UpgradeOutcome> {
  const database = resolve(path)
  const format = recogniseDatabase(database)
  if (format.kind !== 'predecessor-central') {
    if (format.kind === 'foreign' || format.kind === 'unreadable' || format.kind === 'predecessor-project') return { status: 'refused', format }
    return finishedBefore(database, format, options.lookBack === true)
  }
  let lock
  try {
    lock = claimUpgradeLock(database)
  } catch (error) {
    return { status: 'error', message: `cannot claim ${database}.upgrade-lock: ${messageOf(error)}` }
  }
  if ('heldBy' in lock) return { status: 'busy', pid: lock.heldBy }
  try {
    const backup = existingBackup(database) ?? backupPath(database, options.now?.() ?? new Date())
    // A dry run reads a copy, so that not even the old database's lock file changes.
    if (options.dryRun === true) return { status: 'planned', plan: { path: database, counts: countInCopy(database), backup } }
    const inspected = inspect(database)
    if ('pids' in inspected) return { status: 'in-use', pids: inspected.pids }
    return await replace({ path: database, counts: inspected.counts, backup }, options)
  } catch (error) {
    return { status: 'error', message: messageOf(error) }
  } finally {
    lock.release()
  }
}

/** The staging path the new database is built at, beside the database path. */
export function stagingPath(database: string): string {
  return `${database}.upgrading`
}

async function replace(plan: UpgradePlan, options: UpgradeOptions): Promise<UpgradeOutcome> {
  const { path } = plan
  const staging = stagingPath(path)
  const folderLayout = !locateDataFile(path).noSubdir
  removeDatabaseFiles(staging)
  let report: PredecessorImportReport
  const target = openLmdbStore({ databasePath: staging, ...(options.maxDatabaseSize === undefined ? {} : { maxDatabaseSize: options.maxDatabaseSize }) })
  try {
    report = await importPredecessorDatabase(path, target, {
      ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
      ...(options.now === undefined ? {} : { now: options.now }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      kind: 'upgrade',
      recordedSource: plan.backup,
    })
  } finally {
    await target.close()
  }
  if (!report.completed) {
    removeDatabaseFiles(staging)
    return { status: 'failed', plan, report }
  }
  keepBackup(path, plan.backup, folderLayout)
  swapIn(staging, path, folderLayout)
  return { status: 'upgraded', plan, report }
}

/** Counts the old database's records, and the other processes that have it open. */
function inspect(database: string): { counts: Record<PredecessorKind, number> } | { pids: number[] } {
  const opened = openLegacyDatabase(database, { maxDbs: 16 })
  if (!opened.ok) throw new Error(opened.problem)
  try {
    const pids = readerPids(opened.root.readerList()).filter((pid) => pid !== process.pid && isAlive(pid))
    return pids.length > 0 ? { pids } : { counts: countRecords(opened.root, database) }
  } finally {
    void opened.root.close()
  }
}

/** The old database's records, counted in a copy of its data file. */
function countInCopy(database: string): Record<PredecessorKind, number> {
  const folder = mkdtempSync(join(tmpdir(), 'agent-tracker-upgrade-'))
  try {
    const copy = join(folder, 'predecessor.lmdb')
    copyFileSync(locateDataFile(database).dataFile, copy)
    const opened = openLegacyDatabase(copy, { maxDbs: 16 })
    if (!opened.ok) throw new Error(opened.problem)
    try {
      return countRecords(opened.root, copy)
    } finally {
      void opened.root.close()
    }
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

function countRecords(root: RootDatabase, database: string): Record<PredecessorKind, number> {
  const counts = Object.fromEntries(PREDECESSOR_KINDS.map((kind) => [kind, 0])) as Record<PredecessorKind, number>
  const format = recogniseDatabase(database)
  const names = format.kind === 'predecessor-central' ? format.subDatabases : []
  for (const kind of PREDECESSOR_KINDS) {
    if (!names.includes(kind)) continue
    // The shared msgpack structures live under a symbol key: not a record.
    for (const key of root.openDB({ name: kind }).getKeys({ snapshot: true })) if (typeof key === 'string') counts[kind] += 1
  }
  return counts
}

/** Pids in LMDB's reader table, as lmdb-js prints it ("pid thread txnid" lines). */
function readerPids(list: string): number[] {
  return [...new Set(list.split('\n').slice(1).map((line) => Number(line.trim().split(/\s+/)[0])).filter((pid) => Number.isInteger(pid) && pid > 0))]
}

/** Nothing to upgrade: tidies what an earlier upgrade stopped after its rename left, and (`lookBack`) finds its record. */
async function finishedBefore(database: string, format: DatabaseFormat, lookBack: boolean): Promise<UpgradeOutcome> {
  if (format.kind !== 'agent-tracker') return { status: 'nothing-to-upgrade', format }
  const staging = stagingPath(database)
  if ([staging, `${staging}-lock`, `${database}.upgrade-lock`].some((leftover) => existsSync(leftover))) {
    const lock = claimUpgradeLock(database)
    if (!('heldBy' in lock)) {
      removeDatabaseFiles(staging)
      lock.release()
    }
  }
  if (!lookBack) return { status: 'nothing-to-upgrade', format }
  try {
    const store = openLmdbStore({ databasePath: database, readOnly: true })
    try {
      const upgradedBefore = (await store.listMigrations()).find((record) => record.kind === 'upgrade')
      return { status: 'nothing-to-upgrade', format, ...(upgradedBefore === undefined ? {} : { upgradedBefore }) }
    } finally {
      await store.close()
    }
  } catch {
    return { status: 'nothing-to-upgrade', format }
  }
}
