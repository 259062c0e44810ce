import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { predecessorCentralHistory, writePredecessorCentralDatabase } from '@agent-tracker/predecessor'
import { beforeAll, describe, expect, it } from 'vitest'
import { runCli, tempFolder } from './run-cli.js'

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
    expect(lines[0]).toBe(`error ${database} is the central database of agent-tracker's predecessor, opencode-agent-tracker (sub-databases activities, agents, commits, communication, migrations, projects, retrospectives), not an agent-tracker database; nothing was changed. Run \`agent-tracker upgrade\` to move it aside and import everything it holds (see what would move with --dry-run), or point --db at another database.`)
    expect(bytesOf(database)).toBe(fingerprint)
  })

  it('says so as JSON with --json', async () => {
    const { code, stdout } = await runCli(['agents', '--json'], { home })
    expect(code).toBe(1)
    expect(JSON.parse(stdout)).toMatchObject({ error: { code: 'NOT_AGENT_TRACKER_DATABASE', message: expect.stringContaining('agent-tracker upgrade') as unknown } })
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
