import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import type { UsageRecord } from '@agent-tracker/core'
import { open } from 'lmdb'
import { describe, expect, it } from 'vitest'
import type { IngestSummary } from '../src/commands/ingest.js'
import { main } from '../src/main.js'
import { databaseContents, ingestHistory } from './ingest-history.js'
import { factLine, jsonData, jsonError, runBuiltCli, runCli, tempFolder } from './run-cli.js'
import { GPT, SONNET, seedHistory } from './seed.js'

async function snapshot(db: string): Promise<string> {
  const [agents, report] = await Promise.all([runCli(['agents', '--db', db, '--json']), runCli(['report', '--db', db, '--json'])])
  return agents.stdout + report.stdout
}

describe('grading, bugs and reinstating', () => {
  it('records the user grade of a commit by hash prefix, once', async () => {
    const { db } = await seedHistory()
    const graded = await runCli(['grade', SONNET, '5a6b', '--user', 'Excellence', '--agent', '2', '--note', 'great', '--trust', '--db', db])
    expect(graded.code).toBe(0)
    expect(graded.stdout).toMatch(/^Graded 5a6b0c0f \(shop change 6\) of build@anthropic\/claude-sonnet-4-5: agent good, user excellence\. CS \d+\.\d → \d+\.\d/)
    const again = await runCli(['grade', SONNET, '5a6b0c0ffee', '--user', 'good', '--db', db])
    expect(again.code).toBe(1)
    expect(again.stderr).toContain("Commit 5a6b0c0f already has the user grade (excellence); grades are final.")
  })

  it('names what a required option accepts when it is left out', async () => {
    const grade = await runCli(['grade', SONNET, 'abcd', '--db', join(tempFolder(), 'x.lmdb')])
    expect(grade.code).toBe(2)
    expect(grade.stderr).toContain("error: required option '--user <grade>' not specified: give --user your grade: bad, neutral, good, excellence (or -1, 1, 2, 5)\n")
    const exported = await runCli(['export', '--db', join(tempFolder(), 'x.lmdb')])
    expect(exported.stderr).toContain("not specified: give --format json (one document), jsonl")
  })

  it('names what an option accepts when it is given without its value', async () => {
    const db = join(tempFolder(), 'x.lmdb')
    for (const [args, named] of [[['report', '--by'], '--by'], [['export', '--format', 'csv', '--table'], '--table'], [['agents', '--timezone'], '--timezone']] as const) {
      const run = await runCli([...args], { env: { AGENT_TRACKER_DB: db } })
      expect([args, run.code]).toEqual([args, 2])
      expect(run.stderr).toMatch(new RegExp(`^error: option '${named} <[a-z-]+>' argument missing: give ${named} \\S`))
    }
  })

  it('rejects a bad grade (exit 2) listing the accepted values, and stores nothing', async () => {
    const { db } = await seedHistory()
    const before = await snapshot(db)
    const bad = await runCli(['grade', SONNET, '5a6b', '--user', 'great', '--db', db])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('Invalid user grade "great": accepted values are -1 (bad), 1 (neutral), 2 (good), 5 (excellence).')
    // Grades are final: one given twice is refused, not taken as whichever came last.
    const twice = await runCli(['grade', SONNET, '5a6b', '--user', 'excellence', '--user', 'bad', '--trust', '--db', db])
    expect(twice.code).toBe(2)
    expect(twice.stderr).toContain('given twice ("excellence", then "bad"); give --user once.')
    const unknownSetup = await runCli(['grade', 'ghost@x/y', '5a6b', '--user', 'good', '--db', db])
    expect(unknownSetup.code).toBe(1)
    const unknownCommit = await runCli(['grade', SONNET, 'ffff', '--user', 'good', '--db', db, '--json'])
    expect(unknownCommit.code).toBe(1)
    expect(jsonError(unknownCommit.stdout)).toMatchObject({ code: 'UNKNOWN_COMMIT' })
    expect(await snapshot(db)).toBe(before)
  })

  it('refuses an empty or blank commit reference (exit 2) instead of taking the newest commit, and stores nothing', async () => {
    // A script's "$HASH" that came out empty must not grade, blame or annotate a commit for good.
    const { db } = await seedHistory()
    const before = await snapshot(db)
    for (const args of [['grade', SONNET, '', '--user', 'bad', '--trust'], ['grade', SONNET, '   ', '--user', 'bad', '--trust'], ['bug', SONNET, '--commit', ''], ['retro', SONNET, '--commit', ' ', '--note', 'n']]) {
      const refused = await runCli([...args, '--db', db, '--json'])
      expect(refused.code).toBe(2)
      expect(jsonError(refused.stdout)).toMatchObject({ code: 'EMPTY_COMMIT', message: expect.stringMatching(/ is (empty|blank): give at least 4 characters of the commit's hash/) as unknown })
    }
    // What is no hash, or too little of one, is the command line's mistake too.
    for (const [args, message] of [
      [['grade', SONNET, 'zzzz', '--user', 'bad', '--trust'], 'The <commit> argument "zzzz" is no commit hash: give at least 4 of its hex digits'],
      [['grade', SONNET, 'ca', '--user', 'bad', '--trust'], 'The <commit> argument "ca" is too short: give at least 4 characters'],
      [['bug', SONNET, '--commit', 'HEAD'], '--commit "HEAD" is no commit hash'],
    ] as const) {
      const refused = await runCli([...args, '--db', db, '--json'])
      expect(refused.code, args.join(' ')).toBe(2)
      expect(jsonError(refused.stdout), args.join(' ')).toMatchObject({ code: 'INVALID_COMMIT', message: expect.stringContaining(message) as unknown })
    }
    expect(await snapshot(db)).toBe(before)
    // Hex in capitals is the same hash.
    expect((await runCli(['grade', SONNET, '5A6B0C0F', '--user', 'good', '--trust', '--db', db])).code).toBe(0)
  })

  it('reports bugs until the setup halts, then reinstates it', async () => {
    const { db } = await seedHistory()
    let status = jsonData((await runCli(['status', SONNET, '--db', db, '--json'])).stdout, 'status') as { state: { skillPoints: number } }
    const said: string[] = []
    for (let sp = status.state.skillPoints; sp > 0; sp--) {
      const bug = await runCli(['bug', SONNET, '--note', 'regression', '--db', db])
      expect(bug.code).toBe(0)
      said.push(bug.stdout)
    }
    // Each bug says SP before and after; the last halts the setup, and one more says it stays halted.
    expect(said.at(-1)).toMatch(new RegExp(`^Bug recorded against ${SONNET.replaceAll('.', '\\.')}: SP 1\\.0 → 0\\.0 \\(.*\\), \\d+ bugs\\. ${SONNET.replaceAll('.', '\\.')} is now HALTED`))
    expect((await runCli(['bug', SONNET, '--note', 'again', '--db', db])).stdout).toContain(`${SONNET} stays HALTED`)
    status = jsonData((await runCli(['status', SONNET, '--db', db, '--json'])).stdout, 'status') as { state: { skillPoints: number }; halted: boolean }
    expect(status).toMatchObject({ halted: true, state: { skillPoints: 0 } })
    const card = await runCli(['status', SONNET, '--db', db])
    expect(card.stdout).toContain(`Reinstate with /reinstate in OpenCode or: agent-tracker reinstate ${SONNET}`)
    // An agent must not lift its own halt: refused inside an agent session, the halt stays.
    for (const env of [{ OPENCODE: '1' }, { CLAUDECODE: '1' }]) {
      const refused = await runCli(['reinstate', SONNET, '--db', db, '--json'], { env })
      expect(refused.code).toBe(2)
      expect(jsonError(refused.stdout)).toMatchObject({ code: 'REINSTATE_REFUSED', message: expect.stringContaining('reinstate lifts a halt, which is your call, so it is refused inside an agent session') as unknown })
    }
    expect(jsonData((await runCli(['status', SONNET, '--db', db, '--json'])).stdout, 'status')).toMatchObject({ halted: true })
    // Nor through ingest: a reinstatement, a verdict or a note as the user's comes in with --trust only.
    const lines = [
      factLine({ kind: 'reinstate', setup: SONNET, project: '/w/shop' }),
      factLine({ kind: 'retrospective', setup: SONNET, project: '/w/shop', commit: '5a1b0c0ffee', userNote: 'the user liked it' }),
      factLine({ kind: 'tool_call', setup: SONNET, project: '/w/shop', tool: 'bash', ok: true }),
    ].join('\n')
    for (const env of [{ CLAUDECODE: '1' }, {}]) {
      const ingested = await runCli(['ingest', '--db', db, '--json'], { env, input: lines })
      expect(ingested.code).toBe(1)
      expect((jsonData(ingested.stdout, 'ingest') as { rejected: { line: number; message: string }[] }).rejected).toEqual([
        { line: 1, message: "A reinstatement lifts a halt, which is the user's own call: ingest it with --trust, from your own terminal (--trust is refused inside an agent session)." },
        { line: 2, message: "A retrospective's userNote is a note as the user's, which is the user's own call: ingest it with --trust, from your own terminal (--trust is refused inside an agent session)." },
      ])
    }
    expect(jsonData((await runCli(['status', SONNET, '--db', db, '--json'])).stdout, 'status')).toMatchObject({ halted: true })
    for (const args of [['retro', SONNET, '--commit', '5a1b', '--note', 'mine'], ['bug', '--confirm', 'abcd1234']]) {
      const refused = await runCli([...args, '--db', db, '--json'], { env: { OPENCODE: '1' } })
      expect(refused.code, args.join(' ')).toBe(2)
      expect(jsonError(refused.stdout).message, args.join(' ')).toContain('which is your call, so it is refused inside an agent session')
    }
    const reinstated = await runCli(['reinstate', SONNET, '--db', db])
    expect(reinstated.stdout).toBe(`Reinstated ${SONNET}: SP 1.0, it may work again.\n`)
    expect((await runCli(['reinstate', SONNET, '--db', db])).stdout).toContain('is not halted')
    const bugWithCommit = await runCli(['bug', GPT, '--commit', '9e1d', '--note', 'x', '--db', db, '--json'])
    expect(jsonData(bugWithCommit.stdout, 'bug')).toMatchObject({ setup: GPT, state: { bugs: 2 } })
  })

  it("adds each retro --note to the notes the user gave before (with /grade too), keeping every one and a repeat once", async () => {
    const { db } = await seedHistory()
    expect((await runCli(['grade', SONNET, '5a6b', '--user', 'excellence', '--note', 'exactly right', '--trust', '--db', db])).code).toBe(0)
    const first = await runCli(['retro', SONNET, '--commit', '5a6b', '--note', 'ask before changing the schema', '--db', db, '--json'])
    expect(jsonData(first.stdout, 'retro')).toMatchObject({ commit: '5a6b0c0ffee', userGrade: 5, userNote: 'exactly right\nask before changing the schema' })
    const second = await runCli(['retro', SONNET, '--commit', '5a6b', '--note', 'second note', '--db', db])
    expect(second.stdout).toBe(`Noted on 5a6b0c0f of ${SONNET}. Your notes on it:\n  exactly right\n  ask before changing the schema\n  second note\n`)
    const repeat = await runCli(['retro', SONNET, '--commit', '5a6b', '--note', 'second note', '--db', db])
    expect(repeat.code).toBe(0)
    expect(repeat.stdout).toBe(`Already noted on 5a6b0c0f of ${SONNET}; nothing changed. Your notes on it:\n  exactly right\n  ask before changing the schema\n  second note\n`)
    const { entries } = jsonData((await runCli(['retro', SONNET, '--db', db, '--json'])).stdout, 'retro') as { entries: { commit: string; userNote?: string }[] }
    expect(entries.find((entry) => entry.commit === '5a6b0c0ffee')?.userNote).toBe('exactly right\nask before changing the schema\nsecond note')
    const table = (await runCli(['retro', SONNET, '--db', db], { env: { COLUMNS: '200' } })).stdout
    expect(table).toContain('  exactly right / ask before changing the schema / second note\n')
  })

  it('adds a user note to a retrospective and logs an activity', async () => {
    const { db, shop } = await seedHistory()
    const note = await runCli(['retro', SONNET, '--commit', '5a1b', '--note', 'ask before rounding', '--db', db, '--json'])
    expect(jsonData(note.stdout, 'retro')).toMatchObject({ commit: '5a1b0c0ffee', userNote: 'ask before rounding', agentNote: 'rounded in cents' })
    const logged = await runCli(['activity', SONNET, '--task', 'Plan sprint', '--outcome', 'agreed', '--project', 'shop', '--db', db])
    expect(logged.code).toBe(0)
    const { entries } = jsonData((await runCli(['activity', SONNET, '--db', db, '--json'])).stdout, 'activity') as { entries: { task: string; project: string }[] }
    expect(entries[0]).toMatchObject({ task: 'Plan sprint', project: shop })
    expect((await runCli(['activity', '--task', 'x', '--db', db])).code).toBe(2)
    // An entry's details without its task: refused, not taken for a listing.
    const detailsOnly = await runCli(['activity', SONNET, '--outcome', 'done', '--db', db])
    expect(detailsOnly.code).toBe(2)
    expect(detailsOnly.stderr).toContain('--outcome describe an entry to log: give its --task too')
  })
})

describe('a command that changes what a database holds, given a database that is not there', () => {
  it('says there is none (NO_DATABASE, exit 1) and creates nothing: grade, bug, bug --confirm, reinstate, retro --note', async () => {
    const folder = join(tempFolder(), 'typo')
    const db = join(folder, 'tracker.lmdb')
    for (const args of [
      ['grade', SONNET, 'abcd', '--user', 'good', '--trust'],
      ['bug', SONNET],
      ['bug', '--confirm', 'abcd1234'],
      ['reinstate', SONNET],
      ['retro', SONNET, '--note', 'kept'],
    ]) {
      const result = await runCli([...args, '--db', db, '--json'])
      expect(result.code, args.join(' ')).toBe(1)
      expect(jsonError(result.stdout)).toMatchObject({ code: 'NO_DATABASE', message: expect.stringContaining(`no agent-tracker database at ${db}`) as unknown })
      expect(existsSync(folder), args.join(' ')).toBe(false)
    }
  })
})

describe('recorded text on a terminal', () => {
  it('shows control characters in stored text as pictures, in tables, messages and errors, and keeps them in JSON', async () => {
    const { db } = await seedHistory()
    const task = 'fine\u001b[2K\rFAKE\u001b]0;title\u0007\nnext line'
    expect((await runCli(['activity', SONNET, '--task', task, '--project', 'shop', '--db', db])).code).toBe(0)
    const listed = await runCli(['activity', SONNET, '--db', db])
    expect(listed.stdout).toContain('fine\u241b[2K\u240dFAKE\u241b]0;title\u2407\u2424next line')
    // eslint-disable-next-line no-control-regex -- no control character but a line break may reach the terminal
    expect(listed.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/)
    // The table stays one line per entry: the header, then one row each.
    const rows = (jsonData((await runCli(['activity', SONNET, '--db', db, '--json'])).stdout, 'activity') as { entries: { task: string }[] }).entries
    expect(rows[0]?.task).toBe(task)
    expect(listed.stdout.trimEnd().split('\n')).toHaveLength(rows.length + 1)
    const unknown = await runCli(['status', 'evil\u001b[2J@x/y', '--db', db])
    expect(unknown.stderr).toContain('evil\u241b[2J@x/y')
    expect(unknown.stderr).not.toContain('\u001b[2J')
  })

  it('shows a colour sequence in stored text as text: with colours off every one, with colours on all but its own', async () => {
    const { db } = await seedHistory()
    expect((await runCli(['activity', SONNET, '--task', 'tidy imports\u001b[8m', '--outcome', 'failed: deleted prod table \u001b[31mred', '--project', 'shop', '--db', db])).code).toBe(0)
    const plain = await runCli(['activity', SONNET, '--limit', '1', '--db', db])
    expect(plain.stdout).toContain('tidy imports\u241b[8m')
    expect(plain.stdout).toContain('failed: deleted prod table \u241b[31mred')
    expect(plain.stdout).not.toContain('\u001b')
    const coloured = await runCli(['activity', SONNET, '--limit', '1', '--db', db], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } })
    // Conceal would hide the rest of the row on a terminal: it shows as text; a red of its own palette only tints.
    expect(coloured.stdout).toContain('tidy imports\u241b[8m')
    expect(coloured.stdout).not.toContain('\u001b[8m')
    expect(coloured.stdout).toContain('table \u001b[31mred')
  })
})

describe('retro --note and activity --task', () => {
  it('refuse an empty or blank --note, --task or other text as a usage error naming the option, storing nothing', async () => {
    const { db } = await seedHistory()
    const journal = async (): Promise<string> => (await runCli(['retro', '--db', db, '--json'])).stdout + (await runCli(['activity', '--db', db, '--json'])).stdout
    const before = await journal()
    for (const [args, option] of [
      [['retro', SONNET, '--commit', '5a1b', '--note', ''], '--note is empty'],
      [['retro', SONNET, '--commit', '5a1b', '--note', '  '], '--note is blank'],
      [['retro', SONNET, '--commit', '5a1b', '--note', 'fine', '--task', ''], '--task is empty'],
      [['activity', SONNET, '--task', ''], '--task is empty'],
      [['activity', SONNET, '--task', 'Plan', '--outcome', ' '], '--outcome is blank'],
    ] as const) {
      const run = await runCli([...args, '--db', db, '--json'])
      expect(run.code, args.join(' ')).toBe(2)
      expect(jsonError(run.stdout)).toMatchObject({ code: 'EMPTY_OPTION', message: expect.stringContaining(`${option}: give `) as unknown })
    }
    expect(await journal()).toBe(before)
  })

  it('refuse a --task without the note it goes with, as activity refuses --outcome without --task, storing nothing', async () => {
    const { db } = await seedHistory()
    const before = (await runCli(['retro', '--db', db, '--json'])).stdout
    const run = await runCli(['retro', SONNET, '--commit', '5a1b', '--task', 'new task', '--db', db, '--json'])
    expect(run.code).toBe(2)
    expect(jsonError(run.stdout)).toMatchObject({ code: 'MISSING_NOTE', message: expect.stringContaining('give your --note too') as unknown })
    expect((await runCli(['retro', '--db', db, '--json'])).stdout).toBe(before)
  })

  it('logs an entry in the project the working folder belongs to, and from a folder that is no project in the one the setup worked in last — saying where', async () => {
    const { db, shop, api } = await seedHistory()
    const inside = join(shop, 'src', 'cart')
    mkdirSync(inside, { recursive: true })
    const fromShop = await runCli(['activity', GPT, '--task', 'Review cart', '--db', db], { cwd: inside })
    expect(fromShop.stdout).toBe(`Logged "Review cart" for ${GPT} in ${shop}.\n`)
    const scratch = tempFolder('scratch-')
    const fromScratch = await runCli(['activity', GPT, '--task', 'Plan the API', '--db', db, '--json'], { cwd: scratch })
    expect(jsonData(fromScratch.stdout, 'activity')).toEqual({ logged: true, setup: GPT, task: 'Plan the API', project: api })
    const text = await runCli(['activity', GPT, '--task', 'Again', '--db', db], { cwd: scratch })
    expect(text.stdout).toBe(`Logged "Again" for ${GPT} in ${api} (this folder is no project: that is where ${GPT} worked last; --project names another).\n`)
    const repository = tempFolder('repo-')
    mkdirSync(join(repository, '.git'))
    mkdirSync(join(repository, 'docs'))
    expect((await runCli(['activity', GPT, '--task', 'New repo', '--db', db], { cwd: join(repository, 'docs') })).stdout).toBe(`Logged "New repo" for ${GPT} in ${repository}.\n`)
    const projects = jsonData((await runCli(['projects', '--db', db, '--json'])).stdout, 'projects') as { projects?: { path: string }[] } | { path: string }[]
    expect(JSON.stringify(projects)).not.toContain(scratch)
  })
})

describe('ingest of abbreviated commit hashes', () => {
  it('writes out a hash prefix that names one commit of the project, and refuses one that names several', async () => {
    const db = join(tempFolder(), 'ingest.lmdb')
    const good = { setup: SONNET, project: '/w/app' }
    const first = 'abc1234' + '1'.repeat(33)
    const second = 'abc1234' + '2'.repeat(33)
    const third = 'fed9876' + '3'.repeat(33)
    await runCli(['ingest', '--db', db], { input: [first, second, third].map((hash) => factLine({ ...good, kind: 'commit', hash, message: hash.slice(0, 7) })).join('\n') })
    const input = [
      factLine({ ...good, kind: 'grade', commit: 'fed9876', by: 'user', userGrade: 'good' }),
      factLine({ ...good, kind: 'bug', commit: 'fed98', by: 'user', note: 'broke it' }),
      factLine({ ...good, kind: 'grade', commit: 'abc1234', by: 'user', userGrade: 'bad' }),
      factLine({ ...good, kind: 'grade', commit: '0000000', by: 'user', userGrade: 'bad' }),
    ].join('\n')
    const run = await runCli(['ingest', '--db', db, '--trust', '--json'], { input })
    expect(run.code).toBe(1)
    const summary = jsonData(run.stdout, 'ingest') as IngestSummary
    expect(summary.ingested).toBe(2)
    expect(summary.rejected).toEqual([{ line: 3, message: expect.stringMatching(/^commit abc1234 begins 2 commits in \/w\/app \(abc1234[12]{5}, abc1234[12]{5}\); give more of its hash$/) as unknown }])
    expect(summary.ignored).toEqual([{ line: 4, message: 'no commit 0000000 is recorded in /w/app; a grade needs its commit' }])
    const { collections } = JSON.parse((await runCli(['export', '--format', 'json', '--db', db])).stdout) as { collections: { gradeEvents: { commit: string }[]; bugs: { commit?: string }[] } }
    expect([...collections.gradeEvents, ...collections.bugs].map((record) => record.commit)).toEqual([third, third])
    // The same lines again store nothing twice.
    expect((jsonData((await runCli(['ingest', '--db', db, '--trust', '--json'], { input })).stdout, 'ingest') as IngestSummary).ingested).toBe(0)
  })
})

describe('ingest of a grade, bug or retrospective for another setup\'s commit', () => {
  it('refuses it by line, as grade and bug refuse it, whether the commit is stored or made in the same input', async () => {
    const db = join(tempFolder(), 'ingest.lmdb')
    const hash = '4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7'
    const commit = factLine({ kind: 'commit', setup: SONNET, project: '/w/xi', hash, message: 'Add totals', at: '2026-09-01T10:00:00Z' })
    const others = [
      factLine({ kind: 'grade', setup: GPT, project: '/w/xi', commit: '4a5b6c7', by: 'user', userGrade: 'excellence', at: '2026-09-01T10:06:00Z' }),
      factLine({ kind: 'bug', setup: GPT, project: '/w/xi', by: 'user', commit: hash, at: '2026-09-01T10:07:00Z' }),
      factLine({ kind: 'retrospective', setup: GPT, project: '/w/xi', commit: hash, task: 'totals' }),
    ]
    const message = (kind: string): string => `commit ${hash} of /w/xi was made by ${SONNET}, not ${GPT}; a ${kind} goes to the setup that made the commit`
    for (const input of [[commit, ...others], others]) {
      const run = await runCli(['ingest', '--db', db, '--trust', '--json'], { input: input.join('\n') })
      expect(run.code).toBe(1)
      const first = input.length - others.length + 1
      expect((jsonData(run.stdout, 'ingest') as IngestSummary).rejected).toEqual([
        { line: first, message: message('grade') }, { line: first + 1, message: message('bug') }, { line: first + 2, message: message('retrospective') },
      ])
    }
    const statuses = jsonData((await runCli(['status', '--db', db, '--json'])).stdout, 'status') as { setup: string }[]
    expect(statuses.map((status) => status.setup)).toEqual([SONNET])
    // The setup that made it may grade it.
    const own = await runCli(['ingest', '--db', db, '--trust', '--json'], { input: factLine({ kind: 'grade', setup: SONNET, project: '/w/xi', commit: hash, by: 'user', userGrade: 'good' }) })
    expect(jsonData(own.stdout, 'ingest')).toMatchObject({ ingested: 1, rejected: [] })
  })
})

describe('--db :memory:', () => {
  it('writes and reads a throw-away database, leaving no file in the working folder', async () => {
    const cwd = tempFolder()
    const input = factLine({ kind: 'commit', setup: SONNET, project: '/w/app', hash: 'aaaa1111', message: 'one' })
    const ingested = await runBuiltCli(['ingest', '--db', ':memory:', '--json'], { cwd, input })
    expect(ingested.code).toBe(0)
    expect(jsonData(ingested.stdout, 'ingest')).toMatchObject({ ingested: 1 })
    expect((await runBuiltCli(['agents', '--db', ':memory:', '--json'], { cwd })).code).toBe(0)
    expect(readdirSync(cwd)).toEqual([])
  })
})

describe('ingest', () => {
  it('stores every good line and reports each bad line by number (exit 1)', async () => {
    const db = join(tempFolder(), 'ingest.lmdb')
    const good = { setup: SONNET, project: '/w/app' }
    const input = [
      factLine({ ...good, kind: 'commit', hash: 'aaaa1111', message: 'one' }),
      '{"kind": "commit", "setup": ',
      factLine({ ...good, kind: 'deploy' }),
      '',
      factLine({ ...good, kind: 'grade', commit: 'aaaa1111', by: 'user', userGrade: 'superb' }),
      factLine({ ...good, kind: 'tool_call', tool: 'bash', ok: true }),
      factLine({ ...good, kind: 'commit', hash: 'aaaa1111', message: 'again' }),
      factLine({ setup: SONNET, kind: 'push' }),
    ].join('\n')
    const { code, stdout } = await runCli(['ingest', '--db', db], { input })
    expect(code).toBe(1)
    expect(stdout).toContain('Ingested 2 facts from 8 lines.')
    expect(stdout).toContain('1 fact changed nothing:\n  line 7: commit aaaa1111 in /w/app is already recorded')
    expect(stdout).toContain('4 lines rejected (nothing from them was stored):')
    expect(stdout).toMatch(/ {2}line 2: not valid JSON \(/)
    expect(stdout).toContain('  line 3: Invalid fact: field "kind" is "deploy"; accepted kinds are tool_call, command, commit, push, grade, bug, reinstate, retrospective, activity, usage, evidence, verdict.')
    expect(stdout).toContain('  line 5: Invalid grade fact: Invalid field "userGrade" "superb": accepted values are -1 (bad), 1 (neutral), 2 (good), 5 (excellence).')
    expect(stdout).toContain('  line 8: Invalid push fact: field "project" is required: a non-empty string.')
    const status = jsonData((await runCli(['status', SONNET, '--db', db, '--json'])).stdout, 'status') as { state: { commits: number; toolCalls: number } }
    expect(status.state).toMatchObject({ commits: 1, toolCalls: 1 })
  })

  it('adds to an existing database without losing or changing anything already stored', async () => {
    const { db, shop } = await seedHistory()
    type Dump = { collections: Record<string, unknown[]> }
    const before = JSON.parse((await runCli(['export', '--format', 'json', '--db', db])).stdout) as Dump
    const input = [
      factLine({ kind: 'commit', setup: 'review@x/y', project: '/w/elsewhere', hash: 'f00d0001', message: 'new work' }),
      factLine({ kind: 'commit', setup: SONNET, project: shop, hash: '5a1b0c0ffee', message: 'a different message for a stored commit' }),
      '{"kind": "grade", ',
      factLine({ kind: 'grade', setup: SONNET, project: shop, commit: '5a6b0c0ffee', by: 'user', userGrade: 'perfect' }),
      factLine({ kind: 'bug', setup: GPT, by: 'nobody', project: shop }),
    ].join('\n')
    const { code, stdout } = await runCli(['ingest', '--db', db], { input })
    expect(code).toBe(1)
    expect(stdout).toContain('Ingested 1 fact from 5 lines.')
    expect(stdout).toContain('1 fact changed nothing:')
    expect(stdout).toContain('3 lines rejected')
    const after = JSON.parse((await runCli(['export', '--format', 'json', '--db', db])).stdout) as Dump
    for (const [collection, records] of Object.entries(before.collections)) {
      for (const record of records) expect(after.collections[collection], `${collection} keeps ${JSON.stringify(record)}`).toContainEqual(record)
    }
    expect(after.collections.commits).toHaveLength((before.collections.commits?.length ?? 0) + 1)
  })

  it('rejects a relative project and a commit that is no git hash, naming the field, the value and what is accepted', async () => {
    const db = join(tempFolder(), 'door.lmdb')
    const input = [
      factLine({ kind: 'commit', setup: SONNET, project: '/w/app', hash: 'a1b2c3d', message: 'good' }),
      factLine({ kind: 'commit', setup: SONNET, project: 'w/app', hash: 'b2c3d4e', message: 'relative' }),
      factLine({ kind: 'commit', setup: SONNET, project: '/w/app', hash: 'not-a-hash', message: 'bad hash' }),
      factLine({ kind: 'grade', setup: SONNET, project: '/w/app', commit: 'HEAD', by: 'agent', agentGrade: 2 }),
      factLine({ kind: 'tool_call', setup: SONNET, project: './app', tool: 'bash', ok: true }),
      factLine({ kind: 'grade', setup: SONNET, project: '/w/app', commit: 'a1b2c3d', by: 'agent', agentGrade: 2 }),
    ].join('\n')
    const { code, stdout } = await runBuiltCli(['ingest', '--db', db], { input })
    expect(code).toBe(1)
    expect(stdout).toContain('Ingested 2 facts from 6 lines.')
    expect(stdout).toContain('4 lines rejected (nothing from them was stored):')
    expect(stdout).toContain('  line 2: Invalid commit fact: field "project" is "w/app"; accepted is an absolute path to the project folder, like /home/me/shop.')
    const hash = 'accepted is a commit hash of 4 to 64 lowercase hex digits (0-9, a-f), as git prints it.'
    expect(stdout).toContain(`  line 3: Invalid commit fact: field "hash" is "not-a-hash"; ${hash}`)
    expect(stdout).toContain(`  line 4: Invalid grade fact: field "commit" is "HEAD"; ${hash}`)
    expect(stdout).toContain('  line 5: Invalid tool_call fact: field "project" is "./app"; accepted is an absolute path')
    const contents = await databaseContents(db)
    expect(contents.records.commits).toMatchObject([{ project: '/w/app', hash: 'a1b2c3d' }])
    expect(contents.records.projects).toMatchObject([{ path: '/w/app' }])
    expect(contents.records.gradeEvents).toMatchObject([{ commit: 'a1b2c3d' }])
    expect(contents.facts).toBe(2)
  })

  it('rejects a fact dated more than a day ahead of now, and stores the rest', async () => {
    const db = join(tempFolder(), 'future.lmdb')
    const now = new Date('2026-11-29T12:00:00.000Z')
    const input = [
      factLine({ kind: 'tool_call', setup: SONNET, project: '/w/app', tool: 'bash', ok: true, at: '2026-11-30T11:00:00.000Z' }),
      factLine({ kind: 'tool_call', setup: SONNET, project: '/w/app', tool: 'bash', ok: true, at: '2099-01-01T00:00:00.000Z' }),
    ].join('\n')
    const { code, stdout } = await runCli(['ingest', '--db', db], { input, now })
    expect(code).toBe(1)
    expect(stdout).toContain('Ingested 1 fact from 2 lines.')
    expect(stdout).toContain('  line 2: Invalid tool_call fact: field "at" is "2099-01-01T00:00:00.000Z"; accepted is a time from 1970-01-01T00:00:00.000Z to a day after now (2026-11-30T12:00:00.000Z).')
  })

  it('explains that it reads stdin when given nothing to read', async () => {
    const { code, stderr } = await runCli(['ingest', '--file', 'missing.jsonl', '--db', join(tempFolder(), 'x.lmdb')])
    expect(code).toBe(2)
    expect(stderr).toContain('--file missing.jsonl: no such file')
    expect(stderr).not.toContain('Unexpected')
  })
})

describe('migrate, merge and export', () => {
  it('migrates legacy journal files and reports bad entries (exit 1), then skips everything on a rerun', async () => {
    const project = tempFolder('legacy-')
    mkdirSync(join(project, '.journal'))
    writeFileSync(join(project, '.journal', 'communication.json'), JSON.stringify([
      { commit: 'abc1234', timestamp: '2026-02-23T18:00:00', task: 'Cart', agent_grade: 'good', user_grade: 'excellence' },
      { commit: 'def5678', timestamp: '2026-02-24T18:00:00Z', agent_grade: 2 },
    ]))
    const db = join(tempFolder(), 'm.lmdb')
    for (const setup of ['bad setup!', 'build@openai', 'build@/gpt-5', ' build']) {
      const refused = await runCli(['migrate', project, '--setup', setup, '--db', db])
      expect(refused.code, setup).toBe(2)
      expect(refused.stderr, setup).toContain(`Invalid --setup "${setup}": give a setup id without spaces`)
    }
    expect(existsSync(db)).toBe(false)
    const first = await runCli(['migrate', project, '--setup', 'build', '--db', db])
    expect(first.code).toBe(1)
    expect(first.stdout).toContain('(entry 2 (line 1) (commit def5678)): missing field "user_grade"')
    const second = await runCli(['migrate', project, '--setup', 'build', '--db', db, '--json'])
    // The one valid entry wrote a retrospective, its commit and a grade event, and its grade went to the
    // setup's scores: all four are found present.
    expect(jsonData(second.stdout, 'migrate')).toMatchObject({ folders: [{ files: { migrated: 0, skipped: 4 } }] })
    const empty = await runCli(['migrate', tempFolder(), '--db', db])
    expect(empty.code).toBe(0)
    expect(empty.stdout).toContain('No legacy data found')
    expect((await runCli(['migrate', 'no/such/folder', '--db', db])).code).toBe(2)
  })

  it('makes no database when no folder holds legacy data and there is none yet (text and JSON)', async () => {
    const db = join(tempFolder(), 'new.lmdb')
    const empty = await runCli(['migrate', tempFolder(), '--db', db])
    expect(empty.code).toBe(0)
    expect(empty.stdout).toContain('No legacy data found')
    const json = await runCli(['migrate', tempFolder(), tempFolder(), '--db', db, '--json'])
    expect(jsonData(json.stdout, 'migrate')).toMatchObject({ folders: [{ found: false, database: { outcome: 'none' }, files: { outcome: 'none' } }, { found: false }], issues: 0 })
    expect(existsSync(db)).toBe(false)
    expect(existsSync(`${db}-lock`)).toBe(false)
  })

  it('does not repeat a migration that finished without problems, unless asked --again', async () => {
    const project = tempFolder('legacy-')
    mkdirSync(join(project, '.journal'))
    writeFileSync(join(project, '.journal', 'communication.json'), JSON.stringify([{ commit: 'abc1234', timestamp: '2026-02-23T18:00:00Z', agent_grade: 'good', user_grade: 'excellence' }]))
    const db = join(tempFolder(), 'm.lmdb')
    // The retrospective, its commit and grade event, and the setup `build` they make (the files name none).
    expect((await runCli(['migrate', project, '--setup', 'build', '--db', db])).code).toBe(0)
    const repeat = await runCli(['migrate', project, '--setup', 'build', '--db', db])
    expect(repeat.code).toBe(0)
    expect(repeat.stdout).toMatch(/ done \d{4}-\d{2}-\d{2} \d{2}:\d{2} /)
    expect(repeat.stdout).toContain('Migrations done before were not repeated; add --again to look for legacy data added since.')
    const json = jsonData((await runCli(['migrate', project, '--db', db, '--json'])).stdout, 'migrate') as { folders: { files: { outcome: string; previousRun: { migrated: number } } }[] }
    expect(json.folders[0]?.files).toMatchObject({ outcome: 'done-before', previousRun: { migrated: 4 } })
    const again = await runCli(['migrate', project, '--again', '--db', db, '--json'])
    expect(jsonData(again.stdout, 'migrate')).toMatchObject({ folders: [{ files: { outcome: 'migrated', migrated: 0, skipped: 4 } }] })
  })

  it('merges another database idempotently', async () => {
    const a = await seedHistory()
    const other = join(tempFolder(), 'other.lmdb')
    await runCli(['ingest', '--db', other], { input: factLine({ kind: 'commit', setup: 'review@x/y', project: '/w/z', hash: 'beef0001', message: 'm' }) })
    const merged = await runCli(['merge', other, '--db', a.db, '--json'])
    // The other database's one fact (a commit) is replayed here; everything it made is then here already.
    expect(jsonData(merged.stdout, 'merge')).toMatchObject({ facts: { applied: 1, repeats: 0 }, errors: [] })
    expect(jsonData((await runCli(['merge', other, '--db', a.db, '--json'])).stdout, 'merge')).toMatchObject({ migrated: 0, facts: { applied: 0, repeats: 1 } })
    expect((await runCli(['merge', a.db, '--db', a.db])).code).toBe(2)
  })

  it('exports JSON, CSV and HTML', async () => {
    const { db, root } = await seedHistory()
    const json = JSON.parse((await runCli(['export', '--format', 'json', '--db', db])).stdout) as { format: string; collections: Record<string, unknown[]> }
    expect(json.format).toBe('agent-tracker-export')
    expect(json.collections.commits).toHaveLength(9)
    // With --json the streamed document is the answer inside the envelope.
    expect(jsonData((await runCli(['export', '--format', 'json', '--json', '--db', db])).stdout, 'export')).toMatchObject({ format: 'agent-tracker-export', collections: { commits: json.collections.commits } })
    const csv = (await runCli(['export', '--format', 'csv', '--db', db])).stdout.split('\r\n')
    expect(csv[0]).toMatch(/^setup,agent,provider,model,commits,pushes,bugs,bugsPerCommit,/)
    expect(csv[1]).toMatch(/^build@anthropic\/claude-sonnet-4-5,build,anthropic,claude-sonnet-4-5,6,/)
    const commits = (await runCli(['export', '--format', 'csv', '--table', 'commits', '--db', db])).stdout
    expect(commits.split('\r\n')).toHaveLength(11)
    const html = await runCli(['export', '--format', 'html', '--out', 'r.html', '--db', db], { cwd: root })
    expect(html.stdout).toBe(`Wrote the HTML export to ${join(root, 'r.html')}\n`)
    expect(readFileSync(join(root, 'r.html'), 'utf8')).toContain('<svg')
    const bad = await runCli(['export', '--format', 'pdf', '--db', db])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('Invalid --format "pdf": accepted are json, jsonl, csv, html.')
    // JSON lines: one record per line, the same records as the JSON document.
    const lines = (await runCli(['export', '--format', 'jsonl', '--db', db])).stdout.trim().split('\n').map((line) => JSON.parse(line) as { collection: string; record: unknown })
    for (const [collection, records] of Object.entries(json.collections)) {
      expect(lines.filter((line) => line.collection === collection).map((line) => line.record), collection).toEqual(records)
    }
    expect(Object.keys(json.collections).sort()).toEqual(['activities', 'bugs', 'commits', 'evidence', 'gradeEvents', 'projects', 'retrospectives', 'setups', 'usage'])
  })
})

describe('ingest', () => {
  it('counts nothing twice when the same lines come again: a fact with a known id is a repeat', async () => {
    const db = join(tempFolder(), 'tracker.lmdb')
    const lines = [
      factLine({ id: 'h:1', kind: 'tool_call', setup: 'build@x/y', project: '/w/p', tool: 'bash', ok: true }),
      factLine({ id: 'h:2', kind: 'usage', setup: 'build@x/y', project: '/w/p', tokens: { input: 10 }, cost: 0.5 }),
      factLine({ id: 'h:3', kind: 'bug', setup: 'build@x/y', project: '/w/p', by: 'user', note: 'oops' }),
    ].join('\n')
    const first = jsonData((await runCli(['ingest', '--db', db, '--json'], { input: lines })).stdout, 'ingest') as { ingested: number; repeats: number }
    const again = jsonData((await runCli(['ingest', '--db', db, '--json'], { input: lines })).stdout, 'ingest') as { ingested: number; repeats: number }
    expect([first.ingested, first.repeats, again.ingested, again.repeats]).toEqual([3, 0, 0, 3])
    const status = jsonData((await runCli(['status', 'build@x/y', '--db', db, '--json'])).stdout, 'status') as { state: { toolCalls: number; bugs: number; cost: number } }
    expect(status.state).toMatchObject({ toolCalls: 1, bugs: 1, cost: 0.5 })
  })
})

describe('ingest of an amended commit', () => {
  it('takes the amend in the place of the commit it names (history, report and doctor --check agree), and rejects an amends that is no full hash', async () => {
    const db = join(tempFolder(), 'amend.lmdb')
    const first = '3f2a9c41d0b7e65a8c1f2e3d4b5a69788796a5b4'
    const amended = '9b74b9482ad5faff9546262bb5063474358ed29a'
    const where = { setup: SONNET, project: '/w/app' }
    const input = [
      factLine({ ...where, id: 'h:1', kind: 'commit', hash: first, message: 'feat: cart', at: '2026-03-01T23:50:00Z' }),
      factLine({ ...where, id: 'h:2', kind: 'commit', hash: amended, message: 'feat: cart, linted', amends: first, at: '2026-03-02T00:10:00Z' }),
      factLine({ ...where, id: 'h:3', kind: 'commit', hash: 'c0ffee1', message: 'bad', amends: 'c0ffee' }),
    ].join('\n')
    const { code, stdout } = await runCli(['ingest', '--db', db], { input })
    expect(code).toBe(1)
    expect(stdout).toContain('Ingested 2 facts from 3 lines.')
    expect(stdout).toContain('  line 3: Invalid commit fact: field "amends" is "c0ffee"; accepted is a full commit hash: 40 lowercase hex digits (SHA-1), or 64 (SHA-256), as `git rev-parse HEAD` prints it.')
    const history = jsonData((await runCli(['history', SONNET, '--db', db, '--json'])).stdout, 'history') as { entries: { kind: string; summary: string }[] }
    expect(history.entries.map((entry) => [entry.kind, entry.summary])).toEqual([['commit', `${amended.slice(0, 8)} feat: cart, linted`]])
    const report = jsonData((await runCli(['report', '--db', db, '--json'])).stdout, 'report') as { setups: { setup: string; commits: number; experienceGained: number }[] }
    expect(report.setups).toEqual([expect.objectContaining({ setup: SONNET, commits: 1, experienceGained: 1 })])
    const doctor = jsonData((await runCli(['doctor', '--check', '--db', db, '--json'])).stdout, 'doctor') as { checks: { name: string; level: string }[] }
    expect(doctor.checks.find((entry) => entry.name === 'Rollups')).toMatchObject({ level: 'ok', detail: expect.stringContaining('1 day rollups') as unknown })
    // Sent again, every line is a repeat.
    const again = jsonData((await runCli(['ingest', '--db', db, '--json'], { input: input.split('\n').slice(0, 2).join('\n') })).stdout, 'ingest') as { ingested: number; repeats: number }
    expect([again.ingested, again.repeats]).toEqual([0, 2])
  })
})

describe('grading a commit by another form of its hash', () => {
  it('grades a commit recorded by its abbreviated hash when given in full (grade and ingest), and a replaced hash as its amend', async () => {
    const db = join(tempFolder(), 'forms.lmdb')
    const where = { setup: SONNET, project: '/w/shop' }
    const full = 'abc1234def5678901234567890abcdef01234567'
    const first = '1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
    const amended = '2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'
    const input = [
      factLine({ ...where, kind: 'commit', hash: 'abc1234', message: 'Seen short', at: '2026-10-28T10:00:00Z' }),
      factLine({ ...where, kind: 'commit', hash: 'fed9876', message: 'Also short', at: '2026-10-28T10:05:00Z' }),
      factLine({ ...where, kind: 'commit', hash: first, message: 'Add cart', at: '2026-10-28T10:10:00Z' }),
      factLine({ ...where, kind: 'commit', hash: amended, message: 'Add cart (fixed)', amends: first, at: '2026-10-28T10:20:00Z' }),
    ].join('\n')
    expect((await runCli(['ingest', '--db', db], { input })).code).toBe(0)
    const tooLong = await runCli(['grade', SONNET, '1'.repeat(65), '--user', 'good', '--db', db])
    expect(tooLong.code).toBe(2)
    expect(tooLong.stderr).toContain('is longer than any commit hash: give 4 to 64 of its hex digits')
    const short = await runCli(['grade', SONNET, full, '--user', 'good', '--trust', '--db', db])
    expect(short.code).toBe(0)
    expect(short.stdout).toMatch(/^Graded abc1234 \(Seen short\) of build@anthropic\/claude-sonnet-4-5: user good\./)
    for (const ref of [first, first.slice(0, 7)]) {
      const replaced = await runCli(['grade', SONNET, ref, '--user', 'excellence', '--trust', '--db', db])
      if (ref === first) {
        expect(replaced.code).toBe(0)
        expect(replaced.stdout).toMatch(/^Graded 2222222b \(Add cart \(fixed\)\) of build@anthropic\/claude-sonnet-4-5: user excellence\./)
      } else {
        expect(replaced.stderr).toContain('Commit 2222222b already has the user grade (excellence); grades are final.')
      }
    }
    // bug names the commit it took, in words and in JSON.
    const bug = await runCli(['bug', SONNET, '--commit', first, '--db', db])
    expect(bug.stdout).toMatch(/^Bug recorded against build@anthropic\/claude-sonnet-4-5's commit 2222222b \(Add cart \(fixed\)\): SP /)
    const bugJson = await runCli(['bug', SONNET, '--commit', 'abc1234', '--db', db, '--json'])
    expect(jsonData(bugJson.stdout, 'bug')).toMatchObject({ setup: SONNET, commit: 'abc1234' })
    for (const args of [['grade', SONNET, amended, '--user', 'good'], ['bug', SONNET, '--commit', amended]]) {
      const empty = await runCli([...args, '--note', ' ', '--db', db])
      expect(empty.code).toBe(2)
      expect(empty.stderr).toMatch(/^error: --note is blank: give /)
    }
    // retro --commit lists that commit's retrospective only, found as grade finds it.
    const listed = jsonData((await runCli(['retro', SONNET, '--commit', first.slice(0, 7), '--db', db, '--json'])).stdout, 'retro') as { entries: { commit: string }[] }
    expect(listed.entries.map((r) => r.commit)).toEqual([amended])
    const unknown = await runCli(['retro', SONNET, '--commit', '9999999', '--db', db])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('No commit "9999999" is recorded')
    expect((await runCli(['retro', '--commit', 'xyz', '--db', db])).code).toBe(2)
    expect((await runCli(['retro', '--commit', 'abc1234', '--db', db])).stderr).toContain('Name the setup whose commit --commit is')
    // ingest takes a full hash to the commit stored abbreviated.
    const ingested = await runCli(['ingest', '--db', db, '--trust'], { input: factLine({ ...where, kind: 'grade', commit: 'fed9876'.padEnd(40, '0'), by: 'user', userGrade: 1, at: '2026-10-28T11:00:00Z' }) })
    expect(ingested.stdout).toContain('Ingested 1 fact')
    const retro = jsonData((await runCli(['retro', SONNET, '--db', db, '--json'])).stdout, 'retro') as { entries: { commit: string; userGrade?: number }[] }
    expect(retro.entries.map((r) => [r.commit, r.userGrade]).sort()).toEqual([[amended, 5], ['abc1234', 2], ['fed9876', 1]])
  })
})

describe('ingest of a grade of a commit an amend replaced', () => {
  it('gives the grade to the replacement, alone or after a repeated line of the replaced commit, and holds back one long after it', async () => {
    const db = join(tempFolder(), 'orphan.lmdb')
    const first = '1111111111111111111111111111111111111111'
    const amended = '2222222222222222222222222222222222222222'
    const where = { setup: SONNET, project: '/w/shop' }
    const commit = factLine({ ...where, kind: 'commit', hash: first, message: 'Add cart', at: '2026-10-28T10:00:00Z' })
    const gradeLine = (at: string, rest: Record<string, unknown>): string => factLine({ ...where, kind: 'grade', commit: first, at, ...rest })
    expect((await runCli(['ingest', '--db', db], { input: [commit, factLine({ ...where, kind: 'commit', hash: amended, message: 'Add cart 2', amends: first, at: '2026-10-28T10:10:00Z' })].join('\n') })).code).toBe(0)
    // The commit's line again, then a grade of it: the line is a repeat, the grade the amend's.
    const repeated = jsonData((await runCli(['ingest', '--db', db, '--trust', '--json'], { input: [commit, gradeLine('2026-10-28T10:20:00Z', { by: 'user', userGrade: 5 })].join('\n') })).stdout, 'ingest') as { ingested: number; repeats: number }
    expect([repeated.ingested, repeated.repeats]).toEqual([1, 1])
    // A lone grade line of it, the same day.
    expect((await runCli(['ingest', '--db', db], { input: gradeLine('2026-10-28T11:00:00Z', { by: 'agent', agentGrade: 2 }) })).code).toBe(0)
    const history = jsonData((await runCli(['history', SONNET, '--db', db, '--json'])).stdout, 'history') as { entries: { kind: string; summary: string }[] }
    expect(history.entries.map((entry) => entry.summary.slice(0, 8))).toEqual([amended, amended, amended].map((hash) => hash.slice(0, 8)))
    const retro = JSON.stringify(jsonData((await runCli(['retro', SONNET, '--db', db, '--json'])).stdout, 'retro'))
    expect(retro).toContain(amended)
    expect(retro).not.toContain(first)
    // Weeks later, the replaced commit's grade has no commit of its time to go to: held back.
    const late = await runCli(['ingest', '--db', db], { input: gradeLine('2026-11-20T10:00:00Z', { by: 'user', userGrade: 1 }) })
    expect(late.stdout).toContain(`line 1: no commit ${first} is recorded in /w/shop; a grade needs its commit`)
    const doctor = await runCli(['doctor', '--check', '--db', db])
    expect(doctor.stdout).toMatch(/✓ Commits +3 commit references of retrospectives, grade events and bugs checked: each names a commit recorded in its project\n/)
  })
})

describe('ingest, safe to run again', () => {
  it('stores nothing twice when the same file without ids comes again', async () => {
    const db = join(tempFolder(), 'twice.lmdb')
    const file = join(tempFolder(), 'history.jsonl')
    writeFileSync(file, ingestHistory(2500))
    const first = jsonData((await runCli(['ingest', '--file', file, '--db', db, '--json'])).stdout, 'ingest') as IngestSummary
    const once = await databaseContents(db)
    const again = jsonData((await runCli(['ingest', '--file', file, '--db', db, '--json'])).stdout, 'ingest') as IngestSummary
    expect([first.ingested, first.repeats, again.ingested, again.repeats, again.lastCommittedLine]).toEqual([2500, 0, 0, 2500, 2500])
    expect(await databaseContents(db)).toEqual(once)
    const status = jsonData((await runCli(['status', 'build@anthropic/claude-sonnet-4-5', '--db', db, '--json'])).stdout, 'status') as { state: { toolCalls: number; bugs: number } }
    expect(status.state.toolCalls).toBeGreaterThan(1000)
    expect(status.state.bugs).toBe(once.records.bugs.filter((bug) => (bug as { setup: string }).setup === 'build@anthropic/claude-sonnet-4-5').length)
  })

  it('skips a grade for a commit never recorded, saying why, instead of planting a retrospective', async () => {
    const db = join(tempFolder(), 'orphan.lmdb')
    const input = [
      factLine({ kind: 'commit', setup: SONNET, project: '/w/app', hash: 'aaaa1111', message: 'real' }),
      factLine({ kind: 'grade', setup: SONNET, project: '/w/app', commit: 'aaaa1111', by: 'user', userGrade: 'good' }),
      factLine({ kind: 'grade', setup: SONNET, project: '/w/app', commit: 'ffff9999', by: 'user', userGrade: 'excellence' }),
    ].join('\n')
    const summary = jsonData((await runCli(['ingest', '--db', db, '--json'], { input })).stdout, 'ingest') as IngestSummary
    expect(summary.ingested).toBe(2)
    expect(summary.ignored).toEqual([{ line: 3, message: 'no commit ffff9999 is recorded in /w/app; a grade needs its commit' }])
    const contents = await databaseContents(db)
    // Ingested user grades are recorded without counting (no --trust): one event, for the real commit only.
    expect(contents.records.gradeEvents).toMatchObject([{ commit: 'aaaa1111' }])
    expect(contents.records.retrospectives.filter((retro) => (retro as { commit: string }).commit === 'ffff9999')).toEqual([])
  })

  it('rejects extreme lines by number and stores the good ones around them', async () => {
    const db = join(tempFolder(), 'extreme.lmdb')
    let deep: unknown = 'bottom'
    for (let level = 0; level < 1500; level++) deep = { deeper: deep }
    const good = (n: number): string => factLine({ kind: 'tool_call', setup: SONNET, project: '/w/app', tool: `t${String(n)}`, ok: true })
    const input = [
      good(1),
      factLine({ kind: 'commit', setup: SONNET, project: `/w/${'x'.repeat(2100)}`, hash: 'abc1', message: 'm' }),
      good(2),
      factLine({ kind: 'commit', setup: SONNET, project: '/w/app', hash: 'h'.repeat(2000), message: 'm' }),
      `{"kind":"retrospective","setup":"${SONNET}","project":"/w/app","commit":"abc","extra":${JSON.stringify(deep)}}`,
      factLine({ kind: 'usage', setup: SONNET, project: '/w/app', tokens: { input: 1e308 }, cost: 1e308 }),
      good(3),
    ].join('\n')
    const { code, stdout } = await runCli(['ingest', '--db', db, '--json'], { input })
    expect(code).toBe(1)
    const summary = jsonData(stdout, 'ingest') as IngestSummary
    // A project path past LMDB's key limit is stored under a digest of it; the record keeps it whole.
    expect(summary.ingested).toBe(4)
    expect(summary.rejected.map((r) => r.line)).toEqual([4, 5, 6])
    expect(summary.rejected[0]?.message).toContain(`field "hash" is "${'h'.repeat(57)}..."; accepted is a commit hash of 4 to 64`)
    expect(summary.rejected[1]?.message).toContain('nests deeper than 16 levels')
    expect(summary.rejected[2]?.message).toContain('must be a number from 0 to 1000000000')
    expect((await databaseContents(db)).records.commits).toMatchObject([{ project: `/w/${'x'.repeat(2100)}`, hash: 'abc1' }])
  })

  it('records and reports a project whose path is 2,027 characters long, with its full path', async () => {
    const db = join(tempFolder(), 'long-path.lmdb')
    const project = `/home/de/${'deep/'.repeat(403)}app`
    expect(project).toHaveLength(2027)
    const input = [
      factLine({ kind: 'tool_call', setup: SONNET, project, tool: 'bash', ok: true }),
      factLine({ kind: 'commit', setup: SONNET, project, hash: 'abcd1234', message: 'Add cart' }),
      factLine({ kind: 'usage', setup: SONNET, project, tokens: { input: 100, output: 20 }, cost: 0.5 }),
    ].join('\n')
    expect((await runCli(['ingest', '--db', db], { input })).code).toBe(0)
    const projects = jsonData((await runCli(['projects', '--json', '--db', db])).stdout, 'projects') as { projects: { path: string }[] }
    expect(projects.projects.map((p) => p.path)).toEqual([project])
    const report = jsonData((await runCli(['report', '--json', '--project', project, '--db', db])).stdout, 'report') as { setups: { setup: string; commits: number; cost: number }[] }
    expect(report.setups).toMatchObject([{ setup: SONNET, commits: 1, cost: 0.5 }])
    const history = await runCli(['history', SONNET, '--project', project, '--json', '--db', db])
    expect(JSON.stringify(jsonData(history.stdout, 'history'))).toContain(`"project":"${project}"`)
  })

  it('decodes a character split across two chunks of stdin whole', async () => {
    const db = join(tempFolder(), 'euro.lmdb')
    const line = Buffer.from(`${factLine({ kind: 'activity', setup: SONNET, project: '/w/app', task: 'price in €' })}\n`)
    const cut = line.indexOf(Buffer.from('€')) + 1
    const home = tempFolder('home-')
    const stdin = Object.assign(Readable.from([line.subarray(0, cut), line.subarray(cut)]), { isTTY: false })
    let stdout = ''
    const io = { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: () => true }, stdin, env: { HOME: home, NO_COLOR: '1' }, cwd: home, homeDir: home }
    expect(await main(['ingest', '--db', db], io)).toBe(0)
    expect(stdout).toContain('Ingested 1 fact')
    expect((await databaseContents(db)).records.activities).toMatchObject([{ task: 'price in €' }])
  })
})

describe('doctor and init', () => {
  it('checks a healthy database and finds legacy data in the working folder', async () => {
    const { db, root } = await seedHistory()
    mkdirSync(join(root, '.agent'))
    writeFileSync(join(root, '.agent', 'status.json'), '{}')
    const { code, stdout } = await runCli(['doctor', '--db', db], { cwd: root })
    expect(code).toBe(0)
    expect(stdout).toMatch(new RegExp(`✓ Database +${db} \\(from --db\\)`))
    expect(stdout).toMatch(/✓ Size +[\d.]+ (KiB|MiB) used of the 512\.0 MiB limit/)
    expect(stdout).toMatch(/✓ Schema +version 3 \(this release reads 3\)/)
    expect(stdout).toMatch(new RegExp(`! Legacy +${root}: 1 legacy file: not migrated yet — run agent-tracker migrate ${root}\n`))
    expect(stdout).toContain(`! Plugin       no OpenCode config (looked in ${root}, and globally) — so OpenCode records nothing: run agent-tracker init (this project) or agent-tracker init --global`)
    expect(stdout).toContain('Nothing is broken; 2 things to look at (! above).')
    const checked = await runCli(['doctor', '--check', '--db', db], { cwd: root })
    expect(checked.stdout).toMatch(/✓ Rollups +\d+ day rollups against the records and \d+ logged facts, \d+ setup totals, \d+ project days and \d+ outcome days against the rollups: no drift/)
  })

  it('calls a database with findings alone healthy in --json, as its words and exit code do; a problem makes it unhealthy', async () => {
    type Doctor = { healthy: boolean; problems: number; findings: number; checks: { name: string; ok: boolean; level: string }[] }
    const { db, root } = await seedHistory()
    const text = await runBuiltCli(['doctor', '--db', db], { cwd: root })
    expect([text.code, text.stdout]).toEqual([0, expect.stringContaining('Nothing is broken; 1 thing to look at (! above).')])
    const json = await runBuiltCli(['doctor', '--db', db, '--json'], { cwd: root })
    expect(json.code).toBe(0)
    const findings = jsonData(json.stdout, 'doctor') as Doctor
    expect(findings).toMatchObject({ healthy: true, problems: 0, findings: 1 })
    expect(findings.checks.filter((entry) => entry.level !== 'ok')).toMatchObject([{ name: 'Plugin', ok: true, level: 'finding' }])
    const broken = join(tempFolder(), 'broken.lmdb')
    writeFileSync(broken, Buffer.alloc(8192, 0xab))
    const damaged = await runBuiltCli(['doctor', '--db', broken, '--json'], { cwd: root })
    expect(damaged.code).toBe(1)
    expect(jsonData(damaged.stdout, 'doctor')).toMatchObject({ healthy: false, problems: 1 })
  })

  it('repairs day rollups that drifted, and says there is nothing to repair afterwards', async () => {
    const { db, root } = await seedHistory()
    // A windowed report adds up the day rollups.
    const windowed = async (): Promise<string> => (await runCli(['report', '--since', '2020-01-01', '--db', db, '--json'])).stdout
    const before = await windowed()
    // A rollup counted three tool calls too many behind the store's back (a lost or doubled write would).
    const raw = open({ path: db, noSubdir: true, maxDbs: 32 })
    const usage = raw.openDB<UsageRecord>({ name: 'usage', sharedStructuresKey: Symbol.for('structures') })
    const [first] = usage.getRange({ limit: 1 })
    if (first === undefined) throw new Error('the seeded history should have a day rollup')
    await usage.put(first.key, { ...first.value, toolCalls: first.value.toolCalls + 3 })
    await raw.close()
    const drifted = await runCli(['doctor', '--check', '--db', db], { cwd: root })
    expect(drifted.code).toBe(1)
    expect(drifted.stdout).toContain(`${first.value.setup} · ${first.value.project} · ${first.value.day} toolCalls: stored ${String(first.value.toolCalls + 3)}, expected ${String(first.value.toolCalls)}`)
    expect(drifted.stdout).toContain('agent-tracker doctor --repair rewrites them from what backs them')
    expect(await windowed()).not.toBe(before)

    const repaired = await runCli(['doctor', '--repair', '--db', db, '--json'], { cwd: root })
    expect(repaired.code).toBe(0)
    const rollups = (jsonData(repaired.stdout, 'doctor') as { checks: { name: string; repair?: unknown }[] }).checks.find((entry) => entry.name === 'Rollups')
    expect(rollups?.repair).toMatchObject({ rewritten: 1, removed: 0, setupTotalsRebuilt: true })
    expect(await windowed()).toBe(before)
    const again = await runCli(['doctor', '--repair', '--db', db], { cwd: root })
    expect(again.stdout).toMatch(/✓ Rollups +\d+ day rollups recounted from the records and \d+ logged facts: no drift, nothing to repair/)
    expect(again.stdout).not.toMatch(/ Scores | Commits /)
    // With --check as well, the rest of the check follows the repair.
    const checked = await runCli(['doctor', '--repair', '--check', '--db', db], { cwd: root })
    expect(checked.stdout).toMatch(/✓ Rollups +\d+ day rollups recounted/)
    expect(checked.stdout).toMatch(/✓ Scores +/)
    expect(checked.stdout).toMatch(/✓ Commits +/)
  })

  it('lists the first 20 numbers that drifted, one line each, and says how many more --json lists', async () => {
    const { db, root } = await seedHistory()
    // 25 day rollups of zeros that nothing backs, written behind the store's back.
    const raw = open({ path: db, noSubdir: true, maxDbs: 32 })
    const usage = raw.openDB<UsageRecord>({ name: 'usage', sharedStructuresKey: Symbol.for('structures') })
    const [first] = usage.getRange({ limit: 1 })
    if (first === undefined) throw new Error('the seeded history should have a day rollup')
    const zeroed = (value: unknown): unknown => typeof value === 'number' ? 0 : Array.isArray(value) ? value.map(zeroed) : typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, zeroed(inner)])) : value
    const days = Array.from({ length: 25 }, (_, index) => `2001-01-${String(index + 1).padStart(2, '0')}`)
    for (const day of days) await usage.put([first.value.setup, first.value.project, day], { ...(zeroed(first.value) as UsageRecord), day })
    await raw.close()
    const text = await runCli(['doctor', '--check', '--db', db], { cwd: root })
    expect(text.code).toBe(1)
    const json = await runCli(['doctor', '--check', '--db', db, '--json'], { cwd: root })
    const drift = (jsonData(json.stdout, 'doctor') as { checks: { name: string; drift?: unknown[] }[] }).checks.find((entry) => entry.name === 'Rollups')?.drift ?? []
    expect(drift.length).toBeGreaterThanOrEqual(25)
    const listed = days.slice(0, 20).map((day) => `\n    ${first.value.setup} · ${first.value.project} · ${day} counts nothing and nothing backs it`).join('')
    expect(text.stdout).toMatch(/✗ Rollups +\d+ day rollups against the records and \d+ logged facts, \d+ setup totals, \d+ project days and \d+ outcome days against the rollups: \d+ number\(s\) drifted\n/)
    expect(text.stdout).toContain(`: ${String(drift.length)} number(s) drifted${listed}\n    … and ${String(drift.length - 20)} more (--json lists every one)\n    agent-tracker doctor --repair rewrites them from what backs them (the records and the fact log).\n`)
  })

  it('takes no team URL for --db: it checks this machine\'s database (and the team one it syncs to)', async () => {
    for (const args of [['doctor'], ['doctor', '--repair']]) {
      const refused = await runCli([...args, '--db', 'postgres://team@127.0.0.1:1/agents', '--json'])
      expect(refused.code).toBe(2)
      expect(jsonError(refused.stdout)).toMatchObject({ code: 'USAGE', message: expect.stringContaining('give --db a local path, and the team URL there') as unknown })
    }
  })

  it('expands a quoted ~/ database path to the home folder and rejects ~user, creating no ~ folder', async () => {
    const home = tempFolder('home-')
    const work = tempFolder('work-')
    const ok = await runCli(['doctor', '--db', '~/tracker.lmdb', '--json'], { home, cwd: work })
    expect(jsonData(ok.stdout, 'doctor')).toMatchObject({ checks: expect.arrayContaining([{ name: 'Database', ok: true, level: 'ok', detail: `${join(home, 'tracker.lmdb')} (from --db)` }]) as unknown[] })
    const bad = await runCli(['doctor', '--db', '~bob/tracker.lmdb'], { home, cwd: work })
    expect(bad.code).toBe(1)
    expect(bad.stdout).toContain('✗ Database  Invalid database path "~bob/tracker.lmdb": "~user" paths are not supported.')
    const status = await runCli(['status', '--db', '~bob/tracker.lmdb'], { home, cwd: work })
    expect(status.code).not.toBe(0)
    expect(status.stderr).toContain('"~user" paths are not supported')
    expect(readdirSync(work)).toEqual([])
  })

  it('says a relative path on the command line is taken from the working folder, and a relative databasePath from the home folder', async () => {
    const home = tempFolder('home-')
    const work = tempFolder('work-')
    const accepted = 'Accepted are "~" or "~/..." (the home folder), an absolute path, or a path relative to'
    const init = await runCli(['init', '--database-path', '~bob/x.lmdb'], { home, cwd: work })
    expect(init.code).toBe(2)
    expect(init.stderr).toContain(`Invalid database path "~bob/x.lmdb": "~user" paths are not supported. ${accepted} the working folder.`)
    expect(readdirSync(work)).toEqual([])
    const status = await runCli(['status', '--db', '~bob/x.lmdb'], { home, cwd: work })
    expect(status.stderr).toContain(`${accepted} the working folder.`)
    const doctor = await runCli(['doctor', '--db', '~bob/x.lmdb'], { home, cwd: work })
    expect(doctor.stdout).toContain(`${accepted} the working folder.`)
    // The plugin's databasePath and AGENT_TRACKER_DB are taken from the home folder.
    writeFileSync(join(work, 'opencode.json'), JSON.stringify({ plugin: [['@agent-tracker/opencode-plugin', { databasePath: '~bob/x.lmdb' }]] }))
    expect((await runCli(['doctor'], { home, cwd: work })).stdout).toContain(`${accepted} the home folder`)
    expect((await runCli(['status'], { home, cwd: work, env: { AGENT_TRACKER_DB: '~bob/x.lmdb' } })).stderr).toContain(`Invalid AGENT_TRACKER_DB "~bob/x.lmdb": "~user" paths are not supported. ${accepted} the home folder.`)
  })

  it('adds the plugin to opencode.json without clobbering the rest, once', async () => {
    const project = tempFolder('oc-')
    const config = '{\n  // my settings\n  "$schema": "https://opencode.ai/config.json",\n  "model": "anthropic/claude-sonnet-4-5",\n  "plugin": ["opencode-wakatime"],\n}\n'
    writeFileSync(join(project, 'opencode.jsonc'), config)
    const first = await runCli(['init'], { cwd: project })
    expect(first.code).toBe(0)
    const updated = readFileSync(join(project, 'opencode.jsonc'), 'utf8')
    expect(updated).toContain('// my settings')
    expect(updated).toContain('"model": "anthropic/claude-sonnet-4-5"')
    expect(updated).toMatch(/"plugin": \[\s*"opencode-wakatime",\s*"@agent-tracker\/opencode-plugin"\s*\]/)
    expect((await runCli(['init'], { cwd: project })).stdout).toContain('is already in')
    expect(readFileSync(join(project, 'opencode.jsonc'), 'utf8')).toBe(updated)
  })

  it("keeps the plugin entry's pinned version or local path when it adds options", async () => {
    for (const spec of ['@agent-tracker/opencode-plugin@0.1.0', 'file:///home/me/agent-tracker/packages/opencode-plugin']) {
      const project = tempFolder('oc-')
      mkdirSync(join(project, '.git'))
      writeFileSync(join(project, 'opencode.json'), JSON.stringify({ plugin: [spec] }))
      const added = await runCli(['init', '--max-size', '1GiB', '--database-path', 'tracker.lmdb'], { cwd: project })
      expect(added.code).toBe(0)
      const options = { databasePath: join(project, 'tracker.lmdb'), maxDatabaseSize: 1073741824 }
      expect(JSON.parse(readFileSync(join(project, 'opencode.json'), 'utf8'))).toEqual({ plugin: [[spec, options]] })
      expect((await runCli(['init', '--max-size', '2GiB'], { cwd: project })).code).toBe(0)
      expect(JSON.parse(readFileSync(join(project, 'opencode.json'), 'utf8'))).toEqual({ plugin: [[spec, { ...options, maxDatabaseSize: 2147483648 }]] })
    }
  })

  it('creates a global config with plugin options, and refuses to touch an invalid one', async () => {
    const home = tempFolder('home-')
    const made = await runCli(['init', '--global', '--database-path', '~/tracker.lmdb', '--max-size', '1GiB'], { home })
    expect(made.code).toBe(0)
    const global = JSON.parse(readFileSync(join(home, '.config', 'opencode', 'opencode.json'), 'utf8')) as { plugin: unknown[] }
    expect(global.plugin).toEqual([['@agent-tracker/opencode-plugin', { databasePath: '~/tracker.lmdb', maxDatabaseSize: 1073741824 }]])
    const broken = tempFolder('oc-')
    writeFileSync(join(broken, 'opencode.json'), '{ "plugin": [ }')
    const refused = await runCli(['init'], { cwd: broken })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('is not a valid OpenCode config')
    expect(readFileSync(join(broken, 'opencode.json'), 'utf8')).toBe('{ "plugin": [ }')
    expect((await runCli(['init', '--max-size', '3GiB'], { cwd: tempFolder() })).code).toBe(2)
  })

  it('--remove takes away the config init made and left holding nothing else, and keeps one the user wrote', async () => {
    const home = tempFolder('home-')
    const file = join(home, '.config', 'opencode', 'opencode.json')
    expect((await runCli(['init', '--global'], { home })).code).toBe(0)
    const removed = await runCli(['init', '--global', '--remove', '--json'], { home })
    expect(jsonData(removed.stdout, 'init')).toMatchObject({ removed: true, removedFrom: [file], filesRemoved: [file] })
    expect(existsSync(file)).toBe(false)
    // Written by the user (its own layout, a setting of theirs): only the plugin goes.
    writeFileSync(file, '{ "$schema": "https://opencode.ai/config.json", "plugin": ["@agent-tracker/opencode-plugin"] }\n')
    const kept = await runCli(['init', '--global', '--remove'], { home })
    expect(kept.stdout).not.toContain(`Removed ${file}:`)
    expect(readFileSync(file, 'utf8')).toBe('{ "$schema": "https://opencode.ai/config.json" }\n')
  })

  it('edits a config that starts with a byte-order mark, keeping the mark byte for byte', async () => {
    const project = tempFolder('oc-')
    const file = join(project, 'opencode.json')
    const body = '{\n  "$schema": "https://opencode.ai/config.json"\n}\n'
    writeFileSync(file, `\uFEFF${body}`)
    const added = await runCli(['init'], { cwd: project })
    expect(added.stderr).toBe('')
    expect(added.code).toBe(0)
    const bytes = readFileSync(file)
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(bytes.subarray(3).toString('utf8')).toBe('{\n  "$schema": "https://opencode.ai/config.json",\n  "plugin": ["@agent-tracker/opencode-plugin"]\n}\n')
    expect((await runCli(['init'], { cwd: project })).stdout).toContain('is already in')
    const removed = await runCli(['init', '--remove'], { cwd: project })
    expect(removed.code).toBe(0)
    expect(readFileSync(file, 'utf8')).toBe(`\uFEFF${body}`)
  })

  it('names a config it cannot read or write and why, changing nothing', async () => {
    // A folder in the config's place: as a file without read permission is for a user other than root, reading it fails.
    const project = tempFolder('oc-')
    mkdirSync(join(project, 'opencode.json'))
    for (const args of [['init'], ['init', '--remove']]) {
      const refused = await runCli(args, { cwd: project })
      expect(refused.code, args.join(' ')).toBe(1)
      expect(refused.stderr).toBe(`error: Cannot read ${join(project, 'opencode.json')}: it is a folder; nothing was changed.\n`)
    }
    const doctor = await runCli(['doctor'], { cwd: project })
    expect(doctor.stdout).toContain(`${join(project, 'opencode.json')} cannot be read (it is a folder)`)
    // A file where the global config folder would be made: writing the new config fails.
    const home = tempFolder('home-')
    writeFileSync(join(home, '.config'), '')
    const global = await runCli(['init', '--global'], { home })
    expect(global.code).toBe(1)
    expect(global.stderr).toBe(`error: Cannot create ${join(home, '.config', 'opencode', 'opencode.json')}: a part of its path is a file, not a folder; nothing was changed.\n`)
  })
})

