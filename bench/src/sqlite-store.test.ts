import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Fact, OutcomeDay } from '@agent-tracker/core'
import { SEARCHED_COLLECTIONS } from '@agent-tracker/core/store'
import { createFactScript } from '@agent-tracker/core/testing'
import { outcomeDaySlot, outcomeDaysOfRollups, projectDaySlot, projectDaysOfRollups, totalsOfRollups } from '@agent-tracker/core'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import Database from 'better-sqlite3'
import { describe, expect, it, onTestFinished } from 'vitest'
import { openSqliteStore } from './sqlite-store.js'

/** Two setups over two projects and several days: tool calls, usage, commits, journal entries and a bug. */
function history(): Fact[] {
  const shop = createFactScript({ setup: 'build@anthropic/claude-sonnet-4-5', project: '/bench/shop', start: '2026-03-01T09:00:00.000Z', stepMs: 7 * 3_600_000, session: 'ses_1' })
  const api = createFactScript({ setup: 'plan@openai/gpt-5', project: '/bench/api', start: '2026-03-01T10:00:00.000Z', stepMs: 5 * 3_600_000 })
  const facts: Fact[] = []
  for (let i = 0; i < 12; i++) {
    facts.push(shop.toolCall('bash', i % 5 !== 0), shop.usage({ input: 100, output: 20 }, 0.01), shop.commit(`5a${String(i)}c0ffee`, `stripe webhook retries ${String(i)}`))
    facts.push(api.activity(`cache invalidation ${String(i)}`), api.commit(`ap${String(i)}beef`, `parser cache ${String(i)}`), api.usage({ input: 50, output: 5 }, 0.02))
  }
  facts.push(shop.bug('user', 'the webhook retried twice', '5a3c0ffee'))
  return facts
}

describe('the benchmark’s SQLite store', () => {
  it('keeps what the LMDB store keeps in step: the same records, a search entry per searched record, and setup totals, project days and outcome days that add up its rollups', async () => {
    const folder = { path: mkdtempSync(join(tmpdir(), 'sqlite-store-')) }
    onTestFinished(() => {
      rmSync(folder.path, { recursive: true, force: true })
    })
    const facts = history()
    const sqlite = openSqliteStore(join(folder.path, 'tracker.sqlite'))
    const lmdb = openLmdbStore({ databasePath: join(folder.path, 'tracker.lmdb') })
    // In batches, as flushes write them: later batches move rollups and totals written by earlier ones.
    for (let from = 0; from < facts.length; from += 10) {
      sqlite.applyFactsSync(facts.slice(from, from + 10))
      lmdb.applyFactsSync(facts.slice(from, from + 10))
    }
    for (const collection of ['commits', 'usage', 'activities', 'bugs', 'setups'] as const) {
      expect(await sqlite.find(collection, { order: 'oldest' })).toEqual(await lmdb.find(collection, { order: 'oldest' }))
    }
    const usage = await sqlite.find('usage', { order: 'any' })
    expect(usage.length).toBeGreaterThan(4)
    const totals = (await sqlite.setupTotals?.()) ?? []
    expect(new Map(totals.map((t) => [t.setup, t]))).toEqual(totalsOfRollups(usage))
    expect(totals).toEqual(await lmdb.setupTotals())
    const days = (await sqlite.projectDays?.()) ?? []
    expect(days.length).toBeGreaterThan(1)
    expect(new Map(days.map((d) => [projectDaySlot(d.project, d.day), d]))).toEqual(projectDaysOfRollups(usage))
    expect(days).toEqual(await lmdb.projectDays())
    const outcomes = (await sqlite.outcomeDays?.()) ?? []
    expect(new Map(outcomes.map((day) => [outcomeDaySlot(day), day]))).toEqual(outcomeDaysOfRollups(usage))
    const byKey = (all: readonly OutcomeDay[]): OutcomeDay[] => [...all].sort((a, b) => outcomeDaySlot(a).localeCompare(outcomeDaySlot(b)))
    expect(byKey(outcomes)).toEqual(byKey((await lmdb.outcomeDays()) ?? []))
    await sqlite.close()
    await lmdb.close()
    const db = new Database(join(folder.path, 'tracker.sqlite'), { readonly: true })
    const searched = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM search WHERE collection = ?')
    const records = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM records WHERE collection = ?')
    for (const collection of SEARCHED_COLLECTIONS) expect(searched.get(collection)?.n, collection).toBe(records.get(collection)?.n)
    expect(searched.get('commits')?.n).toBe(24)
    db.close()
  })
})
