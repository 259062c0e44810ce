import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { open } from 'lmdb'
import { describe, expect, it } from 'vitest'
import { SEARCHED_COLLECTIONS, SEARCH_WORDS_VERSION, recordEntry, searchEntryList } from '@agent-tracker/core/store'
import { createFactScript } from '@agent-tracker/core/testing'
import { Transcript } from '@agent-tracker/host-import/testing'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { asSchema2, asSearchWords1, writeSearchEntryOfWords1 } from '@agent-tracker/lmdb-store/testing'
import { factLine, jsonData, runBuiltCli, runCli, tempFolder } from './run-cli.js'
import { SONNET, seedHistory } from './seed.js'

/** What a process of the release before the search indexes, open since before the upgrade, leaves: facts past the mark. */
function leaveSearchIndexesBehind(db: string): void {
  const root = open({ path: db, maxDbs: 32 })
  const meta = root.openDB({ name: 'meta' })
  root.transactionSync(() => {
    meta.putSync(`searchedThrough@${String(SEARCH_WORDS_VERSION)}`, (meta.get('lastFactSeq') as number) - 1)
  })
  void root.close()
}

describe('search indexes', () => {
  it('are said to be in step; behind, search still answers the same, doctor says so and --repair rebuilds them, and search rebuilds them in the background', async () => {
    const { db } = await seedHistory()
    const healthy = await runCli(['doctor', '--db', db])
    expect(healthy.stdout).toMatch(/✓ Search +the search indexes hold every retrospective, journal entry, commit and bug\n/)
    const before = await runCli(['search', 'shop', 'cart', 'webhooks', '--db', db, '--json'])
    const found = JSON.parse(before.stdout) as { data: { patterns: unknown[]; mistakes: unknown[] } }
    expect(found.data.patterns.length + found.data.mistakes.length).toBeGreaterThan(3)

    leaveSearchIndexesBehind(db)
    const behind = await runCli(['doctor', '--db', db])
    expect(behind.code).toBe(0)
    expect(behind.stdout).toMatch(/! Search +the search indexes are behind the records \(a process of an earlier release wrote to the database after this release upgraded it\): the OpenCode plugin, Claude Code's hooks at the end of each turn, and agent-tracker search rebuild them in the background, and until they are rebuilt search reads whole records, slower; agent-tracker doctor --repair rebuilds them at once\n/)

    const repaired = await runCli(['doctor', '--repair', '--db', db])
    expect(repaired.stdout).toMatch(/✓ Search +the search indexes were behind the records: rebuilt, \d+ entries\n/)
    expect((await runCli(['doctor', '--db', db])).stdout).toMatch(/✓ Search +the search indexes hold every/)
    expect((await runCli(['search', 'shop', 'cart', 'webhooks', '--db', db, '--json'])).stdout).toBe(before.stdout)

    // Behind again: search answers the same from the records, and the process it starts rebuilds them.
    leaveSearchIndexesBehind(db)
    expect((await runCli(['search', 'shop', 'cart', 'webhooks', '--db', db, '--json'])).stdout).toBe(before.stdout)
    await expect.poll(async () => (await runCli(['doctor', '--db', db])).stdout, { timeout: 30_000, interval: 200 }).toMatch(/✓ Search +the search indexes hold every/)
    expect((await runCli(['search', 'shop', 'cart', 'webhooks', '--db', db, '--json'])).stdout).toBe(before.stdout)
  })

  it('after an upgrade from schema 2 are built a step at a time: doctor says how far, --repair builds them at once, and search answers the same meanwhile and builds them in the background', async () => {
    const { db } = await seedHistory()
    await asSchema2(db)
    // The first write of this release upgrades the database and starts the build.
    expect((await runCli(['activity', SONNET, '--task', 'stripe webhook cart retries', '--project', 'shop', '--db', db])).code).toBe(0)
    const building = await runCli(['doctor', '--db', db])
    expect(building.stdout).toMatch(/! Search +the search indexes are being built \(0%, 0 of \d+ records\), as the upgrade to this release started: the OpenCode plugin, Claude Code's hooks at the end of each turn, and agent-tracker search build them in the background, a few records at a time; search reads whole records, slower, until they are done, or until agent-tracker doctor --repair builds them at once\n/)
    const built = await runCli(['doctor', '--repair', '--db', db])
    expect(built.stdout).toMatch(/✓ Search +the search indexes were being built: built now, \d+ entries\n/)
    expect((await runCli(['doctor', '--db', db])).stdout).toMatch(/✓ Search +the search indexes hold every/)
    const after = await runCli(['search', 'shop', 'cart', 'webhooks', '--db', db, '--json'])
    expect((JSON.parse(after.stdout) as { data: { patterns: unknown[] } }).data.patterns.length).toBeGreaterThan(0)

    // Upgraded again by a writer (a write command), the build under way: search answers the same meanwhile, and builds them.
    await asSchema2(db)
    await openLmdbStore({ databasePath: db }).close()
    expect((await runCli(['doctor', '--db', db])).stdout).toMatch(/! Search +the search indexes are being built \(0%/)
    expect((await runCli(['search', 'shop', 'cart', 'webhooks', '--db', db, '--json'])).stdout).toBe(after.stdout)
    await expect.poll(async () => (await runCli(['doctor', '--db', db])).stdout, { timeout: 30_000, interval: 200 }).toMatch(/✓ Search +the search indexes hold every/)
    expect((await runCli(['search', 'shop', 'cart', 'webhooks', '--db', db, '--json'])).stdout).toBe(after.stdout)
  })

  it('written by a release that split words at combining marks are rebuilt: search finds such words meanwhile, doctor says so, --repair rebuilds them, and so does search in the background', async () => {
    const { db } = await seedHistory()
    expect((await runCli(['ingest', '--db', db], { input: factLine({ kind: 'activity', setup: SONNET, project: '/w/app', task: 'हिन्दी अनुवाद जोड़ें', outcome: 'ok' }) })).code).toBe(0)
    const before = await searched(db)
    await asSearchWords1(db)
    const hindi = async (): Promise<unknown[]> => (jsonData((await runCli(['search', 'हिन्दी', '--db', db, '--json'])).stdout, 'search') as { patterns: { title: string }[] }).patterns.map((hit) => hit.title)
    expect((await runCli(['doctor', '--db', db])).stdout).toMatch(/! Search +the search indexes hold words as an earlier release read them: the OpenCode plugin, Claude Code's hooks at the end of each turn, and agent-tracker search rebuild them in the background, and until they are rebuilt search reads whole records, slower; agent-tracker doctor --repair rebuilds them at once\n/)

    expect((await runCli(['doctor', '--repair', '--db', db])).stdout).toMatch(/✓ Search +the search indexes held words as an earlier release read them: rebuilt, \d+ entries\n/)
    expect((await runCli(['doctor', '--db', db])).stdout).toMatch(/✓ Search +the search indexes hold every/)
    expect(await hindi()).toEqual(['हिन्दी अनुवाद जोड़ें'])
    expect(await searched(db)).toBe(before)

    // Outdated again: search finds the word meanwhile, and the process it starts rebuilds them.
    await asSearchWords1(db)
    expect(await hindi()).toEqual(['हिन्दी अनुवाद जोड़ें'])
    await expect.poll(async () => (await runCli(['doctor', '--db', db])).stdout, { timeout: 30_000, interval: 200 }).toMatch(/✓ Search +the search indexes hold every/)
    expect(await hindi()).toEqual(['हिन्दी अनुवाद जोड़ें'])
    expect(await searched(db)).toBe(before)
  })
})

describe('search entries an earlier release wrote its way without a fact', () => {
  it('are found by doctor --check though the indexes are marked in step, and rebuilt by --repair', async () => {
    const { db } = await seedHistory()
    expect((await runCli(['doctor', '--check', '--db', db])).stdout).toMatch(/✓ Search +the search indexes hold every/)
    const reader = openLmdbStore({ databasePath: db, readOnly: true })
    const [record] = await reader.find('activities', { limit: 1 })
    await reader.close()
    if (record === undefined) throw new Error('the seeded history has journal entries')
    // A merge of a release of version 1 of the search words while a rebuild ran: its record's entry its way, and no fact.
    await writeSearchEntryOfWords1(db, 'activities', recordEntry('activities', record).key(), record, { task: 'Café menu' })
    expect((await runCli(['doctor', '--db', db])).stdout).toMatch(/✓ Search +the search indexes hold every/)
    const checked = await runCli(['doctor', '--check', '--db', db])
    expect(checked.stdout).toMatch(/! Search +the search entries of 1 record hold other words than their records \(activities .+\): a process of an earlier release wrote them its way \(a merge or an import while the indexes were rebuilt\), and search may miss those records; agent-tracker doctor --repair rebuilds the indexes\n/)
    expect((await runCli(['doctor', '--check', '--repair', '--db', db])).stdout).toMatch(/✓ Search +the search entries of 1 record hold other words than their records .*: rebuilt, \d+ entries\n/)
    expect((await runCli(['doctor', '--check', '--db', db])).stdout).toMatch(/✓ Search +the search indexes hold every/)
  })
})

describe('search indexes with the CLI alone', () => {
  it('are built by search: it answers from the records at once, and the process it starts builds them a step at a time', async () => {
    const { db, before } = await schema2History(1500)
    // A write command of this release upgrades the database and starts the build; searches go on it.
    await openLmdbStore({ databasePath: db }).close()
    const home = tempFolder('home-')
    const answered = await runBuiltCli(['search', 'shop', 'cart', 'webhooks', '--db', db, '--json'], { home })
    expect(answered).toMatchObject({ code: 0, stdout: before, stderr: '' })
    await expect.poll(async () => (await checks(db, home)).get('Search'), { timeout: 30_000, interval: 200 }).toMatchObject({ level: 'ok', detail: 'the search indexes hold every retrospective, journal entry, commit and bug' })
    await indexesHoldTheRecords(db)
    expect(await searched(db)).toBe(before)
  })
})

/** Searches the database as a user does: `search`'s JSON answer. */
async function searched(db: string): Promise<string> {
  return (await runCli(['search', 'shop', 'cart', 'webhooks', '--db', db, '--json'])).stdout
}

/**
 * The seeded history with `more` journal entries besides (a search-index build of several steps of
 * 500), turned back into a database of schema 2; and what a search found in it before that.
 */
async function schema2History(more: number): Promise<{ db: string; before: string }> {
  const { db, shop } = await seedHistory()
  const store = openLmdbStore({ databasePath: db })
  const script = createFactScript({ setup: SONNET, project: shop, start: '2026-03-03T09:00:00.000Z', stepMs: 60_000 })
  await store.applyFacts(Array.from({ length: more }, (_, i) => script.activity(`cart webhook retries ${String(i)}`, i % 7 === 0 ? 'the build broke' : 'done')))
  await store.close()
  const before = await searched(db)
  expect((JSON.parse(before) as { data: { patterns: unknown[]; mistakes: unknown[] } }).data.mistakes.length).toBeGreaterThan(0)
  await asSchema2(db)
  return { db, before }
}

/** The Stop of a Claude Code session in `cwd` whose transcript holds one response, as Claude Code sends it. */
function stopEvent(home: string, session: string, cwd: string): string {
  const transcript = join(home, `${session}.jsonl`)
  writeFileSync(transcript, new Transcript(session, cwd).prompt('Start.').response(`msg_${session}`, [{ type: 'text', text: 'done' }]).lines.map((line) => `${JSON.stringify(line)}\n`).join(''))
  return JSON.stringify({ session_id: session, transcript_path: transcript, cwd, hook_event_name: 'Stop', stop_hook_active: false })
}

type Check = { name: string; level: string; detail: string }

/** The setup Claude Code's hooks record the test transcripts' responses under. */
const CLAUDE = 'claude-code@anthropic/claude-opus-4-8'

/** doctor's checks of the database, by name. */
async function checks(db: string, home: string): Promise<Map<string, Check>> {
  const run = await runCli(['doctor', '--db', db, '--json'], { home })
  return new Map((jsonData(run.stdout, 'doctor') as { checks: Check[] }).checks.map((check) => [check.name, check]))
}

/** Whether each searched collection's index holds exactly its records' entries. */
async function indexesHoldTheRecords(db: string): Promise<void> {
  const store = openLmdbStore({ databasePath: db, readOnly: true })
  try {
    expect(store.searchIndexes()).toBe('in step')
    for (const collection of SEARCHED_COLLECTIONS) {
      const entries = (await searchEntryList(store, collection)).map((entry) => entry.key())
      expect(entries, collection).toEqual((await store.find(collection)).map((record) => recordEntry(collection, record).key()))
    }
  } finally {
    await store.close()
  }
}

describe('search indexes after an upgrade from schema 2, with Claude Code alone', () => {
  it('are built by the end of a turn: the Stop hook answers at once, and its detached process builds them', async () => {
    const { db, before } = await schema2History(1500)
    const home = tempFolder('home-')
    const stopped = await runBuiltCli(['hook', 'claude-code', '--db', db], { home, input: stopEvent(home, 's1', tempFolder('project-')) })
    expect(stopped).toMatchObject({ code: 0, stdout: '', stderr: '' })
    await expect.poll(async () => (await checks(db, home)).get('Search'), { timeout: 30_000, interval: 200 }).toMatchObject({ level: 'ok', detail: 'the search indexes hold every retrospective, journal entry, commit and bug' })
    expect(await searched(db)).toBe(before)
    await indexesHoldTheRecords(db)
    expect((await checks(db, home)).get('Claude Code')?.detail).not.toMatch(/could not be recorded|stopped/)
  })

  it('are built by two detached Stops at once, of two sessions, taking turns at the steps', async () => {
    const { db, before } = await schema2History(4000)
    const home = tempFolder('home-')
    const cwd = tempFolder('project-')
    const runs = await Promise.all(['s1', 's2'].map((session) => runBuiltCli(['hook', 'claude-code', '--db', db, '--detached'], { home, input: stopEvent(home, session, cwd) })))
    for (const run of runs) expect(run).toMatchObject({ code: 0, stdout: '', stderr: '' })
    // Both turns are recorded, the indexes hold each record's entry once, and search answers as before.
    const status = (jsonData((await runCli(['status', '--db', db, '--json'], { home })).stdout, 'status') as { setup: string; state: { messages: number } }[]).find((row) => row.setup === CLAUDE)
    expect(status?.state.messages).toBe(2)
    await indexesHoldTheRecords(db)
    expect(await searched(db)).toBe(before)
    expect((await checks(db, home)).get('Claude Code')?.detail).not.toMatch(/could not be recorded|stopped/)
  })

  it('say why the build a detached Stop carried on failed, while the turn is recorded and the run ends as the hook did; the next Stop goes on', async () => {
    const { db } = await schema2History(1500)
    const home = tempFolder('home-')
    const cwd = tempFolder('project-')
    // A journal entry that is no record: the step that reaches it fails, and writes nothing.
    const root = open({ path: db, maxDbs: 32 })
    const journal = root.openDB({ name: 'activities', sharedStructuresKey: Symbol.for('structures') })
    await journal.put(['zz-damaged', '2026-03-09T00:00:00.000Z', 'x'], null)
    await root.close()
    expect(await runCli(['hook', 'claude-code', '--db', db, '--detached'], { home, input: stopEvent(home, 's1', cwd) })).toEqual({ code: 0, stdout: '', stderr: '' })
    const failed = await checks(db, home)
    expect(failed.get('Claude Code')).toMatchObject({ level: 'finding', detail: expect.stringMatching(/the search-index build that the end of a turn carries on \(Stop, \d{4}-[^)]*\) stopped: .*null.* — the next turn's end tries again; agent-tracker doctor --repair builds the indexes at once/) as unknown })
    expect(failed.get('Claude Code')?.detail).not.toContain('could not be recorded')
    expect(failed.get('Search')?.detail).toMatch(/^the search indexes are being built \(\d+%, \d+ of \d+ records\)/)
    const status = (jsonData((await runCli(['status', '--db', db, '--json'], { home })).stdout, 'status') as { setup: string; state: { messages: number } }[]).find((row) => row.setup === CLAUDE)
    expect(status?.state.messages).toBe(1)

    const mended = open({ path: db, maxDbs: 32 })
    await mended.openDB({ name: 'activities', sharedStructuresKey: Symbol.for('structures') }).remove(['zz-damaged', '2026-03-09T00:00:00.000Z', 'x'])
    await mended.close()
    expect(await runCli(['hook', 'claude-code', '--db', db, '--detached'], { home, input: stopEvent(home, 's2', cwd) })).toEqual({ code: 0, stdout: '', stderr: '' })
    const built = await checks(db, home)
    expect(built.get('Search')?.level).toBe('ok')
    expect(built.get('Claude Code')?.detail).not.toMatch(/could not be recorded|stopped/)
    await indexesHoldTheRecords(db)
  })
})