describe('faults', () => {
  it('reports an unreadable database clearly, survives, and leaves the file untouched', async () => {
    const folder = tempFolder()
    const db = join(folder, 'broken.lmdb')
    writeFileSync(db, Buffer.alloc(8192, 0xab))
    for (const args of [['status'], ['report'], ['grade', SONNET, 'abcd', '--user', 'good']]) {
      const { code, stderr } = await runCli([...args, '--db', db])
      expect(code).toBe(1)
      expect(stderr).toContain(`The agent-tracker database ${db} is unreadable: it is not an LMDB database file.`)
      expect(stderr).toContain('Run agent-tracker doctor --deep to see where; then restore a backup, or copy everything still readable into a new database with agent-tracker doctor --salvage <new-file> and use that (--db or AGENT_TRACKER_DB).')
      expect(stderr).not.toContain('databasePath')
    }
    const doctor = await runCli(['doctor', '--db', db])
    expect(doctor.code).toBe(1)
    expect(doctor.stdout).toMatch(new RegExp(`✗ File +${db} is unreadable: it is not an LMDB database file`))
    expect(readFileSync(db)).toEqual(Buffer.alloc(8192, 0xab))
  })

  it('names a file of another kind given as the database for what it is, and marks, salvages or leaves nothing beside it', async () => {
    const folder = tempFolder()
    const db = join(folder, 'settings.json')
    const content = `${JSON.stringify({ plugin: ['agent-tracker'] }, null, 2)}\n`
    writeFileSync(db, content)
    const read = await runBuiltCli(['report', '--db', db])
    expect(read.code).toBe(1)
    expect(read.stderr).toContain(`The agent-tracker database ${db} is unreadable: it is a text file, not an agent-tracker database. Nothing was opened or changed. Move the file aside, or point --db (or AGENT_TRACKER_DB) at another database.`)
    expect(read.stderr).not.toContain('salvage')
    const deep = await runBuiltCli(['doctor', '--deep', '--db', db])
    expect(deep.code).toBe(1)
    expect(deep.stdout).toContain(`${db} cannot be checked: it is a text file, not an agent-tracker database. Nothing was marked or changed`)
    const salvage = await runBuiltCli(['doctor', '--salvage', join(folder, 'new.lmdb'), '--db', db])
    expect(salvage.code).toBe(2)
    expect(salvage.stderr).toContain(`${db} cannot be salvaged: it is a text file, not an agent-tracker database. Nothing was read or changed`)
    expect(readdirSync(folder)).toEqual(['settings.json'])
    expect(readFileSync(db, 'utf8')).toBe(content)
  })

  it('salvages nothing from an empty file or an empty folder, and says there is no database there', async () => {
    const folder = tempFolder()
    const empty = join(folder, 'empty.lmdb')
    writeFileSync(empty, '')
    const file = await runCli(['doctor', '--db', empty, '--salvage', join(folder, 'es.lmdb')])
    expect(file.code).toBe(1)
    expect(file.stderr).toBe(`error: There is no database at ${empty} to salvage: ${empty} is empty, which is no database yet (the first write makes one there). Nothing was read or changed.\n`)
    const emptyFolder = join(folder, 'db')
    mkdirSync(emptyFolder)
    const inFolder = await runCli(['doctor', '--db', emptyFolder, '--salvage', join(folder, 'fs.lmdb')])
    expect(inFolder.code).toBe(1)
    expect(inFolder.stderr).toBe(`error: There is no database at ${emptyFolder} to salvage.\n`)
    expect(readdirSync(folder).sort()).toEqual(['db', 'empty.lmdb'])
    expect(readFileSync(empty, 'utf8')).toBe('')
  })

  it('refuses a check, a repair or a folder given beside --salvage, which would be passed over, and salvages nothing', async () => {
    const { db } = await seedHistory()
    const folder = tempFolder()
    const target = join(folder, 'new.lmdb')
    const both = await runCli(['doctor', '--db', db, '--salvage', target, '--check', '--deep'])
    expect(both.code).toBe(2)
    expect(both.stderr).toBe(`error: --salvage runs on its own, so --check, --deep would be passed over: run doctor --salvage ${target} alone, then check the new database with agent-tracker doctor --check --db ${target}.\n`)
    const withFolder = await runCli(['doctor', folder, '--db', db, '--salvage', target, '--repair'])
    expect(withFolder.code).toBe(2)
    expect(withFolder.stderr).toContain(`so --repair, the folder ${folder} would be passed over`)
    expect(existsSync(target)).toBe(false)
    const proc = await runBuiltCli(['doctor', '--db', db, '--salvage', '/proc/salvaged.lmdb'])
    expect(proc.code).toBe(1)
    expect(proc.stderr).toMatch(/^error: --salvage \/proc\/salvaged\.lmdb: the new database cannot be made there \(.+\)\. Give a path in a folder you can write to; nothing was written\.\n$/)
    for (const given of ['--db', '']) {
      const bad = await runCli(['doctor', '--salvage', given, '--db', db])
      expect(bad.code).toBe(2)
      expect(bad.stderr).toContain('--salvage takes the path of the new database to copy into')
    }
  })

  it('names a device or a named pipe given as --db, for reads and writes, instead of "no data yet" or waiting for a writer', async () => {
    const pipe = join(tempFolder(), 'pipe.lmdb')
    execFileSync('mkfifo', [pipe])
    for (const [db, kind] of [['/dev/null', 'a character device'], [pipe, 'a named pipe']] as const) {
      for (const args of [['agents'], ['grade', 'build@x/y', 'abc1234', '--user', 'good']]) {
        const { code, stderr } = await runBuiltCli([...args, '--db', db])
        expect(code).toBe(1)
        expect(stderr).toContain(`The agent-tracker database ${db} is unreadable: it is ${kind}, not a database file.`)
      }
    }
  })

  it('makes no database when it fails: a merge of no database, an activity for no setup, an ingest of nothing usable', async () => {
    const folder = tempFolder()
    const db = (name: string): string => join(folder, `${name}.lmdb`)
    const merge = await runCli(['merge', join(folder, 'nothere.lmdb'), '--db', db('merge')])
    expect(merge.code).toBe(1)
    const activity = await runCli(['activity', 's@p/m', '--task', 'x', '--db', db('activity')])
    expect(activity.code).toBe(1)
    expect(activity.stderr).toContain('There is no agent-tracker database at')
    const ingest = await runCli(['ingest', '--db', db('ingest')], { input: 'garbage\n' })
    expect(ingest.code).toBe(1)
    expect(ingest.stdout + ingest.stderr).toContain('line 1')
    expect(readdirSync(folder)).toEqual([])
  })

  it('doctor names a database path where none can be made as a problem, and a deep check of none as nothing to check', async () => {
    const folder = tempFolder()
    writeFileSync(join(folder, 'notes.txt'), 'mine')
    const text = join(folder, 'text.lmdb')
    writeFileSync(text, 'not a folder')
    const crowded = await runCli(['doctor', '--db', folder])
    expect(crowded.code).toBe(1)
    expect(crowded.stdout).toContain(`✗ File`)
    expect(crowded.stdout).toContain(`no database yet, and none can be made there: ${folder} is a folder with other files in it.`)
    const under = await runCli(['doctor', '--db', join(text, 'sub.lmdb')])
    expect(under.code).toBe(1)
    expect(under.stdout).toContain(`${text} is a file, where a folder of the path should be`)
    const deep = await runCli(['doctor', '--deep', '--db', join(folder, 'absent.lmdb')])
    expect(deep.code).toBe(0)
    expect(deep.stdout).toMatch(/! Deep check +there is no database at .*absent\.lmdb yet, so there is nothing to check/)
    expect(readdirSync(folder).sort()).toEqual(['notes.txt', 'text.lmdb'])
  })

  it('says there is no data yet, and what to do, when there is no database (exit 0, nothing created)', async () => {
    const db = join(tempFolder(), 'none.lmdb')
    const { code, stdout, stderr } = await runCli(['agents', '--db', db])
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
    expect(stdout).toContain(`No data yet: there is no agent-tracker database at ${db}.`)
    expect(existsSync(db)).toBe(false)
  })

  it('rejects an out-of-range size limit (exit 2)', async () => {
    const { code, stderr } = await runCli(['bug', SONNET, '--db', join(tempFolder(), 'x.lmdb'), '--max-size', '4GiB'])
    expect(code).toBe(2)
    expect(stderr).toContain('Invalid --max-size "4GiB": accepted are sizes from 1.0 MiB to 2.0 GiB, like 512MiB; the default is 512.0 MiB.')
    const fromEnvironment = await runCli(['bug', SONNET, '--db', join(tempFolder(), 'x.lmdb')], { env: { AGENT_TRACKER_MAX_SIZE: '10' } })
    expect(fromEnvironment.code).toBe(2)
    expect(fromEnvironment.stderr).toContain('Invalid AGENT_TRACKER_MAX_SIZE "10": accepted are sizes from 1.0 MiB')
    expect(stderr + fromEnvironment.stderr).not.toContain('maxDatabaseSize')
  })

  it('reads, and doctor diagnoses, under a bad AGENT_TRACKER_MAX_SIZE; only writes refuse it', async () => {
    const { db } = await seedHistory()
    const env = { AGENT_TRACKER_MAX_SIZE: 'lots' }
    expect((await runCli(['agents', '--db', db], { env })).code).toBe(0)
    const doctor = await runCli(['doctor', '--db', db, '--json'], { env })
    expect(doctor.code).toBe(1)
    const checks = (jsonData(doctor.stdout, 'doctor') as { checks: { name: string; level: string; detail: string }[] }).checks
    expect(checks[0]).toMatchObject({ name: 'Size limit', level: 'problem', detail: expect.stringContaining('Invalid AGENT_TRACKER_MAX_SIZE "lots"') as unknown })
    expect(checks.find((check) => check.name === 'Size')).toMatchObject({ level: 'ok', detail: expect.stringContaining('of the 512.0 MiB limit') as unknown })
    expect((await runCli(['bug', SONNET, '--db', db], { env })).code).toBe(2)
    // An explicit --max-size stays the command line's own mistake.
    expect((await runCli(['doctor', '--db', db, '--max-size', 'lots'])).code).toBe(2)
  })

  it('says how to get room in its own words when the database is full, and keeps what was stored', async () => {
    const db = join(tempFolder(), 'small.lmdb')
    const small = factLine({ kind: 'activity', setup: SONNET, project: '/w/app', task: 'small' })
    expect((await runCli(['ingest', '--db', db, '--max-size', '1MiB'], { input: small })).code).toBe(0)
    // Six notes of 200 kB: each is accepted alone, together they pass the limit.
    const huge = Array.from({ length: 6 }, (_, n) => factLine({ kind: 'activity', setup: SONNET, project: '/w/app', task: `${String(n)}${'x'.repeat(200_000)}` })).join('\n')
    const { code, stderr } = await runCli(['ingest', '--db', db, '--max-size', '1MiB'], { input: huge })
    expect(code).toBe(1)
    expect(stderr).toMatch(/(reached its size limit|has no room within its size limit for this batch of about .*): .* used of 1\.0 MiB\. This batch was not written; everything already stored is intact\. Raise the limit with --max-size or AGENT_TRACKER_MAX_SIZE \(up to 2\.0 GiB\)\. Lines 1–(\d) are stored\. Fix this and run the same input again/)
    expect(stderr).not.toContain('maxDatabaseSize')
    // What fitted of the six is stored, and said: the small note and as many large ones as the stderr names.
    const stored = Number(/Lines 1–(\d) are stored/.exec(stderr)?.[1])
    expect(stored).toBeGreaterThanOrEqual(1)
    expect((jsonData((await runCli(['activity', '--db', db, '--json'])).stdout, 'activity') as { entries: unknown[] }).entries).toHaveLength(1 + stored)
  })
})

