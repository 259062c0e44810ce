import { open } from 'lmdb'
import { describe, expect, it } from 'vitest'
import { asSchema2 } from '@agent-tracker/lmdb-store/testing'
import { runCli } from './run-cli.js'
import { SONNET, seedHistory } from './seed.js'

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

  it('after an upgrade from schema 2 are built a step at a time: doctor says how far, search answers the same meanwhile, and --repair builds them at once', async () => {
    const { db } = await seedHistory()
    await asSchema2(db)
    // The first write of this release upgrades the database and starts the build; the CLI leaves the build to the plugin.
    expect((await runCli(['activity', SONNET, '--task', 'stripe webhook cart retries', '--project', 'shop', '--db', db])).code).toBe(0)
    const building = await runCli(['doctor', '--db', db])
    expect(building.stdout).toMatch(/! Search +the search indexes are being built \(0%, 0 of \d+ records\), as the upgrade to this release started: the OpenCode plugin builds them in the background, a few records at a time; search reads whole records, slower, until they are done, or until agent-tracker doctor --repair builds them at once\n/)
    const meanwhile = await runCli(['search', 'shop', 'cart', 'webhooks', '--db', db, '--json'])
    expect((JSON.parse(meanwhile.stdout) as { data: { patterns: unknown[] } }).data.patterns.length).toBeGreaterThan(0)

    const built = await runCli(['doctor', '--repair', '--db', db])
    expect(built.stdout).toMatch(/✓ Search +the search indexes were being built: built now, \d+ entries\n/)
    expect((await runCli(['doctor', '--db', db])).stdout).toMatch(/✓ Search +the search indexes hold every/)
    expect((await runCli(['search', 'shop', 'cart', 'webhooks', '--db', db, '--json'])).stdout).toBe(meanwhile.stdout)
  })
})
