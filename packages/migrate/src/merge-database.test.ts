import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import type { Fact, ProjectProfile } from '@agent-tracker/core'
import { COLLECTIONS, checkRollups } from '@agent-tracker/core'
import { searchEntryList } from '@agent-tracker/core/store'
import { createFactScript } from '@agent-tracker/core/testing'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { asSchema2, writeSchema1Database } from '@agent-tracker/lmdb-store/testing'
import { copyPredecessorProjectFiles } from '@agent-tracker/predecessor'
import { open } from 'lmdb'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { shopHistory, writeLegacyDatabase } from '../test/legacy-fixtures.js'
import { importLegacyFiles } from './import-legacy-files.js'
import { mergeDatabase } from './merge-database.js'

const SETUP = 'build@anthropic/claude-sonnet-4-5'

describe('mergeDatabase', () => {
  it('takes a migrated setup whose communication score is above its cap (as migrate keeps it) at the cap, which its next fact applies', async () => {
    const { folder, state } = await migratedDatabase('{"agent_name": "h1", "skill_points": 1, "communication_score": 150}', 'migrated.lmdb')
    expect(state).toMatchObject({ skillPoints: 1, communication: 150 })
    const here = openLmdbStore({ databasePath: join(folder, 'here.lmdb') })
    expect((await mergeDatabase(join(folder, 'migrated.lmdb'), here)).errors).toEqual([])
    expect((await here.get('setups', ['h1']))?.state).toMatchObject({ skillPoints: 1, communication: 100 })
    await here.close()
  })

  it('merges back a database that levelled up a migrated setup without applying the level-up twice', async () => {
    const { project, folder } = await migratedLaptop()
    const desktop = openLmdbStore({ databasePath: join(folder, 'desktop.lmdb') })
    expect((await mergeDatabase(join(folder, 'laptop.lmdb'), desktop)).errors).toEqual([])
    await desktop.applyFacts([createFactScript({ setup: 'h1', project, start: '2026-03-01T00:00:00.000Z' }).toolCall('bash', true)])
    const levelled = (await desktop.get('setups', ['h1']))?.state
    expect(levelled).toMatchObject({ skillPoints: 5, experience: 6.1, toolCalls: 1 })
    await desktop.close()
    // The tool call replayed on the laptop levels it up once, as it did there; merging either way again changes nothing.
    await expectMergedBack(folder, levelled)
  })

  it('leaves both machines with the same scores when a database that levelled up before it took in a migrated part is merged back', async () => {
    const { project, folder } = await migratedLaptop()
    const desktop = openLmdbStore({ databasePath: join(folder, 'desktop.lmdb') })
    // 100 tool calls first: 10 XP, a level-up to SP 2; then the laptop's migrated part (SP +3, XP +46).
    const s = createFactScript({ setup: 'h1', project, start: '2026-03-01T00:00:00.000Z' })
    await desktop.applyFacts(Array.from({ length: 100 }, () => s.toolCall('bash', true)))
    expect((await desktop.get('setups', ['h1']))?.state).toMatchObject({ skillPoints: 2, experience: 0 })
    expect((await mergeDatabase(join(folder, 'laptop.lmdb'), desktop)).errors).toEqual([])
    const there = (await desktop.get('setups', ['h1']))?.state
    expect(there).toMatchObject({ skillPoints: 5, experience: 46, toolCalls: 100 })
    await desktop.close()
    await expectMergedBack(folder, there)
  })

  it('merges a first release\'s database (schema 1) from an upgraded copy, leaving the file as that release wrote it, and its copies add nothing again', async () => {
    const folder = tempFolder()
    const s = createFactScript({ setup: 'old@x/y', project: '/p/old', start: '2026-10-01T10:00:00.000Z' })
    const source = join(folder, 's1.lmdb')
    const facts = [s.toolCall('bash', true), s.commit('c0ffee1', 'feat: a')]
    await writeSchema1Database(source, { facts })
    const copy = join(folder, 's1-copy.lmdb')
    writeFileSync(copy, readFileSync(source))
    const digest = (): string => createHash('sha256').update(readFileSync(source)).digest('hex')
    const before = digest()
    const here = openLmdbStore({ databasePath: join(folder, 'here.lmdb') })
    expect((await mergeDatabase(source, here)).errors).toEqual([])
    expect(digest()).toBe(before)
    const merged = (await here.get('setups', ['old@x/y']))?.state
    expect(merged).toMatchObject({ toolCalls: 1, commits: 1 })
    for (const again of [source, copy]) {
      expect((await mergeDatabase(again, here)).errors).toEqual([])
      expect([again, (await here.get('setups', ['old@x/y']))?.state]).toEqual([again, merged])
    }
    expect(digest()).toBe(before)
    // The first release went on using it: a setup more, and its old setup's scores come in once still.
    const grown = join(folder, 's1-grown.lmdb')
    const other = createFactScript({ setup: 'new@x/z', project: '/p/new', start: '2026-10-02T10:00:00.000Z' })
    await writeSchema1Database(grown, { facts: [...facts, other.toolCall('bash', true)] })
    expect((await mergeDatabase(grown, here)).errors).toEqual([])
    expect((await here.get('setups', ['old@x/y']))?.state).toEqual(merged)
    expect((await here.get('setups', ['new@x/z']))?.state).toMatchObject({ toolCalls: 1 })
    await here.close()
  })

  it('does not bring back a commit this database has since replaced by an amend, nor its review', async () => {
    const folder = tempFolder()
    const first = '1111111111111111111111111111111111111111'
    const amended = '2222222222222222222222222222222222222222'
    const s = createFactScript({ setup: SETUP, project: '/work/shop', start: '2026-11-28T23:59:00.000Z' })
    const made = [s.commit(first, 'feat: cart'), s.grade(first, { by: 'user', userGrade: 5 })]
    // A backup, or another machine, that recorded the commit before it was amended.
    const backup = openLmdbStore({ databasePath: join(folder, 'backup.lmdb') })
    await backup.applyFacts(made)
    await backup.close()
    const here = openLmdbStore({ databasePath: join(folder, 'here.lmdb') })
    await here.applyFacts([...made, s.amend(amended, first, 'feat: cart, linted')])
    const report = await mergeDatabase(join(folder, 'backup.lmdb'), here)
    expect(report).toMatchObject({ errors: [], facts: { applied: 0, repeats: 2 } })
    expect((await here.find('commits')).map((commit) => commit.hash)).toEqual([amended])
    expect((await here.find('retrospectives')).map((review) => [review.commit, review.userGrade])).toEqual([[amended, 5]])
    expect((await here.get('setups', [SETUP]))?.state).toMatchObject({ commits: 1 })
    expect((await checkRollups(here)).drift).toEqual([])
    await here.close()
  })

  it('merges a database of the release before the search indexes as it is, leaving its file unchanged', async () => {
    const folder = tempFolder()
    const source = join(folder, 'older.lmdb')
    const older = openLmdbStore({ databasePath: source })
    const s = createFactScript({ setup: SETUP, project: '/work/shop', start: '2026-01-01T00:00:00.000Z' })
    await older.applyFacts([s.commit('aaaa0001', 'stripe webhook retries'), s.grade('aaaa0001', { by: 'user', userGrade: 5 }), s.activity('retry the webhook')])
    await older.close()
    await asSchema2(source)
    const before = readFileSync(source)

    const here = openLmdbStore({ databasePath: join(folder, 'here.lmdb') })
    const report = await mergeDatabase(source, here)
    expect(report.errors).toEqual([])
    expect(report.facts).toMatchObject({ applied: 3 })
    expect(readFileSync(source).equals(before)).toBe(true)
    // Merged records are searchable here: their search entries were written with them.
    expect((await searchEntryList(here, 'activities')).map((entry) => entry.key()[0])).toEqual([SETUP])
    await here.close()
  })

  it('takes the union of two databases\' records, combines the scores of a setup in both, and never counts a part twice', async () => {
    const folder = tempFolder()
    const laptop = openLmdbStore({ databasePath: join(folder, 'laptop.lmdb') })
    const desktop = openLmdbStore({ databasePath: join(folder, 'desktop.lmdb') })
    const onLaptop = createFactScript({ setup: SETUP, project: '/work/shop', start: '2026-01-01T00:00:00.000Z' })
    await laptop.applyFacts([onLaptop.commit('aaaa0001'), onLaptop.bug('user', 'typo')])
    const onDesktop = createFactScript({ setup: SETUP, project: '/work/shop', start: '2026-01-02T00:00:00.000Z' })
    await desktop.applyFacts([onDesktop.commit('cccc0003'), onDesktop.grade('cccc0003', { by: 'user', userGrade: 5 })])
    const other = createFactScript({ setup: 'plan@openai/gpt-5', project: '/work/api', start: '2026-02-01T00:00:00.000Z' })
    await desktop.applyFacts([other.commit('bbbb0001'), other.grade('bbbb0001', { by: 'user', userGrade: 2 }), other.bug('user', 'oops')])
    // A record both have (the same legacy journal entry, migrated on each machine).
    const shared = { v: 1 as const, id: 'legacy-journal-x-2026-01-01-0900-1', setup: SETUP, project: '/work/shop', at: '2026-01-01T09:00:00.000Z', task: 'shared work', actions: '', outcome: '', decisions: '' }
    await laptop.importRecords({ activities: [shared] })
    await desktop.importRecords({ activities: [shared] })
    await desktop.close()

    const first = await mergeDatabase(join(folder, 'desktop.lmdb'), laptop)
    expect(first.errors).toEqual([])
    // Recomputed, not copied: the desktop's five facts are replayed here, and its setup needs no part beyond them.
    expect(first.facts).toEqual({ applied: 5, repeats: 0, withoutEffect: 0 })
    // The setup both had is named with its scores before and after; the desktop's own is not.
    expect(first.combined).toEqual([{ id: SETUP, before: expect.objectContaining({ commits: 1, bugs: 1 }) as unknown, after: expect.objectContaining({ commits: 2, bugs: 1, userGrades: { count: 1, sum: 5 } }) as unknown }])
    // The merge's record says the same.
    expect((await laptop.listMigrations()).find((record) => record.kind === 'merge')?.combinedSetups).toEqual([SETUP])
    expect(await laptop.find('commits')).toHaveLength(3)
    // The day rollups the merge brought across add up to the records and facts behind them.
    expect((await checkRollups(laptop)).drift).toEqual([])
    expect(await laptop.find('activities')).toHaveLength(1)
    expect((await laptop.get('setups', [SETUP]))?.state).toMatchObject({ commits: 2, bugs: 1, userGrades: { count: 1, sum: 5 } })
    expect(await laptop.get('setups', ['plan@openai/gpt-5'])).toMatchObject({ state: { commits: 1, bugs: 1 } })

    const snapshot = await Promise.all(COLLECTIONS.map((c) => laptop.find(c)))
    const again = await mergeDatabase(join(folder, 'desktop.lmdb'), laptop)
    expect(again).toMatchObject({ migrated: 0, errors: [], facts: { applied: 0, repeats: 5 } })
    // Nothing new for any setup: nothing combined.
    expect(again.combined).toBeUndefined()
    expect(await Promise.all(COLLECTIONS.map((c) => laptop.find(c)))).toEqual(snapshot)
    expect(await laptop.listMigrations()).toEqual([expect.objectContaining({ kind: 'merge', migrated: first.migrated })])
    await laptop.close()

    // Merging back: the desktop gets the laptop's own commit, not its own one again.
    const back = openLmdbStore({ databasePath: join(folder, 'desktop.lmdb') })
    await mergeDatabase(join(folder, 'laptop.lmdb'), back)
    expect((await back.get('setups', [SETUP]))?.state).toMatchObject({ commits: 2, bugs: 1, userGrades: { count: 1, sum: 5 } })
    expect(await back.find('commits')).toHaveLength(3)
    await back.close()
  })

  it("brings in nothing of a grade that has no effect here: its grade event is not copied, so the rollups count what the scores count", async () => {
    const folder = tempFolder()
    // Two clones of one repository: the same commit, graded in each.
    const here = openLmdbStore({ databasePath: join(folder, 'here.lmdb') })
    const there = openLmdbStore({ databasePath: join(folder, 'there.lmdb') })
    const inOne = createFactScript({ setup: SETUP, project: '/work/one/shop', start: '2026-01-01T10:00:00.000Z' })
    await here.applyFacts([inOne.commit('abcd1234'), inOne.grade('abcd1234', { by: 'user', userGrade: 5, agentGrade: 2 })])
    const inTwo = createFactScript({ setup: SETUP, project: '/work/two/shop', start: '2026-01-01T10:00:00.000Z' })
    await there.applyFacts([inTwo.commit('abcd1234'), inTwo.grade('abcd1234', { by: 'user', userGrade: 2, agentGrade: 2 }), inTwo.bug('user', 'broke it'), inTwo.activity('tidy up')])
    await there.close()

    const report = await mergeDatabase(join(folder, 'there.lmdb'), here)
    expect(report.errors).toEqual([])
    expect(report.facts).toEqual({ applied: 3, repeats: 0, withoutEffect: 1 })
    // The commit, the bug and the activity came with their facts; the grade was refused, and its record with it.
    expect(await here.find('gradeEvents')).toEqual([expect.objectContaining({ project: '/work/one/shop', userGrade: 5 })])
    expect(await here.find('bugs')).toHaveLength(1)
    expect(await here.find('activities')).toHaveLength(1)
    const state = (await here.get('setups', [SETUP]))?.state
    const rollups = await here.find('usage')
    const counted = rollups.reduce((sum, rollup) => sum + rollup.grades.user.count, 0)
    const moved = rollups.reduce((sum, rollup) => sum + rollup.grades.communication, 0)
    expect(state?.userGrades).toEqual({ count: 1, sum: 5 })
    expect(counted).toBe(1)
    expect(moved).toBeCloseTo((state?.communication ?? 0) - here.rules.initial.communication, 9)
    expect((await checkRollups(here)).drift).toEqual([])
    await here.close()
  })

  it("brings the other database's project profiles: a project new here comes with its profile, one here without a profile gets it, one here with a profile keeps its own", async () => {
    const folder = tempFolder()
    const here = openLmdbStore({ databasePath: join(folder, 'here.lmdb') })
    const there = openLmdbStore({ databasePath: join(folder, 'there.lmdb') })
    const profile = (language: string, framework: string): ProjectProfile => ({ language, framework, scope: 'web-app', dependencies: [framework], sources: ['package.json'], fingerprint: `${language}-${framework}`, profiledAt: '2026-01-05T00:00:00.000Z' })
    const work = (project: string, hash: string): Fact => createFactScript({ setup: SETUP, project, start: '2026-01-01T00:00:00.000Z' }).commit(hash)
    // Both have worked in /work/shared and /work/mine; only the other database in /work/theirs.
    await here.applyFacts([work('/work/shared', 'aaaa0001'), work('/work/mine', 'aaaa0002')])
    await here.saveProjectProfile('/work/mine', profile('python', 'django'))
    await there.applyFacts([work('/work/shared', 'bbbb0001'), work('/work/mine', 'bbbb0002'), work('/work/theirs', 'bbbb0003')])
    await there.saveProjectProfile('/work/shared', profile('typescript', 'react'))
    await there.saveProjectProfile('/work/mine', profile('rust', 'axum'))
    await there.saveProjectProfile('/work/theirs', profile('go', 'gin'))
    await there.close()

    const report = await mergeDatabase(join(folder, 'there.lmdb'), here)
    expect(report.errors).toEqual([])
    expect(report.profiles).toBe(2)
    const profiles = Object.fromEntries((await here.find('projects')).map((project) => [project.path, project.profile?.framework]))
    expect(profiles).toEqual({ '/work/shared': 'react', '/work/mine': 'django', '/work/theirs': 'gin' })
    // Merging again finds every project profiled already.
    expect((await mergeDatabase(join(folder, 'there.lmdb'), here)).profiles).toBe(0)
    await here.close()
  })

  it('reports an unreadable other database and changes nothing', async () => {
    const folder = tempFolder()
    writeFileSync(join(folder, 'junk.lmdb'), 'not a database')
    const target = openLmdbStore({ databasePath: ':memory:' })
    const report = await mergeDatabase(join(folder, 'junk.lmdb'), target)
    expect(report).toMatchObject({ migrated: 0, skipped: 0, errors: [{ source: join(folder, 'junk.lmdb'), message: expect.stringContaining('is unreadable: it is a text file, not an agent-tracker database') as unknown }] })
    expect(await target.find('setups')).toEqual([])
    await target.close()
  })

  it('reports a missing other database', async () => {
    const target = openLmdbStore({ databasePath: ':memory:' })
    const missing = join(tempFolder(), 'nowhere.lmdb')
    expect((await mergeDatabase(missing, target)).errors[0]?.message).toBe(`There is no agent-tracker database at ${missing}.`)
    await target.close()
  })

  it('says that a legacy per-project database is one, and that migrate is for those', async () => {
    const project = tempFolder()
    const legacy = await writeLegacyDatabase(project, shopHistory(project))
    const target = openLmdbStore({ databasePath: ':memory:' })
    const report = await mergeDatabase(legacy, target)
    expect(report).toMatchObject({ migrated: 0, skipped: 0, errors: [{
      source: legacy,
      message: `${legacy} is a per-project database of agent-tracker's predecessor, opencode-agent-tracker (agent:, commit: and communication: keys). merge is for agent-tracker databases from other machines; bring this one in with \`agent-tracker migrate <project folder>\`.`,
    }] })
    expect(await target.find('commits')).toEqual([])
    expect(await target.listMigrations()).toEqual([])
    await target.close()
  })

  it('says that an LMDB database of some other program is not an agent-tracker database', async () => {
    const other = join(tempFolder(), 'other.lmdb')
    const root = open({ path: other })
    await root.put('hello', 'world')
    await root.close()
    const target = openLmdbStore({ databasePath: ':memory:' })
    expect((await mergeDatabase(other, target)).errors).toEqual([{ source: other, message: `${other} is an LMDB database of another program, not an agent-tracker database, so there is nothing to merge from it.` }])
    await target.close()
  })
})

