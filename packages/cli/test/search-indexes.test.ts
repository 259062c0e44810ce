import { open } from 'lmdb'
import { describe, expect, it } from 'vitest'
import { runCli } from './run-cli.js'
import { seedHistory } from './seed.js'

/** What a process of the release before the search indexes, open since before the upgrade, leaves: facts past the mark. */
function leaveSearchIndexesBehind(db: string): void {
  const root = open({ path: db, maxDbs: 32 })
  const meta = root.openDB({ name: 'meta' })
  root.transactionSync(() => {
    meta.putSync('searchedThrough', (meta.get('lastFactSeq') as number) - 1)
  })
  void root.close()
}

describe('search indexes', () => {
  it('are said to be in step; behind, search still answers the same, doctor says so and --repair rebuilds them', async () => {
    const { db } = await seedHistory()
    const healthy = await runCli(['doctor', '--db', db])
    expect(healthy.stdout).toMatch(/✓ Search +the search indexes hold every retrospective, journal entry, commit and bug\n/)
    const before = await runCli(['search', 'shop', 'cart', 'webhooks', '--db', db, '--json'])
    const found = JSON.parse(before.stdout) as { data: { patterns: unknown[]; mistakes: unknown[] } }
    expect(found.data.patterns.length + found.data.mistakes.length).toBeGreaterThan(3)

    leaveSearchIndexesBehind(db)
    const behind = await runCli(['doctor', '--db', db])
    expect(behind.code).toBe(0)
    expect(behind.stdout).toMatch(/! Search +the search indexes are behind the records \(a process of an earlier release wrote to the database after this release upgraded it\): search reads whole records, slower, until agent-tracker doctor --repair rebuilds them\n/)
    expect((await runCli(['search', 'shop', 'cart', 'webhooks', '--db', db, '--json'])).stdout).toBe(before.stdout)

    const repaired = await runCli(['doctor', '--repair', '--db', db])
    expect(repaired.stdout).toMatch(/✓ Search +the search indexes were behind the records: rebuilt, \d+ entries\n/)
    expect((await runCli(['doctor', '--db', db])).stdout).toMatch(/✓ Search +the search indexes hold every/)
    expect((await runCli(['search', 'shop', 'cart', 'webhooks', '--db', db, '--json'])).stdout).toBe(before.stdout)
  })
})
