import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { historyCounts, predecessorCentralHistory, writePredecessorCentralDatabase } from '@agent-tracker/predecessor'
import { beforeAll, describe, expect, it } from 'vitest'
import { jsonData, jsonError, runCli, tempFolder } from './run-cli.js'

/** A home whose default database path holds the predecessor's central database, as its last release left it. */
let home: string
let database: string
let fingerprint: string

function bytesOf(path: string): string {
  return [path, `${path}-lock`].map((file) => (existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : 'absent')).join(' ')
}

beforeAll(() => {
  home = tempFolder('home-')
  database = join(home, '.config', 'opencode', 'agent-tracker.lmdb')
  expect(writePredecessorCentralDatabase(database, predecessorCentralHistory()).available).toBe(true)
  fingerprint = bytesOf(database)
})

const READS = [['status'], ['agents'], ['report'], ['history', 'build'], ['projects'], ['retro'], ['activity'], ['search', 'cart', 'totals'], ['recommend'], ['export', '--format', 'json']]
const WRITES = [['grade', 'build', 'abc1234', '--user', 'good'], ['bug', 'build'], ['reinstate', 'build'], ['ingest']]

describe('a predecessor\'s central database at the default path', () => {
  it.each([...READS, ...WRITES])('agent-tracker %s exits 1 with one line saying what is there and what to do, and changes nothing', async (...args) => {
    const { code, stdout, stderr } = await runCli(args, { home })
    expect(code).toBe(1)
    expect(stdout).toBe('')
    const lines = stderr.trimEnd().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toBe(`error: ${database} is the central database of agent-tracker's predecessor, opencode-agent-tracker (sub-databases activities, agents, commits, communication, migrations, projects, retrospectives), not an agent-tracker database; nothing was changed. Run \`agent-tracker upgrade\` to move it aside and import everything it holds (see what would move with --dry-run), or point --db at another database.`)
    expect(bytesOf(database)).toBe(fingerprint)
  })

  it('says so as JSON with --json', async () => {
    const { code, stdout } = await runCli(['agents', '--json'], { home })
    expect(code).toBe(1)
    expect(jsonError(stdout)).toMatchObject({ code: 'NOT_AGENT_TRACKER_DATABASE', message: expect.stringContaining('agent-tracker upgrade') as unknown })
    expect(bytesOf(database)).toBe(fingerprint)
  })

  it('is refused by migrate and merge too, which would otherwise write into it', async () => {
    const project = join(tempFolder(), 'shop')
    mkdirSync(join(project, '.journal'), { recursive: true })
    for (const args of [['migrate', project], ['merge', join(tempFolder(), 'other.lmdb')]]) {
      const { code, stderr } = await runCli(args, { home })
      expect(code).toBe(1)
      expect(stderr).toContain('not an agent-tracker database; nothing was changed.')
    }
    expect(bytesOf(database)).toBe(fingerprint)
  })
})

describe('doctor', () => {
  it('names the predecessor\'s database as what it is, finds problems, and changes nothing', async () => {
    const { code, stdout } = await runCli(['doctor'], { home })
    expect(code).toBe(1)
    expect(stdout).toMatch(new RegExp(`✗ Format +${database} is the central database of agent-tracker's predecessor`))
    expect(stdout).toContain('Run `agent-tracker upgrade`')
    expect(stdout).not.toContain('All good')
    expect(bytesOf(database)).toBe(fingerprint)
  })
})

