import { Worker } from 'node:worker_threads'
import type { LmdbStoreErrorCode, LmdbStoreErrorDetails } from '@agent-tracker/lmdb-store'
import { LmdbStoreError } from '@agent-tracker/lmdb-store'
import { NodeHostError } from '../errors.js'
import type { DatabasePathSources } from './database-path.js'
import { resolveDatabasePath } from './database-path.js'
import type { LongUpgrade } from './long-upgrade.js'
import { longUpgradeOf } from './long-upgrade.js'

/** Options of {@link upgradeInWorker}. */
export interface UpgradeInWorkerOptions extends DatabasePathSources {
  /** Size limit of the database file in bytes, as the host opens it with. */
  readonly maxDatabaseSize?: number | undefined
  /**
   * The worker's module. Default: `upgrade-worker.js` beside this module, as the kit's build and a
   * bundle that keeps it beside its chunks (the OpenCode plugin's) have it.
   */
  readonly workerUrl?: URL | undefined
  /** Called as the worker starts, with the schema it upgrades from and the records it rewrites: a host says so to its user. */
  readonly onStart?: ((upgrade: LongUpgrade) => void) | undefined
}

/** An upgrade {@link upgradeInWorker} made: from which schema, how many records it rewrote, how long it took. */
export interface UpgradeInWorker extends LongUpgrade {
  readonly ms: number
}

/** What the worker is given. */
export interface UpgradeWorkerInput {
  readonly databasePath: string
  readonly maxDatabaseSize?: number | undefined
}

/** What the worker answers: done, or the error the open raised (an `LmdbStoreError`'s code and details when it was one). */
export type UpgradeWorkerReply =
  | { readonly ok: true; readonly ms: number }
  | { readonly ok: false; readonly message: string; readonly code?: LmdbStoreErrorCode; readonly details?: unknown }

/**
 * Upgrades the database in place in a worker thread when opening it would rewrite every record (a
 * database of release 0.1.0, schema 1: seconds for a hundred thousand records, in one write
 * transaction): the calling thread's event loop — an editor's — keeps turning meanwhile. Call it
 * before opening the database; the open that follows finds it upgraded. Another process upgrading
 * it at the same time is safe: the upgrade reads the version again inside its transaction, and
 * only the first writes.
 * @returns undefined when no such upgrade is needed (a current or new database, a short upgrade, not an agent-tracker database: the open itself deals with those), else what was upgraded.
 * @throws {LmdbStoreError} what the open would have thrown, when the upgrade failed (nothing was changed: it is one transaction).
 * @throws {NodeHostError} UPGRADE_WORKER_UNAVAILABLE when the worker could not run (the host may then open the database in its own thread, which upgrades it there).
 */
export async function upgradeInWorker(options: UpgradeInWorkerOptions = {}): Promise<UpgradeInWorker | undefined> {
  const databasePath = resolveDatabasePath(options)
  const upgrade = longUpgradeOf(databasePath)
  if (upgrade === undefined) return undefined
  const input: UpgradeWorkerInput = { databasePath, maxDatabaseSize: options.maxDatabaseSize }
  options.onStart?.(upgrade)
  const reply = await runWorker(options.workerUrl ?? new URL('./upgrade-worker.js', import.meta.url), input)
  if (!reply.ok) {
    throw reply.code === undefined
      ? new Error(reply.message)
      : new LmdbStoreError(reply.code, reply.message, reply.details as LmdbStoreErrorDetails[typeof reply.code])
  }
  return { ...upgrade, ms: reply.ms }
}

/** Runs the worker to its reply; rejects with UPGRADE_WORKER_UNAVAILABLE when it cannot start or ends without one. */
function runWorker(url: URL, input: UpgradeWorkerInput): Promise<UpgradeWorkerReply> {
  return new Promise((resolve, reject) => {
    const unavailable = (reason: string, cause?: unknown): void => {
      reject(new NodeHostError('UPGRADE_WORKER_UNAVAILABLE', `The database could not be upgraded in a worker thread: ${reason}.`, { worker: url.href, reason }, { cause }))
    }
    let worker: Worker
    try {
      // None of the host's flags: the upgrade needs none, and an inspector, a profiler or export
      // conditions naming a workspace's sources would only get in its way.
      worker = new Worker(url, { workerData: input, execArgv: [] })
    } catch (error) {
      unavailable(error instanceof Error ? error.message : String(error), error)
      return
    }
    let replied = false
    worker.once('message', (reply: UpgradeWorkerReply) => {
      replied = true
      resolve(reply)
    })
    worker.once('error', (error) => {
      if (!replied) unavailable(error.message, error)
    })
    worker.once('exit', (code) => {
      if (!replied) unavailable(`it ended (exit code ${String(code)}) without saying how the upgrade went`)
    })
  })
}
