import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { createMemoryStore } from '@agent-tracker/core/testing'
import { describe, expect, it } from 'vitest'
import { openLmdbStore } from '../src/open-lmdb-store.js'
import { SETUPS, buildWorkload } from './fixtures/workload.mjs'
import { tempFolder } from './temp.js'

const run = promisify(execFile)
const child = fileURLToPath(new URL('fixtures/apply-workload.mjs', import.meta.url))
const writeOnExit = fileURLToPath(new URL('fixtures/write-on-exit.mjs', import.meta.url))
const WORKERS = 4
const FACTS_PER_WORKER = 2000

describe('many processes, one database', () => {
  it('loses no update when 4 processes apply 2,000 facts each to the same setups at once', { timeout: 120_000 }, async () => {
    const databasePath = join(tempFolder(), 'shared.lmdb')
    await openLmdbStore({ databasePath }).close()
    const startAt = String(Date.now() + 1500)
    const outputs = await Promise.all(
      Array.from({ length: WORKERS }, (_, worker) =>
        run(process.execPath, [child, databasePath, String(worker), String(FACTS_PER_WORKER), startAt, '25']),
      ),
    )
    const spans = outputs.map(({ stdout }) => JSON.parse(stdout) as { first: number; last: number; batches: number })
    expect(spans.map((span) => span.batches)).toEqual([80, 80, 80, 80])
    // The workers really wrote at the same time: every one started before any finished.
    expect(Math.max(...spans.map((span) => span.first))).toBeLessThan(Math.min(...spans.map((span) => span.last)))

    const reference = createMemoryStore()
    for (let worker = 0; worker < WORKERS; worker++) await reference.applyFacts(buildWorkload(worker, FACTS_PER_WORKER))
    const shared = openLmdbStore({ databasePath })
    for (const setup of SETUPS) {
      const actual = (await shared.get('setups', [setup]))?.state
      expect(actual).toEqual((await reference.get('setups', [setup]))?.state)
      expect(actual).toMatchObject({ toolCalls: 3200, toolFailures: 400, commits: 400, userGrades: { count: 400, sum: 400 }, communication: 860 })
    }
    expect(await shared.find('commits')).toHaveLength(800)
    expect(await shared.find('retrospectives')).toHaveLength(800)
    expect(await shared.find('gradeEvents')).toHaveLength(800)
    expect(await shared.find('usage')).toEqual(await reference.find('usage'))
    await shared.close()
  })

  it('can still write from a process exit listener (lmdb-js must not close the environment first)', async () => {
    const databasePath = join(tempFolder(), 'exit.lmdb')
    const { stdout } = await run(process.execPath, [writeOnExit, databasePath])
    expect(JSON.parse(stdout)).toMatchObject({ applied: 1 })
    const store = openLmdbStore({ databasePath })
    expect((await store.get('setups', ['build@fake/m1']))?.state.pushes).toBe(1)
    await store.close()
  })
})
