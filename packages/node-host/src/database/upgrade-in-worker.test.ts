import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Fact } from '@agent-tracker/core'
import { COLLECTIONS, SCHEMA_VERSION } from '@agent-tracker/core'
import { createFactScript } from '@agent-tracker/core/testing'
import { isLmdbStoreError, openLmdbStore, readStoredSchema } from '@agent-tracker/lmdb-store'
import { writeSchema1Database } from '@agent-tracker/lmdb-store/testing'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { isNodeHostError } from '../errors.js'
import { upgradeInWorker } from './upgrade-in-worker.js'

/** The worker as the kit's build has it (tests run this module from its source, which a worker thread cannot load). */
const WORKER = new URL('../../dist/database/upgrade-worker.js', import.meta.url)
/** A host process that upgrades in a worker, from the kit's build. */
const CHILD = fileURLToPath(new URL('../../test/fixtures/upgrade-in-worker.mjs', import.meta.url))

/** Sessions of two setups in two projects, `days` days of them: enough records that an upgrade takes a while. */
function history(days: number): Fact[] {
  const facts: Fact[] = []
  for (let day = 0; day < days; day++) {
    const start = new Date(Date.UTC(2026, 1, 1 + day, 9)).toISOString()
    const shop = createFactScript({ setup: 'build@anthropic/claude-sonnet-4-5', project: '/home/dev/shop', start, stepMs: 60_000, session: `ses_s${String(day)}` })
    const api = createFactScript({ setup: 'plan@openai/gpt-5', project: '/home/dev/api', start, stepMs: 90_000, session: `ses_a${String(day)}` })
    for (let i = 0; i < 20; i++) {
      facts.push(shop.activity(`shop task ${String(day)}.${String(i)}`), shop.toolCall('bash', i % 5 !== 0), shop.commit(`5a${String(day)}x${String(i)}c0ffee`, `shop change ${String(i)}`))
      facts.push(api.activity(`api task ${String(day)}.${String(i)}`), api.commit(`ap${String(day)}x${String(i)}beef`))
    }
  }
  return facts
}

async function everything(path: string): Promise<Record<string, unknown[]>> {
  const store = openLmdbStore({ databasePath: path, readOnly: true })
  try {
    const all: Record<string, unknown[]> = {}
    for (const collection of COLLECTIONS) all[collection] = await store.find(collection, { order: 'oldest' })
    return all
  } finally {
    await store.close()
  }
}

describe('upgradeInWorker', () => {
  it('upgrades a database of release 0.1.0 in a worker thread while the caller\'s event loop turns', async () => {
    const path = join(tempFolder(), 'tracker.lmdb')
    const facts = history(30)
    await writeSchema1Database(path, { facts })
    const stored = readStoredSchema(path)
    expect(stored?.schemaVersion).toBe(1)
    expect(stored?.entries).toBeGreaterThan(2000)

    let ticks = 0
    const timer = setInterval(() => (ticks += 1), 1)
    const upgraded = await upgradeInWorker({ databasePath: path, workerUrl: WORKER })
    // Counted before this continuation ran: an upgrade in this thread would have let no timer fire.
    const during = ticks
    clearInterval(timer)

    expect(upgraded).toMatchObject({ fromSchema: 1, records: stored?.entries })
    expect(during).toBeGreaterThan(0)
    expect(readStoredSchema(path)?.schemaVersion).toBe(SCHEMA_VERSION)
    // The same records as an upgrade in this thread gives.
    const inThread = join(tempFolder(), 'tracker.lmdb')
    await writeSchema1Database(inThread, { facts })
    await openLmdbStore({ databasePath: inThread }).close()
    expect(await everything(path)).toEqual(await everything(inThread))
  })

  it('is safe in two processes at once: one upgrades, the other finds it done, and nothing is lost', async () => {
    const path = join(tempFolder(), 'tracker.lmdb')
    const facts = history(20)
    await writeSchema1Database(path, { facts })
    const reference = join(tempFolder(), 'tracker.lmdb')
    await writeSchema1Database(reference, { facts })
    await openLmdbStore({ databasePath: reference }).close()
    // Each started before either ends: both read schema 1 and start a worker; the upgrade reads the version again in its transaction.
    const answers = await Promise.all([0, 1].map(() => new Promise<{ upgraded?: { fromSchema: number } | null; error?: string }>((resolve, reject) => {
      execFile(process.execPath, [CHILD, path], { timeout: 60_000 }, (error, stdout, stderr) => {
        if (error === null) resolve(JSON.parse(stdout) as { upgraded?: { fromSchema: number } | null })
        else reject(new Error(`the host process failed: ${stderr}`, { cause: error }))
      })
    })))
    expect(answers.map((answer) => answer.error)).toEqual([undefined, undefined])
    expect(answers.filter((answer) => answer.upgraded?.fromSchema === 1).length).toBeGreaterThanOrEqual(1)
    expect(readStoredSchema(path)?.schemaVersion).toBe(SCHEMA_VERSION)
    expect(await everything(path)).toEqual(await everything(reference))
  })

  it('leaves a current database, a new one and a missing one to the open, without a worker', async () => {
    const folder = tempFolder()
    const current = join(folder, 'current.lmdb')
    await openLmdbStore({ databasePath: current }).close()
    const missing = new URL('./no-such-worker.js', import.meta.url)
    // A worker that cannot start would reject: none is started.
    expect(await upgradeInWorker({ databasePath: current, workerUrl: missing })).toBeUndefined()
    expect(await upgradeInWorker({ databasePath: join(folder, 'absent.lmdb'), workerUrl: missing })).toBeUndefined()
  })

  it('says the worker is unavailable when it cannot run, and changes nothing', async () => {
    const path = join(tempFolder(), 'tracker.lmdb')
    await writeSchema1Database(path, { facts: history(2) })
    const error: unknown = await upgradeInWorker({ databasePath: path, workerUrl: new URL('./no-such-worker.js', import.meta.url) }).catch((caught: unknown) => caught)
    expect(isNodeHostError(error, 'UPGRADE_WORKER_UNAVAILABLE')).toBe(true)
    expect((error as Error).message).toMatch(/could not be upgraded in a worker thread/)
    expect(readStoredSchema(path)?.schemaVersion).toBe(1)
  })

  it('rejects with the error the open raises when the upgrade fails, and changes nothing', async () => {
    const path = join(tempFolder(), 'tracker.lmdb')
    await writeSchema1Database(path, { facts: history(2) })
    const error: unknown = await upgradeInWorker({ databasePath: path, maxDatabaseSize: 3, workerUrl: WORKER }).catch((caught: unknown) => caught)
    expect(isLmdbStoreError(error, 'INVALID_OPTION')).toBe(true)
    expect(readStoredSchema(path)?.schemaVersion).toBe(1)
  })
})