describe('mergeDatabase of databases that migrated the same legacy files', () => {
  it('recognises the same journal read in two time zones as the same entries, and counts its scores once', async () => {
    const project = tempFolder()
    copyPredecessorProjectFiles(project)
    const folder = tempFolder()
    const stockholm = openLmdbStore({ databasePath: join(folder, 'stockholm.lmdb') })
    const newYork = openLmdbStore({ databasePath: join(folder, 'new-york.lmdb') })
    expect((await importLegacyFiles(project, stockholm, { timeZone: 'Europe/Stockholm' })).errors).toEqual([])
    expect((await importLegacyFiles(project, newYork, { timeZone: 'America/New_York' })).errors).toEqual([])
    await newYork.close()
    const before = await stockholm.get('setups', ['AgentTracker-Core'])
    const report = await mergeDatabase(join(folder, 'new-york.lmdb'), stockholm)
    expect(report).toMatchObject({ migrated: 0, errors: [] })
    expect(await stockholm.find('gradeEvents')).toHaveLength(13)
    expect(await stockholm.find('activities')).toHaveLength(22)
    expect(await stockholm.get('setups', ['AgentTracker-Core'])).toEqual(before)
    await stockholm.close()
  })

  it('finishes a merge stopped partway when run again, its scores then agreeing with its records, as a whole merge leaves them', async () => {
    const project = tempFolder()
    copyPredecessorProjectFiles(project)
    const folder = tempFolder()
    const source = openLmdbStore({ databasePath: join(folder, 'source.lmdb') })
    expect((await importLegacyFiles(project, source, { timeZone: 'UTC' })).errors).toEqual([])
    await source.applyFacts([createFactScript({ setup: SETUP, project: '/work/shop', start: '2026-11-28T10:00:00.000Z' }).commit('aaaa0001', 'feat: a')])
    await source.close()
    const whole = openLmdbStore({ databasePath: join(folder, 'whole.lmdb') })
    expect((await mergeDatabase(join(folder, 'source.lmdb'), whole)).errors).toEqual([])
    const expected = await whole.find('setups')
    // Stopped at each step in turn (a kill, a full disk), then run again.
    for (let stopAt = 1; stopAt <= 6; stopAt++) {
      const here = openLmdbStore({ databasePath: join(folder, `stopped-${String(stopAt)}.lmdb`) })
      let steps = 0
      const stopped = await mergeDatabase(join(folder, 'source.lmdb'), here, { chunkSize: 5, onProgress: () => {
        if (++steps === stopAt) throw new Error('stopped')
      } })
      expect(stopped.errors.map((error) => error.message)).toEqual([expect.stringMatching(/stopped/)])
      expect((await mergeDatabase(join(folder, 'source.lmdb'), here)).errors).toEqual([])
      expect([stopAt, (await checkRollups(here)).scores.drift]).toEqual([stopAt, []])
      expect([stopAt, (await here.find('setups')).map((setup) => [setup.id, setup.state])]).toEqual([stopAt, expected.map((setup) => [setup.id, setup.state])])
      await here.close()
    }
    await whole.close()
  })
})

