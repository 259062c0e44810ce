// The worker of `upgradeInWorker`: opens the database for writing — which upgrades it in place, in
// one write transaction — closes it, and says how that went. Run as a worker thread, never imported.
import { parentPort, workerData } from 'node:worker_threads'
import { isLmdbStoreError, openLmdbStore } from '@agent-tracker/lmdb-store'
import type { UpgradeWorkerInput, UpgradeWorkerReply } from './upgrade-in-worker.js'

const input = workerData as UpgradeWorkerInput
let reply: UpgradeWorkerReply
const started = performance.now()
try {
  const store = openLmdbStore({ databasePath: input.databasePath, ...(input.maxDatabaseSize === undefined ? {} : { maxDatabaseSize: input.maxDatabaseSize }) })
  await store.close()
  reply = { ok: true, ms: performance.now() - started }
} catch (error) {
  reply = isLmdbStoreError(error)
    ? { ok: false, code: error.code, message: error.message, details: error.details }
    : { ok: false, message: error instanceof Error ? error.message : String(error) }
}
parentPort?.postMessage(reply)
