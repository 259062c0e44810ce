import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Fact } from '@agent-tracker/core'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { describe, expect, it } from 'vitest'
import { jsonData, runBuiltCli } from './run-cli.js'
import { GPT, SONNET, seedHistory } from './seed.js'

/** Another process writing tool calls and commits into a database, a few at a time, until a file appears; it prints `writing` once it has. */
const WRITER = `
import { existsSync } from 'node:fs'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
const [db, project, stop] = process.argv.slice(1)
const store = openLmdbStore({ databasePath: db })
let n = 0
while (!existsSync(stop)) {
  const facts = []
  for (let i = 0; i < 10; i++, n++) {
    const base = { id: 'writer-' + n, at: new Date(Date.UTC(2026, 2, 9, 9) + n * 1000).toISOString(), setup: '${SONNET}', project }
    facts.push(n % 5 === 0 ? { ...base, kind: 'commit', hash: n.toString(16).padStart(8, 'c'), message: 'more' } : { ...base, kind: 'tool_call', tool: 'bash', ok: n % 3 !== 0 })
  }
  await store.applyFacts(facts)
  if (n === 10) process.stdout.write('writing\\n')
  await new Promise((resolve) => setTimeout(resolve, 2))
}
await store.close()
`

/** The CLI package's folder: the writer resolves the workspace's packages from there. */
const PACKAGE = fileURLToPath(new URL('..', import.meta.url))

type Doctor = { healthy: boolean; problems: number; findings: number; checks: { name: string; level: string; detail: string; dangling?: unknown; drift?: unknown }[] }

const PHANTOM = 'deadbeef'.repeat(5)
const REPLACED = '0123abcd'.repeat(5)
const AMENDED = 'cafef00d'.repeat(5)
const LOST = 'abad1dea'.repeat(5)

/** The doctor's check called `name`, from a `--json` run. */
function checkOf(stdout: string, name: string): Doctor['checks'][number] | undefined {
  return (jsonData(stdout, 'doctor') as Doctor).checks.find((entry) => entry.name === name)
}

describe('doctor --check: records that name a commit no commit record holds', () => {
  it('finds none in a database whose grades, reviews and bugs name recorded commits', async () => {
    const { db, root } = await seedHistory()
    const text = await runBuiltCli(['doctor', '--check', '--db', db], { cwd: root })
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/✓ Commits +\d+ commit references of retrospectives, grade events and bugs checked: each names a commit recorded in its project\n/)
    const json = await runBuiltCli(['doctor', '--check', '--db', db, '--json'], { cwd: root })
    expect(checkOf(json.stdout, 'Commits')).toMatchObject({ level: 'ok', dangling: { records: { retrospectives: 0, gradeEvents: 0, bugs: 0 }, references: [], unlisted: 0 } })
  })

  it('names each one — kind, project, setup, hash, how many, the commit it likely is — as a finding: exit 0, and the rollups agree', async () => {
    const { db, root, shop, api } = await seedHistory()
    const at = (minute: number): string => new Date(Date.UTC(2026, 2, 3, 9, minute)).toISOString()
    const fact = (minute: number, rest: Record<string, unknown>): Fact => ({ id: `dangling-${String(minute)}`, at: at(minute), setup: SONNET, project: shop, ...rest }) as Fact
    const store = openLmdbStore({ databasePath: db })
    await store.applyFacts([
      // Written through the store without the door's check, as older merges did: grades and a bug of a commit never recorded.
      fact(1, { kind: 'grade', commit: PHANTOM, by: 'user', userGrade: 5 }),
      fact(2, { kind: 'grade', commit: PHANTOM, by: 'agent', agentGrade: 2, channel: 'agent-tool' }),
      fact(3, { kind: 'bug', by: 'user', commit: LOST, note: 'lost its commit', setup: GPT, project: api }),
      // A grade stamped before its commit (another machine's clock) is not among what an amend of the commit moves.
      fact(10, { kind: 'commit', hash: REPLACED, message: 'first try' }),
      fact(4, { kind: 'grade', commit: REPLACED, by: 'agent', agentGrade: 1, channel: 'agent-tool' }),
      fact(11, { kind: 'commit', hash: AMENDED, message: 'first try, amended', amends: REPLACED }),
      // A bug by the short hash of a commit recorded by its full one, as ingest stored one before it wrote such hashes out.
      fact(20, { kind: 'bug', by: 'user', commit: '5a1b0c0', note: 'short hash' }),
    ])
    await store.close()

    const text = await runBuiltCli(['doctor', '--check', '--db', db], { cwd: root })
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/✓ Rollups +\d+ day rollups against the records and \d+ logged facts, \d+ setup totals, \d+ project days and \d+ outcome days against the rollups: no drift\n/)
    expect(text.stdout).toContain([
      '! Commits      1 retrospective, 3 grade events, 2 bugs name a commit that no commit record of their project holds:',
      `    ${api} · ${GPT} · ${LOST}: 1 bug`,
      `    ${shop} · ${SONNET} · ${REPLACED}: 1 grade event — replaced by cafef00d (git commit --amend)`,
      `    ${shop} · ${SONNET} · 5a1b0c0: 1 bug — the short form of 5a1b0c0ffee`,
      `    ${shop} · ${SONNET} · ${PHANTOM}: 1 retrospective, 2 grade events`,
      '    They still count, by setup, project and day (report, recommend, scores, the rollups), but belong to no recorded commit: grade, retro --note and bug --commit cannot name it, search shows no commit message for them, and an amend will not move them. Nothing is miscounted; nothing needs repair.',
    ].join('\n'))
    expect(text.stdout).toMatch(/Nothing is broken; \d+ things? to look at \(! above\)\./)

    const json = await runBuiltCli(['doctor', '--check', '--db', db, '--json'], { cwd: root })
    expect(json.code).toBe(0)
    expect(jsonData(json.stdout, 'doctor')).toMatchObject({ healthy: true, problems: 0 })
    expect(checkOf(json.stdout, 'Commits')).toMatchObject({
      level: 'finding',
      dangling: {
        records: { retrospectives: 1, gradeEvents: 3, bugs: 2 },
        unlisted: 0,
        references: [
          { kind: 'bugs', project: api, setup: GPT, commit: LOST, records: 1 },
          { kind: 'gradeEvents', project: shop, setup: SONNET, commit: REPLACED, records: 1, likely: { hash: AMENDED, because: 'amended' } },
          { kind: 'bugs', project: shop, setup: SONNET, commit: '5a1b0c0', records: 1, likely: { hash: '5a1b0c0ffee', because: 'abbreviated' } },
          { kind: 'retrospectives', project: shop, setup: SONNET, commit: PHANTOM, records: 1 },
          { kind: 'gradeEvents', project: shop, setup: SONNET, commit: PHANTOM, records: 2 },
        ],
      },
    })
  })
})

