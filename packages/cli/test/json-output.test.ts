import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Seeded } from './seed.js'
import { GPT, SONNET, seedHistory } from './seed.js'
import { envelope, factLine, jsonData, jsonError, runCli, tempFolder } from './run-cli.js'

let seeded: Seeded
beforeAll(async () => {
  seeded = await seedHistory()
}, 60_000)

/** Keys of an answer object, sorted; `array` for a list. */
function shape(data: unknown): string[] | 'array' {
  return Array.isArray(data) ? 'array' : Object.keys(data as object).sort()
}

// One row per command: its arguments and the shape of its `data` (docs/json-output.md lists the same).
const ANSWERS: readonly (readonly [string, () => string[], string[] | 'array'])[] = [
  ['status', () => ['status'], 'array'],
  ['status', () => ['status', SONNET], ['agent', 'communicationTier', 'estimatedCost', 'firstSeenAt', 'halted', 'lastSeenAt', 'model', 'nextLevelAt', 'provider', 'setup', 'state', 'trustTier', 'unpricedMessages']],
  ['agents', () => ['agents'], 'array'],
  ['report', () => ['report'], ['evidence', 'filters', 'nonUserChannels', 'setups']],
  ['report', () => ['report', '--since', '2026-03-01'], ['evidence', 'filters', 'nonUserChannels', 'setups', 'timeZone']],
  // Narrowed to a project but no window: no day is cut, so no zone to say.
  ['report', () => ['report', '--project', seeded.shop], ['evidence', 'filters', 'nonUserChannels', 'setups']],
  ['report', () => ['report', '--by', 'week'], ['by', 'evidence', 'filters', 'groups', 'nonUserChannels', 'timeZone']],
  ['recommend', () => ['recommend', seeded.shop], ['contenders', 'explore', 'halted', 'message', 'profile', 'project', 'setups', 'similarProjects', 'state', 'unprofiledProjects']],
  ['backtest', () => ['backtest', '--no-save'], ['database', 'every', 'figures', 'horizon', 'savedTo', 'summary', 'unprofiledProjects']],
  ['search', () => ['search', 'webhooks'], ['mistakes', 'more', 'patterns', 'query', 'scope']],
  ['history', () => ['history', GPT], ['entries', 'more', 'setup']],
  ['projects', () => ['projects'], ['projects', 'refreshed']],
  ['retro', () => ['retro'], ['entries', 'more']],
  ['activity', () => ['activity'], ['entries', 'more']],
  ['export', () => ['export', '--format', 'csv', '--out', join(seeded.root, 'out.csv')], ['bytes', 'format', 'path', 'rows']],
  ['export', () => ['export', '--format', 'json'], ['collections', 'exportedAt', 'format', 'schemaVersion', 'version']],
  ['doctor', () => ['doctor'], ['checks', 'findings', 'healthy', 'problems']],
]

