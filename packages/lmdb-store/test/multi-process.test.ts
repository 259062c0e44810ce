import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { checkRollups } from '@agent-tracker/core'
import { createMemoryStore } from '@agent-tracker/core/testing'
import { describe, expect, it } from 'vitest'
import { openLmdbStore } from '../src/open-lmdb-store.js'
import { SETUPS, buildWorkload } from './fixtures/workload.mjs'
import { tempFolder } from '@agent-tracker/test-folders'

const run = promisify(execFile)
const child = fileURLToPath(new URL('fixtures/apply-workload.mjs', import.meta.url))
const writeOnExit = fileURLToPath(new URL('fixtures/write-on-exit.mjs', import.meta.url))
const WORKERS = 8
const FACTS_PER_WORKER = 2000

describe('many processes, one database', () => {
  it('loses no update and counts no fact twice when 8 processes apply 2,000 facts each to the same setups at once, twice over', { timeout: 240_000 }, async () => {
    const databasePath = join(tempFolder(), 'shared.lmdb')
    await openLmdbStore({ databasePath }).close()
    const startAt = String(Date.now() + 2500)
    const outputs = await Promise.all(
      Array.from({ length: WORKERS }, (_, worker) =>
        run(process.execPath, [child, databasePath, String(worker), String(FACTS_PER_WORKER), startAt, '25', '2']),
      ),
    )
    const spans = outputs.map(({ stdout }) => JSON.parse(stdout) as { first: number; last: number; batches: number; repeats: number })
    expect(spans.map((span) => span.batches)).toEqual(Array.from({ length: WORKERS }, () => 160))
    // The second pass sent every fact again: each was recognised by its id, in its own process's transaction.
    expect(spans.map((span) => span.repeats)).toEqual(Array.from({ length: WORKERS }, () => FACTS_PER_WORKER))
    // The workers really wrote at the same time: every one started before any finished.
    expect(Math.max(...spans.map((span) => span.first))).toBeLessThan(Math.min(...spans.map((span) => span.last)))

    const reference = createMemoryStore()
    for (let worker = 0; worker < WORKERS; worker++) await reference.applyFacts(buildWorkload(worker, FACTS_PER_WORKER))
    const shared = openLmdbStore({ databasePath })
    for (const setup of SETUPS) {
      const actual = (await shared.get('setups', [setup]))?.state
      expect(actual).toEqual((await reference.get('setups', [setup]))?.state)
      expect(actual).toMatchObject({ toolCalls: 6400, toolFailures: 800, commits: 800, userGrades: { count: 800, sum: 800 }, communication: 1660 })
    }
    expect(await shared.find('commits')).toHaveLength(1600)
    expect(await shared.find('retrospectives')).toHaveLength(1600)
    expect(await shared.find('gradeEvents')).toHaveLength(1600)
    expect(await shared.find('usage')).toEqual(await reference.find('usage'))
    // The fact log holds every fact once, the day rollups add up to it, the setup totals, project days and outcome days to them, and each setup's scores count what they do (what `doctor --check` checks).
    expect(await shared.lastFactSeq()).toBe(WORKERS * FACTS_PER_WORKER)
    const logged = new Set<string>()
    for await (const { fact } of shared.readFactLog()) logged.add(fact.id)
    expect(logged.size).toBe(WORKERS * FACTS_PER_WORKER)
    const rollups = await shared.find('usage')
    expect(await checkRollups(shared)).toEqual({ rollups: rollups.length, facts: WORKERS * FACTS_PER_WORKER, setupTotals: new Set(rollups.map((rollup) => rollup.setup)).size, projectDays: new Set(rollups.map((rollup) => `${rollup.project} ${rollup.day}`)).size, outcomeDays: rollups.length, drift: [], scores: { checked: SETUPS.length, imported: 0, drift: [] } })
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
