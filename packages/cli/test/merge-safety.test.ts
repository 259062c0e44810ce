import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { IMPOSSIBLE, writeHostileRecords } from '@agent-tracker/core/testing'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { describe, expect, it } from 'vitest'
import { envelope, factLine, jsonData, jsonError, runCli, tempFolder } from './run-cli.js'
import { SONNET, seedHistory } from './seed.js'

/** Every record, as `export` gives them. */
async function collections(db: string): Promise<unknown> {
  return (JSON.parse((await runCli(['export', '--format', 'json', '--db', db])).stdout) as { collections: unknown }).collections
}

/** Every read command, with the arguments it needs: none may fail after a merge. */
function readCommands(db: string, root: string): string[][] {
  return [
    ['status', SONNET], ['agents'], ['report'], ['recommend', root], ['search', 'change'], ['history', SONNET], ['projects'], ['activity'], ['retro'],
    ['export', '--format', 'json'], ['export', '--format', 'csv'], ['export', '--format', 'jsonl'], ['export', '--format', 'html', '--out', join(root, 'report.html')],
  ].map((args) => [...args, '--db', db])
}

describe('a database never written over or merged into itself', () => {
  it('refuses export --out onto the database or its lock file, and merging it into itself by another name, changing nothing', async () => {
    const { db, root } = await seedHistory()
    const before = await collections(db)
    for (const [format, out] of [['json', db], ['csv', db], ['html', `${db}-lock`], ['jsonl', join(root, 'x', '..', 'tracker.lmdb')]] as const) {
      const refused = await runCli(['export', '--format', format, '--out', out, '--db', db, '--json'])
      expect(refused.code).toBe(2)
      expect(jsonError(refused.stdout)).toMatchObject({ code: 'OUT_IS_DATABASE', message: expect.stringContaining('writing there would destroy it') as unknown })
    }
    const link = join(root, 'link.lmdb')
    symlinkSync(db, link)
    const merged = await runCli(['merge', link, '--db', db, '--json'])
    expect(merged.code).toBe(2)
    expect(jsonError(merged.stdout)).toMatchObject({ code: 'SAME_DATABASE' })
    expect(existsSync(`${db}.undo`)).toBe(false)
    expect(await collections(db)).toEqual(before)
  })
})

describe('merge from a hostile database', () => {
  it('reports and skips every impossible value, and every command still works', async () => {
    const { db, root } = await seedHistory()
    const hostile = join(tempFolder(), 'hostile.lmdb')
    const source = openLmdbStore({ databasePath: hostile })
    await writeHostileRecords(source)
    await source.close()
    const merged = await runCli(['merge', hostile, '--db', db])
    expect(merged.code).toBe(1)
    expect(merged.stdout).toContain('refused (nothing from them was stored):')
    expect(merged.stdout).toContain(`setups ${IMPOSSIBLE.skillPoints}: Invalid setups record: field "state.skillPoints" is 1000000000`)
    for (const args of readCommands(db, root)) {
      const run = await runCli(args, { cwd: root })
      expect(run.code, `${args.join(' ')}: ${run.stderr}${run.stdout}`).toBe(0)
    }
    const agents = jsonData((await runCli(['agents', '--db', db, '--json'])).stdout, 'agents') as { status: { setup: string } }[]
    expect(agents.map((row) => row.status.setup).filter((setup) => setup.startsWith('evil@'))).toEqual([])
    const report = (await runCli(['report', '--db', db])).stdout
    expect(report).not.toMatch(/e\+1\d|1000000000000/)
    // The check reads it all, and names the one thing that does not add up: the legacy commit no
    // fact backs came across, but the other database's scores never counted it.
    const checked = await runCli(['doctor', '--check', '--db', db], { cwd: root })
    expect(checked.code, checked.stderr).toBe(1)
    expect(checked.stdout).toMatch(/✓ Rollups .*: no drift\n/)
    expect(checked.stdout).toMatch(new RegExp(`✗ Scores .*: 1 number\\(s\\) differ\n    ${SONNET.replaceAll('.', '\\.')} commits: scores say (\\d+), records and facts (\\d+)\n`))
  })
})