describe("doctor --check: each setup's scores against its records and facts", () => {
  it('finds them in agreement after ordinary tracking', async () => {
    const { db, root } = await seedHistory()
    const text = await runBuiltCli(['doctor', '--check', '--db', db], { cwd: root })
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/✓ Scores +2 setups' scores against what their records and facts add up to: they agree\n/)
    const json = await runBuiltCli(['doctor', '--check', '--db', db, '--json'], { cwd: root })
    expect(checkOf(json.stdout, 'Scores')).toMatchObject({ level: 'ok', scores: { checked: 2, imported: 0, drift: [] } })
  })

  it('takes differences seen while another process writes for a finding (exit 0), and finds none once it stops', async () => {
    const { db, root, shop } = await seedHistory()
    const stop = join(root, 'stop')
    const writer = spawn(process.execPath, ['--input-type=module', '-e', WRITER, db, shop, stop], { cwd: PACKAGE, stdio: ['ignore', 'pipe', 'inherit'] })
    try {
      await once(writer.stdout, 'data')
      const busy = await runBuiltCli(['doctor', '--check', '--db', db, '--json'], { cwd: root })
      expect(busy.code).toBe(0)
      for (const name of ['Rollups', 'Scores']) expect(checkOf(busy.stdout, name)?.level).not.toBe('problem')
    } finally {
      writeFileSync(stop, '')
      await once(writer, 'exit')
    }
    const still = await runBuiltCli(['doctor', '--check', '--db', db], { cwd: root })
    expect(still.stdout).toMatch(/✓ Rollups .*: no drift\n/)
    expect(still.stdout).toMatch(/✓ Scores .*: they agree\n/)
  })

  it('names every number that differs, as a problem (exit 1), and leaves setups with imported scores out', async () => {
    const { db, root, api } = await seedHistory()
    const store = openLmdbStore({ databasePath: db })
    // A commit written past the scores (as a bare import does): the records count one more than the scores.
    await store.importRecords({ commits: [{ v: 1, project: api, hash: 'f00dfeed'.repeat(5), setup: GPT, at: '2026-03-03T09:00:00.000Z', message: 'past the scores' }] })
    const commits = (await store.get('setups', [GPT]))?.state.commits ?? 0
    await store.close()
    const text = await runBuiltCli(['doctor', '--check', '--db', db], { cwd: root })
    expect(text.code).toBe(1)
    expect(text.stdout).toContain(`✗ Scores       2 setups' scores against what their records and facts add up to: 1 number(s) differ\n    ${GPT} commits: scores say ${String(commits)}, records and facts ${String(commits + 1)}\n`)
    const json = await runBuiltCli(['doctor', '--check', '--db', db, '--json'], { cwd: root })
    expect(checkOf(json.stdout, 'Scores')).toMatchObject({ level: 'problem', scores: { checked: 2, imported: 0, drift: [{ setup: GPT, field: 'commits', stored: commits, expected: commits + 1 }] } })
    expect(checkOf(json.stdout, 'Rollups')).toMatchObject({ level: 'ok' })

    // Scores merged in from another database hold work whose records may not be here: not compared.
    const merged = openLmdbStore({ databasePath: db })
    const gpt = await merged.get('setups', [GPT])
    if (gpt === undefined) throw new Error('setup missing')
    await merged.importSetups('merge:/laptop.lmdb', [{ ...gpt, state: { ...gpt.state, commits: 4 } }])
    await merged.close()
    const after = await runBuiltCli(['doctor', '--check', '--db', db], { cwd: root })
    expect([after.code, after.stdout]).toEqual([0, expect.stringMatching(/✓ Scores +1 setup's scores against what their records and facts add up to \(1 setup with scores imported from other databases or legacy files, which may come without their records, not compared\): they agree\n/) as unknown])
  })
})
