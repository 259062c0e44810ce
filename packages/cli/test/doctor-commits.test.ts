import type { Fact } from '@agent-tracker/core'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { describe, expect, it } from 'vitest'
import { jsonData, runBuiltCli } from './run-cli.js'
import { GPT, SONNET, seedHistory } from './seed.js'

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
    expect(text.stdout).toMatch(/✓ Rollups +\d+ day rollups against the records and \d+ logged facts, \d+ setup totals against the rollups: no drift\n/)
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