/** A database (`name` in a new folder) holding setup h1 migrated from a project's `.agent/status.json` of `status`, and h1's state there. */
async function migratedDatabase(status: string, name: string): Promise<{ project: string; folder: string; state: unknown }> {
  const project = tempFolder()
  mkdirSync(join(project, '.agent'))
  writeFileSync(join(project, '.agent', 'status.json'), status)
  const folder = tempFolder()
  const migrated = openLmdbStore({ databasePath: join(folder, name) })
  expect((await importLegacyFiles(project, migrated, { timeZone: 'UTC' })).errors).toEqual([])
  const state = (await migrated.get('setups', ['h1']))?.state
  await migrated.close()
  return { project, folder, state }
}

/** A laptop's database holding setup h1 migrated from a status file past its level-up threshold (10 × SP = 40), as migrate keeps it: its next fact levels it up. */
async function migratedLaptop(): Promise<{ project: string; folder: string }> {
  return migratedDatabase('{"agent_name": "h1", "skill_points": 4, "experience_points": 46}', 'laptop.lmdb')
}

/** Merges the desktop's database back into the laptop's, then each into the other again: h1 holds `state` in both, and the second merges combine nothing. */
async function expectMergedBack(folder: string, state: unknown): Promise<void> {
  const laptop = openLmdbStore({ databasePath: join(folder, 'laptop.lmdb') })
  expect((await mergeDatabase(join(folder, 'desktop.lmdb'), laptop)).errors).toEqual([])
  expect((await laptop.get('setups', ['h1']))?.state).toEqual(state)
  expect((await mergeDatabase(join(folder, 'desktop.lmdb'), laptop)).combined).toBeUndefined()
  await laptop.close()
  const desktop = openLmdbStore({ databasePath: join(folder, 'desktop.lmdb') })
  expect((await mergeDatabase(join(folder, 'laptop.lmdb'), desktop)).combined).toBeUndefined()
  expect((await desktop.get('setups', ['h1']))?.state).toEqual(state)
  await desktop.close()
}
