import { join } from 'node:path'
import type { Fact } from '@agent-tracker/core'
import { createMemoryStore } from '@agent-tracker/core/testing'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import type { PostgresStore } from '@agent-tracker/postgres-store'
import { openPostgresStore } from '@agent-tracker/postgres-store'
import type { PostgresServer } from '@agent-tracker/postgres-store/testing'
import { startPostgresServer } from '@agent-tracker/postgres-store/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CliRun } from '../run-cli.js'
import { jsonData, jsonError, runBuiltCli, tempFolder } from '../run-cli.js'
import { SHARED_SETUPS, machineFacts } from './machine-workload.js'

// Eight machines' databases, 2,000 facts each on the same two setups, synced at once by eight
// real `agent-tracker sync` processes to one real PostgreSQL — once straight through, and once
// with the server stopped in the middle and started again.

const MACHINES = 8
const FACTS = 2000
const memberOf = (machine: number): string => `member${String(machine % 4)}`

let server: PostgresServer
let databases: string[]
const reference = createMemoryStore()
const shares = new Map<string, ReturnType<typeof createMemoryStore>>()

beforeAll(async () => {
  server = await startPostgresServer()
  const folder = tempFolder('machines-')
  databases = []
  for (let machine = 0; machine < MACHINES; machine++) {
    const databasePath = join(folder, `machine-${String(machine)}.lmdb`)
    const facts: Fact[] = machineFacts(machine, FACTS)
    const local = openLmdbStore({ databasePath })
    for (let i = 0; i < facts.length; i += 500) await local.applyFacts(facts.slice(i, i + 500))
    await local.close()
    databases.push(databasePath)
    await reference.applyFacts(facts)
    const member = memberOf(machine)
    const share = shares.get(member) ?? createMemoryStore()
    shares.set(member, share)
    await share.applyFacts(facts)
  }
}, 120_000)

afterAll(async () => {
  await server.destroy()
})

function syncAll(schema: string, batchSize: number): Promise<CliRun[]> {
  return Promise.all(databases.map((db, machine) => runBuiltCli(['sync', '--db', db, '--batch-size', String(batchSize), '--json'], {
    env: { AGENT_TRACKER_TEAM_URL: server.url, AGENT_TRACKER_TEAM_SCHEMA: schema, AGENT_TRACKER_TEAM_MEMBER: memberOf(machine) },
  })))
}

/** The team's totals equal the sum of every machine's facts, and each member's share the sum of theirs. */
async function expectExactTotals(schema: string): Promise<void> {
  const team = await openPostgresStore({ url: server.url, schema })
  try {
    for (const setup of SHARED_SETUPS) {
      const state = (await team.get('setups', [setup]))?.state
      expect(state).toEqual((await reference.get('setups', [setup]))?.state)
      expect(state).toMatchObject({ toolCalls: 6400, toolFailures: 800, commits: 800, userGrades: { count: 800, sum: 800 } })
    }
    expect(await team.find('usage')).toEqual(await reference.find('usage'))
    expect(await team.find('commits', { order: 'any' })).toHaveLength(MACHINES * FACTS / 10)
    expect(await team.lastFactSeq()).toBe(MACHINES * FACTS)
    for (const [member, share] of shares) {
      const mine = team.forMember(member)
      for (const setup of SHARED_SETUPS) expect((await mine.get('setups', [setup]))?.state, member).toEqual((await share.get('setups', [setup]))?.state)
      expect(await mine.lastFactSeq()).toBe(2 * FACTS)
    }
    expect((await team.syncSources()).map((source) => source.acknowledged)).toEqual(Array.from({ length: MACHINES }, () => FACTS))
  } finally {
    await team.close()
  }
}

describe('eight machines sync to one team database at once', () => {
  it('gives team totals equal to the sum of every machine exactly', { timeout: 240_000 }, async () => {
    const runs = await syncAll('straight', 100)
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0)
      expect(jsonData(run.stdout, 'sync')).toMatchObject({ sent: FACTS, applied: FACTS, repeats: 0, acknowledged: FACTS, local: FACTS })
    }
    await expectExactTotals('straight')
  })

  it('still gives exact totals when the server stops in the middle and the machines sync again after it starts', { timeout: 240_000 }, async () => {
    const schema = 'restarted'
    const watcher: PostgresStore = await openPostgresStore({ url: server.url, schema })
    const progress = { finished: false }
    const runs = syncAll(schema, 20).finally(() => {
      progress.finished = true
    })
    let acknowledged = 0
    while (acknowledged < MACHINES * FACTS / 8 && !progress.finished) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      acknowledged = (await watcher.syncSources()).reduce((sum, source) => sum + source.acknowledged, 0)
    }
    await watcher.close()
    expect(progress.finished, 'every sync ended before the server could be stopped in the middle').toBe(false)
    await server.stop()
    const cut = await runs
    const failed = cut.filter((run) => run.code !== 0)
    // The server went away mid-sync: the processes still sending said so and exited 1.
    expect(failed.length).toBeGreaterThan(0)
    for (const run of failed) {
      expect(run.code, run.stderr).toBe(1)
      expect(run.stdout, run.stderr).not.toBe('')
      expect(jsonError(run.stdout), run.stderr).toMatchObject({ code: 'TEAM_UNREACHABLE' })
    }
    await server.start()
    const resumed = await syncAll(schema, 500)
    for (const run of resumed) expect(run.code, run.stderr).toBe(0)
    // Together the two runs sent each fact once: each resumed from what the server had acknowledged.
    const sentAgain = resumed.reduce((sum, run) => sum + (jsonData(run.stdout, 'sync') as { sent: number }).sent, 0)
    expect(sentAgain).toBeLessThan(MACHINES * FACTS)
    expect(resumed.every((run) => (jsonData(run.stdout, 'sync') as { repeats: number }).repeats === 0)).toBe(true)
    await expectExactTotals(schema)
  })
})