describe('grading a commit a rebase copied', () => {
  /** A repository whose feature commit a host recorded, then rebased onto a newer main by the user: the recorded hash and the copy's. */
  function rebased(): { repo: string; recorded: string; copy: string } {
    const repo = tempFolder('rebased-')
    const git = (command: string): string => execFileSync('sh', ['-c', command], { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'A', GIT_AUTHOR_EMAIL: 'a@example.com', GIT_COMMITTER_NAME: 'A', GIT_COMMITTER_EMAIL: 'a@example.com' } }).trim()
    git("git init -q -b main && echo base > base.txt && git add base.txt && git commit -q -m 'chore: base'")
    git("git checkout -q -b feature && echo cart > cart.txt && git add cart.txt && git commit -q -m 'feat: cart'")
    const recorded = git('git rev-parse HEAD')
    git("git checkout -q main && echo more >> base.txt && git commit -q -am 'chore: more' && git checkout -q feature && git rebase -q main")
    return { repo, recorded, copy: git('git rev-parse HEAD') }
  }

  it('grades, blames and lists the recorded commit when given the hash git log shows after a rebase, and says so', async () => {
    const { repo, recorded, copy } = rebased()
    const db = join(tempFolder(), 'rebased.lmdb')
    const input = [
      factLine({ setup: SONNET, project: repo, kind: 'commit', hash: recorded, message: 'feat: cart', at: new Date().toISOString() }),
      factLine({ setup: GPT, project: repo, kind: 'commit', hash: 'c0ffee0000000000000000000000000000000000', message: 'feat: other', at: new Date().toISOString() }),
    ].join('\n')
    expect((await runCli(['ingest', '--db', db], { input })).code).toBe(0)
    // Outside the repository, git cannot say what the copy is: the hash is unknown, as before.
    const elsewhere = await runCli(['grade', SONNET, copy.slice(0, 10), '--user', 'good', '--trust', '--db', db], { cwd: tempFolder() })
    expect(elsewhere.code).toBe(1)
    expect(elsewhere.stderr).toContain(`No commit "${copy.slice(0, 10)}" is recorded for ${SONNET}.`)
    const graded = await runCli(['grade', SONNET, copy.slice(0, 10), '--user', 'good', '--trust', '--db', db], { cwd: repo })
    expect([graded.code, graded.stderr]).toEqual([0, ''])
    expect(graded.stdout).toMatch(new RegExp(`^${copy.slice(0, 8)} is a rebased copy of ${recorded.slice(0, 8)}, the commit recorded \\(the same change\\)\\.\\nGraded ${recorded.slice(0, 8)} \\(feat: cart\\) of build@anthropic/claude-sonnet-4-5: user good\\.`))
    const bug = jsonData((await runCli(['bug', SONNET, '--commit', copy, '--db', db, '--json'], { cwd: repo })).stdout, 'bug') as { commit: string; rebased: { copy: string; because: string } }
    expect([bug.commit, bug.rebased]).toEqual([recorded, { copy, because: 'same-change' }])
    const listed = jsonData((await runCli(['retro', SONNET, '--commit', copy, '--db', db, '--json'], { cwd: repo })).stdout, 'retro') as { entries: { commit: string; userGrade: number }[] }
    expect(listed.entries.map((entry) => [entry.commit, entry.userGrade])).toEqual([[recorded, 2]])
    // Another setup's commit is not taken for it, however alike.
    const other = await runCli(['grade', GPT, copy, '--user', 'good', '--trust', '--db', db], { cwd: repo })
    expect(other.code).toBe(1)
    expect(other.stderr).toContain(`No commit "${copy}" is recorded for ${GPT}.`)
  })
})