describe('merge --dry-run and --undo', () => {
  it('says what a merge would do and changes nothing', async () => {
    const { db } = await seedHistory()
    const other = join(tempFolder(), 'other.lmdb')
    await runCli(['ingest', '--db', other], { input: factLine({ kind: 'commit', setup: 'review@x/y', project: '/w/z', hash: 'beef0001', message: 'm' }) })
    const before = await collections(db)
    const dry = await runCli(['merge', other, '--db', db, '--dry-run'])
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain('Dry run, nothing was changed. Merging')
    // Only facts: no "add 0 records" that reads as if nothing would come.
    expect(dry.stdout).toContain(`would apply 1 fact (0 already here).\n`)
    expect(await collections(db)).toEqual(before)
    expect(existsSync(`${db}.undo`)).toBe(false)
  })

  it('makes no database when the one merged into is not there yet', async () => {
    const other = join(tempFolder(), 'other.lmdb')
    await runCli(['ingest', '--db', other], { input: factLine({ kind: 'commit', setup: 'review@x/y', project: '/w/z', hash: 'beef0001', message: 'm' }) })
    const folder = tempFolder()
    const typo = join(folder, 'typo.lmdb')
    const dry = await runCli(['merge', other, '--db', typo, '--dry-run'])
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain(`Dry run, nothing was changed. Merging ${other} would apply 1 fact (0 already here).\nThere is no database at ${typo} yet: the merge would make it.\n`)
    const json = await runCli(['merge', other, '--db', typo, '--dry-run', '--json'])
    expect(jsonData(json.stdout, 'merge')).toMatchObject({ dryRun: true, facts: { applied: 1, repeats: 0 } })
    expect(readdirSync(folder)).toEqual([])
  })

  it('names each setup in both databases that it changed, with its counts before and after (text and JSON)', async () => {
    const { db } = await seedHistory()
    const other = join(tempFolder(), 'other.lmdb')
    await runCli(['ingest', '--db', other], { input: [
      factLine({ kind: 'commit', setup: SONNET, project: '/w/z', hash: 'beef0001', message: 'm' }),
      factLine({ kind: 'commit', setup: 'review@x/y', project: '/w/z', hash: 'beef0002', message: 'm' }),
    ].join('\n') })
    const commitsOf = async (setup: string): Promise<number> => (jsonData((await runCli(['status', setup, '--db', db, '--json'])).stdout, 'status') as { state: { commits: number } }).state.commits
    const before = await commitsOf(SONNET)
    const dry = await runCli(['merge', other, '--db', db, '--dry-run', '--json'])
    expect((jsonData(dry.stdout, 'merge') as { combined?: unknown }).combined).toEqual([{ id: SONNET, before: expect.objectContaining({ commits: before }) as unknown, after: expect.objectContaining({ commits: before + 1 }) as unknown }])
    const merged = await runCli(['merge', other, '--db', db])
    expect(merged.code).toBe(0)
    expect(merged.stdout).toContain(`Merged ${other}: 2 facts applied (0 already here).\n`)
    // The setup only the other database had is added, not combined.
    expect(merged.stdout).toContain(`1 setup was in both databases; its scores here changed (before → after):\n  ${SONNET}: commits ${String(before)} → ${String(before + 1)}`)
    expect(merged.stdout).not.toContain('review@x/y:')
    expect(await commitsOf(SONNET)).toBe(before + 1)
  })

  it('refuses a source that is no agent-tracker database before it takes an undo point', async () => {
    const { db, root } = await seedHistory()
    const before = await collections(db)
    const text = join(root, 'notes.txt')
    writeFileSync(text, 'not a database')
    for (const [source, says] of [[join(root, 'missing.lmdb'), 'There is no agent-tracker database at'], [text, 'is unreadable: it is a text file, not an agent-tracker database']] as const) {
      for (const extra of [[], ['--dry-run']]) {
        const refused = await runCli(['merge', source, '--db', db, ...extra])
        expect(refused.code).toBe(1)
        expect(refused.stdout).toBe('')
        expect(refused.stderr).toContain(says)
        expect(refused.stderr).toContain('Nothing was merged.')
      }
    }
    expect(await collections(db)).toEqual(before)
    expect(existsSync(`${db}.undo`)).toBe(false)
  })

  it('undoes a merge, and refuses to when facts were recorded after it unless forced', async () => {
    const { db } = await seedHistory()
    const other = join(tempFolder(), 'other.lmdb')
    await runCli(['ingest', '--db', other], { input: factLine({ kind: 'commit', setup: 'review@x/y', project: '/w/z', hash: 'beef0001', message: 'm' }) })
    const before = await collections(db)
    const merged = jsonData((await runCli(['merge', other, '--db', db, '--json'])).stdout, 'merge') as { undo: string }
    expect((await runCli(['status', 'review@x/y', '--db', db])).code).toBe(0)
    const undone = await runCli(['merge', '--undo', merged.undo, '--db', db])
    expect(undone.stdout).toContain(`Undid merge ${merged.undo}`)
    expect(await collections(db)).toEqual(before)
    expect((await runCli(['merge', '--undo', merged.undo, '--db', db])).stderr).toContain(`No merge ${merged.undo} to undo`)

    const again = jsonData((await runCli(['merge', other, '--db', db, '--json'])).stdout, 'merge') as { undo: string }
    await runCli(['ingest', '--db', db], { input: factLine({ kind: 'tool_call', setup: SONNET, project: '/w/later', tool: 'bash', ok: true }) })
    const refused = await runCli(['merge', '--undo', again.undo, '--db', db])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('1 fact was recorded after merge')
    expect((await runCli(['merge', '--undo', again.undo, '--db', db, '--force'])).code).toBe(0)
    expect(await collections(db)).toEqual(before)
  })
})

