import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { factLine, jsonData, jsonError, runCli, runCliAtTerminal, tempFolder } from './run-cli.js'
import { SONNET } from './seed.js'

const PROJECT = '/w/shop'

/** A database with three commits of one setup and no grade. */
async function threeCommits(): Promise<string> {
  const db = join(tempFolder('provenance-'), 'tracker.lmdb')
  const lines = ['c0ffee01', 'c0ffee02', 'c0ffee03'].map((hash) => factLine({ kind: 'commit', setup: SONNET, project: PROJECT, hash, message: `change ${hash}` }))
  expect((await runCli(['ingest', '--db', db], { input: lines.join('\n') })).code).toBe(0)
  return db
}

type Report = { setups: { userGrades: number; meanUserGrade: number | null; userGradesByChannel: unknown[] }[]; nonUserChannels: string[] }

async function report(db: string): Promise<Report> {
  return jsonData((await runCli(['report', '--db', db, '--json'])).stdout, 'report') as Report
}

describe('where a grade came from', () => {
  it('counts a grade typed at an interactive terminal as the user\'s (cli-terminal); the report needs no channel table', async () => {
    const db = await threeCommits()
    const graded = await runCliAtTerminal(['grade', SONNET, 'c0ffee01', '--user', 'excellence', '--db', db])
    expect(graded.stdout).toContain('Graded c0ffee01 (change c0ffee01) of build@anthropic/claude-sonnet-4-5: user excellence. CS 60.0 → 65.0')
    expect(graded.code).toBe(0)
    expect(await report(db)).toMatchObject({ setups: [{ userGrades: 1, meanUserGrade: 5, userGradesByChannel: [{ channel: 'cli-terminal', grades: 1, counted: 1 }] }], nonUserChannels: [] })
    expect((await runCli(['report', '--db', db])).stdout).not.toContain('User grades by channel')
  })

  it('stores a grade from a script or an agent as cli-script that counts for nothing, and shows it by channel', async () => {
    const db = await threeCommits()
    const scripted = await runCli(['grade', SONNET, 'c0ffee01', '--user', 'excellence', '--db', db])
    expect(scripted.code).toBe(0)
    expect(scripted.stdout).toContain('c0ffee01 (change c0ffee01) of build@anthropic/claude-sonnet-4-5: Recorded with channel cli-script, not counted as your grade: agent-tracker did not run at an interactive terminal.')
    const fromAgent = await runCliAtTerminal(['grade', SONNET, 'c0ffee02', '--user', 'excellence', '--db', db], { env: { OPENCODE: '1' } })
    expect(fromAgent.stdout).toContain('Recorded with channel cli-script, not counted as your grade: it was given from inside an agent session (OPENCODE=1 is set).')
    const status = jsonData((await runCli(['status', SONNET, '--db', db, '--json'])).stdout, 'status') as { state: { communication: number; userGrades: { count: number } } }
    expect(status.state).toMatchObject({ communication: 60, userGrades: { count: 0 } })
    expect(await report(db)).toMatchObject({ setups: [{ userGrades: 0, meanUserGrade: null, userGradesByChannel: [{ channel: 'cli-script', grades: 2, counted: 0, meanGrade: 5 }] }], nonUserChannels: ['cli-script'] })
    const text = (await runCli(['report', '--db', db])).stdout
    expect(text).toContain('User grades by channel')
    expect(text).toMatch(/build@anthropic\/claude-sonnet-4-5 +2 \(0 counted\)/)
    const out = join(tempFolder('html-'), 'report.html')
    expect((await runCli(['export', '--format', 'html', '--out', out, '--db', db])).code).toBe(0)
    const html = readFileSync(out, 'utf8')
    expect(html).toContain('<h2>Evidence by channel</h2>')
    expect(html).toContain('How user grades count, by channel: cli-script (agent-tracker grade from a script, a pipe or an agent session) counts only when vouched for with --trust.')
    expect(html).toContain('<th>cli-script</th>')
    expect(html).toContain('<td class="num">2 (0 counted) <span class="muted">(⌀ 5.0)</span></td>')
    // The user's own grade still finds the commit ungraded.
    expect((await runCliAtTerminal(['grade', SONNET, 'c0ffee01', '--user', 'bad', '--db', db])).stdout).toContain('user bad. CS 60.0 → 59.0')
  })

  it('keeps the note of a grade that does not count on its grade event, as of one that counts, and shows it in history and export', async () => {
    const db = await threeCommits()
    const scripted = await runCli(['grade', SONNET, 'c0ffee01', '--user', 'bad', '--note', 'broke the cart totals', '--db', db])
    expect(scripted.stdout).toContain('Recorded with channel cli-script, not counted as your grade')
    expect((await runCliAtTerminal(['grade', SONNET, 'c0ffee02', '--user', 'good', '--note', 'clean refactor', '--db', db])).code).toBe(0)
    const selfGrade = factLine({ kind: 'grade', setup: SONNET, project: PROJECT, commit: 'c0ffee03', by: 'agent', agentGrade: 'good', agentNote: 'tests added', at: '2026-06-01T10:00:00Z' })
    expect((await runCli(['ingest', '--db', db], { input: selfGrade })).code).toBe(0)
    const exported = JSON.parse((await runCli(['export', '--format', 'json', '--db', db])).stdout) as { collections: { gradeEvents: { commit: string; note?: string }[] } }
    expect(Object.fromEntries(exported.collections.gradeEvents.map((event) => [event.commit, event.note]))).toEqual({ c0ffee01: 'broke the cart totals', c0ffee02: 'clean refactor', c0ffee03: 'tests added' })
    const history = jsonData((await runCli(['history', SONNET, '--db', db, '--json'])).stdout, 'history') as { entries: { kind: string; summary: string }[] }
    expect(history.entries.filter((entry) => entry.kind === 'grade').map((entry) => entry.summary)).toEqual(expect.arrayContaining([
      'c0ffee01 graded user bad via cli-script (broke the cart totals) — not counted: not the user\'s own channel',
      'c0ffee02 graded user good via cli-terminal (clean refactor)',
    ]))
    // Search reads what counts: the uncounted grade's note is not a lesson of the commit's (see docs/scoring.md).
    const search = jsonData((await runCli(['search', 'cart totals', '--db', db, '--json'])).stdout, 'search') as { patterns: unknown[]; mistakes: unknown[] }
    expect([...search.patterns, ...search.mistakes]).toEqual([])
  })

  it('says the score just before the grade, not the one before the commit was first graded', async () => {
    const db = await threeCommits()
    // The agent grades its commit first (CS 60 → 62, as the agent's own grade counts), then the user grades another (62 → 67).
    const selfGrade = factLine({ kind: 'grade', setup: SONNET, project: PROJECT, commit: 'c0ffee01', by: 'agent', agentGrade: 'good', at: '2026-06-01T10:00:00Z' })
    expect((await runCli(['ingest', '--db', db], { input: selfGrade })).code).toBe(0)
    const before = jsonData((await runCli(['status', SONNET, '--db', db, '--json'])).stdout, 'status') as { state: { communication: number } }
    const other = await runCliAtTerminal(['grade', SONNET, 'c0ffee02', '--user', 'excellence', '--db', db])
    expect(other.stdout).toContain(`CS ${before.state.communication.toFixed(1)} → `)
    const middle = jsonData((await runCli(['status', SONNET, '--db', db, '--json'])).stdout, 'status') as { state: { communication: number } }
    expect(middle.state.communication).toBeGreaterThan(before.state.communication)
    // The user now grades the commit the agent graded: the message starts from the score of now.
    const graded = await runCliAtTerminal(['grade', SONNET, 'c0ffee01', '--user', 'good', '--db', db])
    const after = jsonData((await runCli(['status', SONNET, '--db', db, '--json'])).stdout, 'status') as { state: { communication: number } }
    expect(graded.stdout).toContain(`agent good, user good. CS ${middle.state.communication.toFixed(1)} → ${after.state.communication.toFixed(1)}`)
    // The JSON answer carries the grade's own event with the same two scores.
    const json = await runCliAtTerminal(['grade', SONNET, 'c0ffee03', '--user', 'bad', '--db', db, '--json'])
    const last = jsonData((await runCli(['status', SONNET, '--db', db, '--json'])).stdout, 'status') as { state: { communication: number } }
    expect(jsonData(json.stdout, 'grade')).toMatchObject({ event: { scoreBefore: after.state.communication, scoreAfter: last.state.communication, userGrade: -1 } })
  })

  it('counts a scripted grade vouched for with --trust, and refuses --trust inside an agent session', async () => {
    const db = await threeCommits()
    const vouched = await runCli(['grade', SONNET, 'c0ffee01', '--user', 'good', '--trust', '--db', db])
    expect(vouched.stdout).toContain('user good. CS 60.0 → 62.0')
    for (const env of [{ OPENCODE: '1' }, { CLAUDECODE: '1' }]) {
      const refused = await runCli(['grade', SONNET, 'c0ffee02', '--user', 'excellence', '--trust', '--db', db, '--json'], { env })
      expect(refused.code).toBe(2)
      expect(jsonError(refused.stdout)).toMatchObject({ code: 'TRUST_REFUSED', message: expect.stringContaining('--trust vouches that grades are yours, which is your call, so it is refused inside an agent session') as unknown })
    }
    const events = JSON.parse((await runCli(['export', '--format', 'json', '--db', db])).stdout) as { collections: { gradeEvents: unknown[] } }
    expect(events.collections.gradeEvents).toEqual([expect.objectContaining({ channel: 'cli-script', vouched: true, userGrade: 2 })])
  })

  it('records ingested grades with channel ingest whatever a line claims; user grades count only with --trust', async () => {
    const db = await threeCommits()
    const forged = factLine({ kind: 'grade', setup: SONNET, project: PROJECT, commit: 'c0ffee01', by: 'user', userGrade: 'excellence', channel: 'slash-command', vouched: true })
    const selfGrade = factLine({ kind: 'grade', setup: SONNET, project: PROJECT, commit: 'c0ffee03', by: 'agent', agentGrade: 'good' })
    const plain = await runCli(['ingest', '--db', db, '--json'], { input: `${forged}\n${selfGrade}\n` })
    expect(jsonData(plain.stdout, 'ingest')).toMatchObject({ ingested: 2, uncountedGrades: 1 })
    const trusted = await runCli(['ingest', '--trust', '--db', db], { input: factLine({ kind: 'grade', setup: SONNET, project: PROJECT, commit: 'c0ffee02', by: 'user', userGrade: 'good' }) })
    expect(trusted.stdout).toBe('Ingested 1 fact from 1 line.\n')
    expect(await report(db)).toMatchObject({
      setups: [{ userGrades: 1, meanUserGrade: 2, userGradesByChannel: [{ channel: 'ingest', grades: 2, counted: 1, meanGrade: 3.5 }] }],
      nonUserChannels: ['ingest'],
    })
    const uncounted = factLine({ kind: 'grade', setup: SONNET, project: PROJECT, commit: 'c0ffee03', by: 'user', userGrade: 'bad' })
    const warned = await runCli(['ingest', '--db', db], { input: uncounted })
    expect(warned.stdout).toContain('1 user grade recorded with channel ingest, not counted as your grade: ingested grades are not your own channel.')
    // The same line again is a repeat: nothing is recorded, so nothing is said of it.
    const rerun = await runCli(['ingest', '--db', db, '--json'], { input: uncounted })
    expect(jsonData(rerun.stdout, 'ingest')).toMatchObject({ ingested: 0, repeats: 1, uncountedGrades: 0 })
    // A grade given twice in one input (the same id) is stored once, and told of once.
    const twice = factLine({ id: 'grade-given-twice', kind: 'grade', setup: SONNET, project: PROJECT, commit: 'c0ffee02', by: 'user', userGrade: 'bad' })
    const doubled = await runCli(['ingest', '--db', db, '--json'], { input: `${twice}\n${twice}\n` })
    expect(jsonData(doubled.stdout, 'ingest')).toMatchObject({ ingested: 1, repeats: 1, uncountedGrades: 1 })
  })

  it('counts no agent grade given with a user grade that does not count, in scores and reports alike', async () => {
    const db = await threeCommits()
    const lines = [
      factLine({ kind: 'grade', setup: SONNET, project: PROJECT, commit: 'c0ffee01', by: 'user', userGrade: 'excellence', agentGrade: 'bad', at: '2026-06-01T10:02:00Z' }),
      factLine({ kind: 'grade', setup: SONNET, project: PROJECT, commit: 'c0ffee01', by: 'agent', agentGrade: 'excellence', at: '2026-06-01T10:05:00Z' }),
    ]
    expect((await runCli(['ingest', '--db', db], { input: lines.join('\n') })).code).toBe(0)
    const status = jsonData((await runCli(['status', SONNET, '--db', db, '--json'])).stdout, 'status') as { state: { agentGrades: { count: number; sum: number } } }
    expect(status.state.agentGrades).toEqual({ count: 1, sum: 5 })
    for (const window of [[], ['--since', '2020-01-01']]) {
      const rows = jsonData((await runCli(['report', ...window, '--db', db, '--json'])).stdout, 'report') as { setups: { agentGrades: number; meanAgentGrade: number }[] }
      expect(rows.setups).toEqual([expect.objectContaining({ agentGrades: 1, meanAgentGrade: 5 })])
    }
    expect((await runCli(['doctor', '--check', '--db', db])).stdout).toMatch(/Rollups.*no drift/)
  })

  it('counts the grades of an input ingested again with --trust, as the note says, and only once', async () => {
    const db = await threeCommits()
    const input = [
      factLine({ kind: 'commit', setup: SONNET, project: PROJECT, hash: 'c0ffee04', message: 'change c0ffee04' }),
      factLine({ kind: 'grade', setup: SONNET, project: PROJECT, commit: 'c0ffee04', by: 'user', userGrade: 'excellence' }),
      factLine({ id: 'own-id', kind: 'grade', setup: SONNET, project: PROJECT, commit: 'c0ffee01', by: 'user', userGrade: 'good' }),
    ].join('\n')
    const first = await runCli(['ingest', '--db', db], { input })
    expect(first.stdout).toContain('2 user grades recorded with channel ingest, not counted as your grade: ingested grades are not your own channel. Give grades in your own terminal or with /grade; for grades from your own tool, ingest the same input again with --trust (a line that gives its own "id" needs a new one).')
    const again = await runCli(['ingest', '--trust', '--db', db, '--json'], { input })
    // The commit and the grade with its own id are repeats; the grade without one is recorded, counted.
    expect(jsonData(again.stdout, 'ingest')).toMatchObject({ ingested: 1, repeats: 2, uncountedGrades: 0 })
    expect(await report(db)).toMatchObject({ setups: [{ userGrades: 1, meanUserGrade: 5, userGradesByChannel: [{ channel: 'ingest', grades: 3, counted: 1 }] }] })
    const third = await runCli(['ingest', '--trust', '--db', db, '--json'], { input })
    expect(jsonData(third.stdout, 'ingest')).toMatchObject({ ingested: 0, repeats: 3 })
  })
})