describe('agent-tracker upgrade', () => {
  it('has nothing to upgrade where there is no database, and tells an empty file from no file', async () => {
    const folder = tempFolder()
    const none = join(folder, 'none.lmdb')
    expect((await runCli(['upgrade', '--db', none])).stdout).toBe(`Nothing to upgrade: ${none} is not there yet (it is created on the first write).\n`)
    const empty = join(folder, 'empty.lmdb')
    writeFileSync(empty, '')
    const run = await runCli(['upgrade', '--db', empty])
    expect(run).toMatchObject({ code: 0, stdout: `Nothing to upgrade: ${empty} is an empty file (a database is made in it on the first write).\n` })
  })

  it('says on --dry-run what would be imported and where the old database would be kept, and changes nothing', async () => {
    const { code, stdout } = await runCli(['upgrade', '--dry-run'], { home })
    expect(code).toBe(0)
    expect(stdout).toContain(`${database} is the central database of agent-tracker's predecessor (opencode-agent-tracker). An upgrade would import:`)
    expect(stdout).toMatch(/ +18 commits → commits\n/)
    expect(stdout).toMatch(new RegExp(`and keep the old database, unchanged, as ${database}\\.predecessor-\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}Z\\. Nothing was changed`))
    expect(bytesOf(database)).toBe(fingerprint)
  })

  it('imports every record, then the read commands work and a second upgrade has nothing to do', async () => {
    const copy = tempFolder('home-')
    const path = join(copy, '.config', 'opencode', 'agent-tracker.lmdb')
    mkdirSync(join(path, '..'), { recursive: true })
    copyFileSync(database, path)
    const upgraded = await runCli(['upgrade', '--timezone', 'UTC', '--json'], { home: copy })
    expect(upgraded.code).toBe(0)
    const outcome = jsonData(upgraded.stdout, 'upgrade') as { status: string; report: { read: Record<string, number> } }
    expect(outcome.status).toBe('upgraded')
    expect(outcome.report.read).toEqual(historyCounts(predecessorCentralHistory()))
    const agents = await runCli(['agents', '--json'], { home: copy })
    expect(agents.code).toBe(0)
    expect((jsonData(agents.stdout, 'agents') as unknown[]).length).toBe(3)
    const again = await runCli(['upgrade'], { home: copy })
    expect(again.stdout).toMatch(/^Nothing to upgrade: .* was upgraded from the predecessor's database on /)
    const doctor = await runCli(['doctor'], { home: copy })
    expect(doctor.stdout).toMatch(/Migrations +\d+ recorded; times without a zone read as UTC/)
  })

  it('keeps one copy of a zone-less journal entry when the kept old database is merged in another time zone', async () => {
    const folder = tempFolder()
    const path = join(folder, 'central.lmdb')
    const activity = { timestamp: '2026-02-20T18:05:00', task: 'zone-less', actions: 'a', outcome: 'o', decisions: 'd' }
    expect(writePredecessorCentralDatabase(path, { agents: [['build', { id: 'build', name: 'build', skill_points: 2 }]], activities: [['build:2026-02-20T18:05:00', activity]] }).available).toBe(true)
    expect((await runCli(['upgrade', '--db', path, '--timezone', 'UTC'])).code).toBe(0)
    const kept = readdirSync(folder).find((name) => name.startsWith('central.lmdb.predecessor-'))
    expect(kept).toBeDefined()
    expect((await runCli(['merge', join(folder, kept ?? ''), '--db', path, '--timezone', 'Europe/Stockholm'])).code).toBe(0)
    const listed = await runCli(['activity', '--json', '--db', path])
    expect((jsonData(listed.stdout, 'activity') as { entries: { at: string }[] }).entries.map((entry) => entry.at)).toEqual(['2026-02-20T18:05:00.000Z'])
  })
})

describe('the predecessor\'s database merged after an upgrade', () => {
  it('adds nothing again: not the file upgrade kept aside, nor a copy of it elsewhere', async () => {
    const folder = tempFolder('merge-after-upgrade-')
    const central = join(folder, 'central.lmdb')
    const elsewhere = join(folder, 'laptop-copy.lmdb')
    copyFileSync(database, central)
    copyFileSync(database, elsewhere)
    expect((await runCli(['upgrade', '--db', central, '--timezone', 'UTC'])).code).toBe(0)
    const scores = async (): Promise<unknown> => jsonData((await runCli(['agents', '--db', central, '--json'])).stdout, 'agents')
    const before = await scores()
    const kept = readdirSync(folder).find((name) => name.startsWith('central.lmdb.predecessor-'))
    expect(kept).toBeDefined()
    for (const source of [join(folder, kept ?? ''), elsewhere]) {
      const merged = await runCli(['merge', source, '--db', central, '--timezone', 'UTC'])
      expect([source, merged.code]).toEqual([source, 0])
      expect([source, await scores()]).toEqual([source, before])
    }
    expect((await runCli(['doctor', '--check', '--db', central])).code).toBe(0)
  })
})