describe('merge --undo --dry-run', () => {
  /** A seeded database with one merge of a database of `facts` new facts into it, and that merge's undo id. */
  async function merged(facts = 1): Promise<{ db: string; other: string; undo: string }> {
    const { db } = await seedHistory()
    const other = join(tempFolder(), 'other.lmdb')
    await runCli(['ingest', '--db', other], { input: Array.from({ length: facts }, (_, n) => factLine({ kind: 'commit', setup: 'review@x/y', project: '/w/z', hash: `beef000${String(n)}`, message: 'm' })).join('\n') })
    const { undo } = jsonData((await runCli(['merge', other, '--db', db, '--json'])).stdout, 'merge') as { undo: string }
    return { db, other, undo }
  }

  it('says what the undo would take away, and changes nothing (text and JSON)', async () => {
    const { db, other, undo } = await merged(2)
    const before = await collections(db)
    const dry = await runCli(['merge', '--undo', undo, '--dry-run', '--db', db])
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout).toBe(`Dry run, nothing was changed. Undoing merge ${undo} of ${other} would put ${db} back as it was before it: the 2 facts it applied, and every record it added, would go.\n`)
    const json = await runCli(['merge', '--undo', undo, '--dry-run', '--db', db, '--json'])
    expect(jsonData(json.stdout, 'merge')).toEqual({ dryRun: true, undo, source: other, facts: 2, wouldUndo: true, removedUndoPoints: [] })
    expect(await collections(db)).toEqual(before)
    // The undo point is still there: the undo itself runs after its dry run.
    expect((await runCli(['merge', '--undo', undo, '--db', db])).code).toBe(0)
  })

  it('says when facts recorded since would be lost, and that --force is needed, keeping them', async () => {
    const { db, undo } = await merged()
    await runCli(['ingest', '--db', db], { input: factLine({ kind: 'tool_call', setup: SONNET, project: '/w/later', tool: 'bash', ok: true }) })
    const later = await collections(db)
    const refused = await runCli(['merge', '--undo', undo, '--dry-run', '--db', db, '--json'])
    expect(refused.code).toBe(1)
    expect(jsonData(refused.stdout, 'merge')).toMatchObject({ dryRun: true, wouldUndo: false, refusal: { code: 'WRITTEN_SINCE', message: `1 fact was recorded after merge ${undo}; undoing it would lose them too.` } })
    const text = await runCli(['merge', '--undo', undo, '--dry-run', '--db', db])
    expect(text.stdout).toContain(`would be refused: 1 fact was recorded after merge ${undo}; undoing it would lose them too. Run it with --force to undo anyway.`)
    const forced = await runCli(['merge', '--undo', undo, '--dry-run', '--force', '--db', db])
    expect(forced.code).toBe(0)
    expect(forced.stdout).toContain('the 1 fact it applied, and every record it added, would go.\n')
    expect(forced.stdout).toContain(`With --force it would undo it anyway: 1 fact was recorded after merge ${undo}; undoing it would lose them too.`)
    expect(await collections(db)).toEqual(later)
  })

  it('names the later undo points it would remove, and removes none', async () => {
    const { db, other, undo } = await merged()
    const second = jsonData((await runCli(['merge', other, '--db', db, '--json'])).stdout, 'merge') as { undo: string }
    const dry = await runCli(['merge', '--undo', undo, '--dry-run', '--db', db, '--json'])
    expect(jsonData(dry.stdout, 'merge')).toMatchObject({ wouldUndo: true, facts: 1, removedUndoPoints: [second.undo] })
    expect(readdirSync(`${db}.undo`).sort()).toEqual([undo, second.undo].sort())
  })

  it("counts the merge's facts of an undo point of an earlier release from its backup, writing nothing beside it", async () => {
    const { db, undo } = await merged(3)
    const manifest = join(`${db}.undo`, undo, 'undo.json')
    const { factSeqBefore, ...earlier } = JSON.parse(readFileSync(manifest, 'utf8')) as { factSeqBefore: number }
    expect(factSeqBefore).toBeGreaterThan(0)
    writeFileSync(manifest, JSON.stringify(earlier))
    const dry = await runCli(['merge', '--undo', undo, '--dry-run', '--db', db, '--json'])
    expect(jsonData(dry.stdout, 'merge')).toMatchObject({ facts: 3 })
    expect(readdirSync(join(`${db}.undo`, undo)).sort()).toEqual(['before.lmdb', 'undo.json'])
  })

  it('makes no database where there is none', async () => {
    const folder = tempFolder()
    const refused = await runCli(['merge', '--undo', 'merge-1', '--dry-run', '--db', join(folder, 'none.lmdb')])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('so there is no merge to undo there; nothing was created')
    expect(readdirSync(folder)).toEqual([])
  })

  it('says when the team database could not be asked whether the merge was synced, and still undoes', async () => {
    const { db, undo } = await merged()
    const env = { AGENT_TRACKER_TEAM_URL: 'postgres://nobody@127.0.0.1:1/tracker' }
    const dry = await runCli(['merge', '--undo', undo, '--dry-run', '--db', db, '--json'], { env })
    expect(dry.code).toBe(0)
    expect(envelope(dry.stdout).notices).toEqual([{ code: 'TEAM_NOT_ASKED', message: expect.stringMatching(/^Could not ask the team database postgres:\/\/nobody@127\.0\.0\.1:1\/tracker whether facts of this merge were synced to it: .*ECONNREFUSED.* Any it was sent would stay counted there/) as unknown }])
    const undone = await runCli(['merge', '--undo', undo, '--db', db], { env })
    expect(undone.code).toBe(0)
    expect(undone.stderr).toContain('Any it was sent stay counted there')
    expect(undone.stdout).toContain(`Undid merge ${undo}`)
  })
})