describe('--json prints one envelope { version: 1, command, data } for every command', () => {
  it.each(ANSWERS)('%s', async (command, args, expected) => {
    const { code, stdout, stderr } = await runCli([...args(), '--json', '--db', seeded.db], { cwd: seeded.root })
    expect(code, stderr).toBe(0)
    const printed = envelope(stdout)
    expect(Object.keys(printed).sort()).toEqual(['command', 'data', 'version'])
    expect(printed).toMatchObject({ version: 1, command })
    expect(shape(printed.data)).toEqual(expected)
  })

  it('for the commands that write', async () => {
    const db = join(tempFolder(), 'w.lmdb')
    const run = async (args: string[], input?: string) => runCli([...args, '--json', '--db', db], input === undefined ? {} : { input })
    const ingest = await run(['ingest'], [factLine({ kind: 'commit', setup: SONNET, project: '/w/app', hash: 'abcd1234', message: 'one' }), 'not json'].join('\n'))
    expect(ingest.code).toBe(1)
    expect(jsonData(ingest.stdout, 'ingest')).toMatchObject({ lines: 2, ingested: 1, repeats: 0, rejected: [{ line: 2 }] })
    expect(shape(jsonData((await run(['grade', SONNET, 'abcd1234', '--user', 'good', '--trust'])).stdout, 'grade'))).toEqual(['channel', 'commit', 'counted', 'event', 'retrospective', 'status'])
    expect(jsonData((await run(['bug', SONNET])).stdout, 'bug')).toMatchObject({ setup: SONNET, halted: true })
    expect(jsonData((await run(['reinstate', SONNET])).stdout, 'reinstate')).toMatchObject({ reinstated: true })
    expect(jsonData((await run(['retro', SONNET, '--note', 'keep it small'])).stdout, 'retro')).toMatchObject({ userNote: 'keep it small' })
    expect(jsonData((await run(['activity', SONNET, '--task', 'tidy'])).stdout, 'activity')).toEqual({ logged: true, setup: SONNET, task: 'tidy', project: '/w/app' })
    expect(shape(jsonData((await run(['migrate', tempFolder()])).stdout, 'migrate'))).toEqual(['folders', 'issues'])
    expect(jsonData((await run(['merge', seeded.db])).stdout, 'merge')).toMatchObject({ source: seeded.db, errors: [] })
    expect(jsonData((await run(['upgrade', '--dry-run'])).stdout, 'upgrade')).toMatchObject({ status: 'nothing-to-upgrade', format: { kind: 'agent-tracker' } })
    const project = tempFolder('oc-')
    const init = await runCli(['init', '--json'], { cwd: project })
    expect(jsonData(init.stdout, 'init')).toMatchObject({ changed: true, created: true, file: join(project, 'opencode.json'), changes: [{ kind: 'plugin-added' }] })
  })

  it('for errors: { version, command, error: { code, message } } on stdout, exit 1 or 2', async () => {
    const unknown = await runCli(['status', 'build@nobody/nothing', '--json', '--db', seeded.db])
    expect(unknown.code).toBe(1)
    expect(JSON.parse(unknown.stdout)).toEqual({ version: 1, command: 'status', error: { code: 'UNKNOWN_SETUP', message: expect.stringContaining('Unknown setup "build@nobody/nothing".') as string } })
    const window = await runCli(['report', '--since', 'tomorrowish', '--json', '--db', seeded.db])
    expect(window.code).toBe(2)
    expect(jsonError(window.stdout)).toMatchObject({ code: 'INVALID_OPTION', message: expect.stringContaining('Invalid --since "tomorrowish"') as string })
    // A usage error is said on stderr too; a failure (exit 1) only in the envelope.
    expect(window.stderr).toContain('error: Invalid --since "tomorrowish"')
    expect(unknown.stderr).toBe('')
    const usage = await runCli(['report', '--bogus', '--json'])
    expect(usage.code).toBe(2)
    expect(JSON.parse(usage.stdout)).toEqual({ version: 1, command: 'report', error: { code: 'USAGE', message: "unknown option '--bogus'" } })
    const clash = await runCli(['export', '--format', 'csv', '--json', '--db', seeded.db])
    expect(clash.code).toBe(2)
    expect(jsonError(clash.stdout).message).toContain('--json with --format csv needs --out <file>')
  })

  it('with notices beside an empty answer when there is no database yet', async () => {
    const db = join(tempFolder(), 'none.lmdb')
    const { code, stdout } = await runCli(['agents', '--json', '--db', db])
    expect(code).toBe(0)
    expect(JSON.parse(stdout)).toEqual({ version: 1, command: 'agents', data: [], notices: [{ code: 'NO_DATABASE', message: expect.stringContaining(`No data yet: there is no agent-tracker database at ${db}.`) as string }] })
    // A command about one setup answers with its empty shape, not null.
    const history = await runCli(['history', SONNET, '--project', 'shop', '--json', '--db', db])
    expect(history.code).toBe(0)
    expect(JSON.parse(history.stdout)).toMatchObject({ command: 'history', data: { setup: SONNET, entries: [], more: false }, notices: [{ code: 'NO_DATABASE' }] })
  })

  it('with money rounded: no float noise like 0.30000000000000004', async () => {
    const db = join(tempFolder(), 'money.lmdb')
    const usage = (cost: number) => factLine({ kind: 'usage', setup: SONNET, project: '/w/app', tokens: { input: 1, output: 1 }, cost })
    await runCli(['ingest', '--db', db], { input: [usage(0.1), usage(0.2), factLine({ kind: 'commit', setup: SONNET, project: '/w/app', hash: 'abcd1234' })].join('\n') })
    const { stdout } = await runCli(['report', '--json', '--db', db])
    expect(0.1 + 0.2).toBe(0.30000000000000004)
    expect(stdout).toContain('"cost": 0.3,')
    expect(stdout).not.toMatch(/\d\.\d{13,}/)
    // The exports too: the setup's and the day rollup's summed costs.
    const out = join(tempFolder(), 'export.jsonl')
    await runCli(['export', '--format', 'jsonl', '--out', out, '--db', db])
    for (const exported of [(await runCli(['export', '--format', 'json', '--json', '--db', db])).stdout, (await runCli(['export', '--format', 'json', '--db', db])).stdout, readFileSync(out, 'utf8'), (await runCli(['export', '--format', 'csv', '--table', 'usage', '--db', db])).stdout]) {
      expect(exported).toMatch(/"?cost"?: ?0\.3\b|,0\.3,/)
      expect(exported).not.toMatch(/\d\.\d{13,}/)
    }
  })

  it('demo: one envelope with every section', { timeout: 120_000 }, async () => {
    const folder = tempFolder('demo-json-')
    const { code, stdout } = await runCli(['demo', '--dir', folder, '--json'])
    expect(code).toBe(0)
    const demo = (jsonData(stdout, 'demo') as Record<string, unknown>)
    expect(Object.keys(demo).sort()).toEqual(['agents', 'backtest', 'database', 'export', 'kept', 'played', 'recommend', 'report'])
    // The history's git evidence is recorded with it: the report has it for every setup.
    const evidence = (demo.report as { evidence: { setup: string; commits: number; suspectedBugs: number }[] }).evidence
    expect(evidence).toHaveLength(5)
    expect(evidence.reduce((sum, setup) => sum + setup.suspectedBugs, 0)).toBeGreaterThan(0)
    expect(demo).toMatchObject({ database: join(folder, 'agent-tracker.lmdb'), kept: true, export: { path: join(folder, 'report.html'), format: 'html' } })
    expect(demo.agents).toHaveLength(5)
    expect((demo.recommend as Record<string, { state: string }>)['checkout-app']?.state).toBeDefined()
    expect((demo.recommend as Record<string, { state: string }>)['reporting-api']?.state).toBeDefined()
    expect(readFileSync(join(folder, 'report.html'), 'utf8')).toContain('<h2>Which setup for which kind of project</h2>')
  })

  it("doctor: the guard's protected files here, and whether grades given here count", async () => {
    const project = tempFolder('oc-')
    const db = join(tempFolder(), 'j.lmdb')
    writeFileSync(join(project, '.env'), 'SECRET=1\n')
    writeFileSync(join(project, 'server.pem'), 'KEY\n')
    const doctor = await runCli(['doctor', '--db', db, '--json'], { cwd: project, env: { AGENT_TRACKER_PROTECTED_FILES: '*.pem' } })
    expect(doctor.code).toBe(0)
    expect(jsonData(doctor.stdout, 'doctor')).toMatchObject({
      problems: 0,
      checks: expect.arrayContaining([
        expect.objectContaining({ name: 'Database', level: 'ok' }),
        expect.objectContaining({ name: 'Secrets', level: 'ok', detail: expect.stringMatching(/^\.env \.env\.\* !\.env\.example !\.env\.sample !\.env\.template \*\.pem \(more with AGENT_TRACKER_PROTECTED_FILES or the plugin's protectedFiles\); 2 in .*: (\.env, server\.pem|server\.pem, \.env)$/) as unknown }),
        expect.objectContaining({ name: 'Grades', level: 'ok', detail: 'given here at a terminal, they count as yours (cli-terminal)' }),
      ]) as unknown[],
    })
  })
})