describe('merge options that do not go together', () => {
  it('refuses a database to merge from beside --undo, and --force without --undo, changing nothing', async () => {
    const { db } = await seedHistory()
    const other = join(tempFolder(), 'other.lmdb')
    await runCli(['ingest', '--db', other], { input: factLine({ kind: 'commit', setup: 'review@x/y', project: '/w/z', hash: 'beef0001', message: 'm' }) })
    const merged = jsonData((await runCli(['merge', other, '--db', db, '--json'])).stdout, 'merge') as { undo: string }
    const after = await collections(db)
    const both = await runCli(['merge', other, '--undo', merged.undo, '--db', db, '--json'])
    expect(both.code).toBe(2)
    expect(jsonError(both.stdout)).toMatchObject({ code: 'USAGE', message: expect.stringContaining(`merge --undo ${merged.undo} takes no database to merge from, and ${other} was given too`) as unknown })
    const forced = await runCli(['merge', other, '--force', '--db', db, '--json'])
    expect(forced.code).toBe(2)
    expect(jsonError(forced.stdout)).toMatchObject({ code: 'USAGE', message: expect.stringContaining('--force goes only with --undo <id>') as unknown })
    // Neither undid the merge nor merged again.
    expect(await collections(db)).toEqual(after)
    expect((await runCli(['merge', '--undo', merged.undo, '--db', db])).code).toBe(0)
  })
})

describe('merge --undo of an undo point the database has moved past', () => {
  it('removes the later undo points when an earlier merge is undone, and refuses a point whose database was put back and written again', async () => {
    const { db } = await seedHistory()
    const other = join(tempFolder(), 'other.lmdb')
    await runCli(['ingest', '--db', other], { input: [1, 2, 3].map((n) => factLine({ kind: 'commit', setup: 'review@x/y', project: '/w/z', hash: `beef000${String(n)}`, message: 'm' })).join('\n') })
    const before = await collections(db)
    const first = jsonData((await runCli(['merge', other, '--db', db, '--json'])).stdout, 'merge') as { undo: string }
    const second = jsonData((await runCli(['merge', other, '--db', db, '--json'])).stdout, 'merge') as { undo: string; facts: { applied: number } }
    expect(second.facts.applied).toBe(0)
    const undone = await runCli(['merge', '--undo', first.undo, '--db', db, '--json'])
    expect(jsonData(undone.stdout, 'merge')).toMatchObject({ undone: first.undo, removedUndoPoints: [second.undo] })
    expect(await collections(db)).toEqual(before)
    // The second merge's point held the first merge: it is gone, so it cannot bring that merge back.
    const stale = await runCli(['merge', '--undo', second.undo, '--db', db])
    expect(stale.code).toBe(2)
    expect(stale.stderr).toContain(`No merge ${second.undo} to undo`)
    expect(await collections(db)).toEqual(before)
  })

  it('refuses an undo point whose database was put back by other means and written up to the same length again', async () => {
    const { db } = await seedHistory()
    const other = join(tempFolder(), 'other.lmdb')
    await runCli(['ingest', '--db', other], { input: factLine({ kind: 'commit', setup: 'review@x/y', project: '/w/z', hash: 'beef0001', message: 'm' }) })
    const copy = join(tempFolder(), 'before.lmdb')
    const store = openLmdbStore({ databasePath: db })
    await store.backup(copy)
    await store.close()
    const merged = jsonData((await runCli(['merge', other, '--db', db, '--json'])).stdout, 'merge') as { undo: string; facts: { applied: number } }
    expect(merged.facts.applied).toBe(1)
    // The database put back as it was before the merge (a restore of a backup), then one new fact: the log is as long as the merge left it.
    rmSync(db, { recursive: true, force: true })
    rmSync(`${db}-lock`, { force: true })
    const restored = openLmdbStore({ databasePath: copy })
    await restored.backup(db)
    await restored.close()
    await runCli(['ingest', '--db', db], { input: factLine({ kind: 'tool_call', setup: SONNET, project: '/w/later', tool: 'bash', ok: true }) })
    const later = await collections(db)
    const refused = await runCli(['merge', '--undo', merged.undo, '--db', db, '--json'])
    expect(refused.code).toBe(1)
    expect(jsonError(refused.stdout)).toMatchObject({ code: 'REPLACED_SINCE', message: expect.stringContaining('is not the one merge') as unknown })
    expect(await collections(db)).toEqual(later)
  })
})

describe('merge and project profiles', () => {
  it("brings the other database's project profiles, so recommend weighs the work there; --undo takes them back", async () => {
    const root = tempFolder('merge-profiles-')
    const reactApp = (folder: string): string => {
      mkdirSync(folder)
      writeFileSync(join(folder, 'package.json'), JSON.stringify({ dependencies: { react: '19', zod: '4' }, devDependencies: { typescript: '5' } }))
      return folder
    }
    // A teammate's graded work in a project folder only their machine has.
    const shop = reactApp(join(root, 'teammate-shop'))
    const theirs = join(root, 'theirs.lmdb')
    const lines = [0, 1, 2].flatMap((i) => [
      factLine({ kind: 'commit', setup: SONNET, project: shop, hash: `aa${String(i)}0c0ffee`, message: `change ${String(i)}` }),
      factLine({ kind: 'grade', setup: SONNET, project: shop, commit: `aa${String(i)}0c0ffee`, by: 'user', userGrade: 'excellence' }),
    ])
    expect((await runCli(['ingest', '--trust', '--db', theirs], { input: lines.join('\n') })).code).toBe(0)
    expect((await runCli(['projects', '--refresh', '--db', theirs])).code).toBe(0)
    rmSync(shop, { recursive: true })
    const mine = join(root, 'mine.lmdb')
    expect((await runCli(['ingest', '--db', mine], { input: factLine({ kind: 'commit', setup: SONNET, project: '/w/elsewhere', hash: 'beef0001', message: 'm' }) })).code).toBe(0)

    const merged = await runCli(['merge', theirs, '--db', mine, '--json'])
    expect(merged.code).toBe(0)
    const report = jsonData(merged.stdout, 'merge') as { undo: string; profiles: number }
    const next = reactApp(join(root, 'next-app'))
    const recommended = jsonData((await runCli(['recommend', next, '--db', mine, '--json'])).stdout, 'recommend') as { similarProjects: { path: string }[]; unprofiledProjects: string[]; setups: { setup: string; samples: number }[] }
    expect(recommended.unprofiledProjects).not.toContain(shop)
    expect(recommended.similarProjects.map((project) => project.path)).toContain(shop)
    expect(recommended.setups.find((setup) => setup.setup === SONNET)?.samples).toBe(3)
    expect(report.profiles).toBe(1)

    expect((await runCli(['merge', '--undo', report.undo, '--db', mine])).code).toBe(0)
    const projects = jsonData((await runCli(['projects', '--db', mine, '--json'])).stdout, 'projects') as { projects: { path: string }[] }
    expect(projects.projects.map((project) => project.path)).toEqual(['/w/elsewhere'])
  })
})

describe('merge and a commit amended in one of the two databases', () => {
  const first = '1111111111111111111111111111111111111111'
  const amended = '2222222222222222222222222222222222222222'
  const where = { setup: SONNET, project: '/w/shop' }
  const commit = (at: string): string => factLine({ ...where, kind: 'commit', hash: first, message: 'Add cart', at })
  const grade = factLine({ ...where, kind: 'grade', commit: first, by: 'user', userGrade: 5, at: '2026-11-28T10:05:00Z' })
  const amend = factLine({ ...where, kind: 'commit', hash: amended, message: 'Add cart 2', amends: first, at: '2026-11-28T10:10:00Z' })

  type Records = { commits: { hash: string }[]; retrospectives: { commit: string; userGrade?: number }[]; gradeEvents: { commit: string }[] }
  /** Two databases: A made the commit and graded it; B recorded the same commit (by `commitAt`) and amended it. */
  async function twoMachines(commitAt: string): Promise<{ a: string; b: string }> {
    const a = join(tempFolder(), 'a.lmdb')
    const b = join(tempFolder(), 'b.lmdb')
    expect((await runCli(['ingest', '--db', a, '--trust'], { input: [commit('2026-11-28T10:00:00Z'), grade].join('\n') })).code).toBe(0)
    expect((await runCli(['ingest', '--db', b], { input: [commit(commitAt), amend].join('\n') })).code).toBe(0)
    return { a, b }
  }
  async function expectGradedOnce(db: string): Promise<void> {
    const records = (await collections(db)) as Records
    expect(records.commits.map((c) => c.hash)).toEqual([amended])
    expect(records.retrospectives.map((r) => [r.commit, r.userGrade])).toEqual([[amended, 5]])
    expect(records.gradeEvents.map((e) => e.commit)).toEqual([amended])
    const report = jsonData((await runCli(['report', '--db', db, '--json'])).stdout, 'report') as { setups: { setup: string; commits: number }[] }
    expect(report.setups).toEqual([expect.objectContaining({ setup: SONNET, commits: 1 })])
    const doctor = await runCli(['doctor', '--check', '--db', db])
    expect(doctor.stdout).toMatch(/✓ Commits +2 commit references of retrospectives, grade events and bugs checked: each names a commit recorded in its project\n/)
    expect(doctor.stdout).toMatch(/✓ Rollups .*no drift\n/)
    // The commit has the user's grade: a second one at the terminal is refused.
    const again = await runCli(['grade', '--db', db, '--trust', '--user', '5', SONNET, amended])
    expect(again.code).not.toBe(0)
    expect(again.stderr).toContain('already has the user grade')
  }

  it("brings the other database's grade of the commit to its replacement here, in either direction", async () => {
    const { a, b } = await twoMachines('2026-11-28T10:00:00Z')
    expect((await runCli(['merge', a, '--db', b])).code).toBe(0)
    await expectGradedOnce(b)
    const back = await twoMachines('2026-11-28T10:00:00Z')
    expect((await runCli(['merge', back.b, '--db', back.a])).code).toBe(0)
    await expectGradedOnce(back.a)
  })

  it('does not bring back the commit the amend replaced when the other database recorded it under its own fact', async () => {
    const { a, b } = await twoMachines('2026-11-28T10:00:01Z')
    const merged = jsonData((await runCli(['merge', a, '--db', b, '--json'])).stdout, 'merge') as { facts: { applied: number; withoutEffect: number } }
    expect(merged.facts).toMatchObject({ applied: 1, withoutEffect: 1 })
    await expectGradedOnce(b)
    const status = jsonData((await runCli(['status', SONNET, '--db', b, '--json'])).stdout, 'status') as { state: { commits: number; experience: number } }
    expect(status.state).toMatchObject({ commits: 1 })
  })
})
