import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { envelope, jsonData, runCli } from './run-cli.js'
import type { Seeded } from './seed.js'
import { seedHistory } from './seed.js'

let seeded: Seeded
beforeAll(async () => {
  seeded = await seedHistory()
}, 60_000)

interface BacktestJson {
  database: string
  savedTo: string | null
  summary: { mode: string; decisionPoints: number; calibration: { level: number; scored: number; covered: number }[] }
  figures: { coverage: number | null }
}

describe('backtest', () => {
  it('replays the database, judges by realised outcomes, and keeps the result beside the database unless told not to', async () => {
    const file = `${seeded.db}-backtest.json`
    const unsaved = await runCli(['backtest', '--db', seeded.db, '--every', '2', '--no-save', '--json'])
    expect(unsaved.code).toBe(0)
    expect((jsonData(unsaved.stdout, 'backtest') as BacktestJson).savedTo).toBeNull()
    expect(existsSync(file)).toBe(false)

    const { code, stdout } = await runCli(['backtest', '--db', seeded.db, '--every', '2', '--json'])
    expect(code).toBe(0)
    const result = jsonData(stdout, 'backtest') as BacktestJson
    // shop's commits 1, 3 and 5 and api's 1 and 3 are decision points.
    expect(result.summary).toMatchObject({ mode: 'realised', decisionPoints: 5 })
    expect(result.summary.calibration.map((c) => c.level)).toEqual([0.5, 0.8, 0.9, 0.95])
    expect(result.savedTo).toBe(file)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ format: 'agent-tracker-backtest', version: 1, every: 2, horizon: 20, summary: { decisionPoints: 5 } })

    const text = await runCli(['backtest', '--db', seeded.db, '--every', '2', '--no-save'])
    expect(text.stdout).toContain('5 decision points on 2 projects')
    expect(text.stdout).toMatch(/90% intervals: (\d+\.\d%|–) held the realised mean grade/)
    expect(text.stdout).toContain('Calibration: 50% →')
  })

  it('answers when its result cannot be saved beside the database, and says why', async () => {
    const { db } = await seedHistory()
    // A folder where the file would go: as EACCES is for another user, writing it fails.
    mkdirSync(`${db}-backtest.json`)
    const json = await runCli(['backtest', '--db', db, '--every', '2', '--json'])
    expect(json.code).toBe(0)
    expect((jsonData(json.stdout, 'backtest') as BacktestJson).savedTo).toBeNull()
    expect(envelope(json.stdout).notices).toEqual([{ code: 'BACKTEST_NOT_SAVED', message: expect.stringMatching(/^Not saved for the HTML report: cannot write .*-backtest\.json \(.+\)\. The result stands; --no-save skips saving\.$/) as unknown }])
    const text = await runCli(['backtest', '--db', db, '--every', '2'])
    expect(text.code).toBe(0)
    expect(text.stdout).toContain('5 decision points on 2 projects')
    expect(text.stderr).toContain('Not saved for the HTML report: cannot write')
  })

  it('puts the last backtest into the HTML report as a calibration plot, and says how to get one before', async () => {
    const before = await runCli(['export', '--format', 'html', '--db', seeded.db, '--out', join(seeded.root, 'before.html')])
    expect(before.code).toBe(0)
    const backtested = await runCli(['backtest', '--db', seeded.db, '--every', '2'])
    expect(backtested.code).toBe(0)
    await runCli(['export', '--format', 'html', '--db', seeded.db, '--out', join(seeded.root, 'after.html')])
    const after = readFileSync(join(seeded.root, 'after.html'), 'utf8')
    expect(after).toContain('Is the recommendation right?')
    expect(after).toContain('Last backtest')
    expect(after).toContain('aria-label="Calibration: interval level vs share that held"')
    expect(after).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/)
  })

  it('says in the HTML report, and on stderr, when the saved backtest cannot be read, instead of "No backtest yet"', async () => {
    const { db, root } = await seedHistory()
    const out = join(root, 'report.html')
    const section = (): string => /<section id="calibration">[\s\S]*?<\/section>/.exec(readFileSync(out, 'utf8'))?.[0] ?? ''
    const none = await runCli(['export', '--format', 'html', '--db', db, '--out', out])
    expect(none.code).toBe(0)
    expect(section()).toContain('No backtest yet.')
    writeFileSync(`${db}-backtest.json`, '{"format": "agent-tracker-backtest", "vers')
    const garbled = await runCli(['export', '--format', 'html', '--db', db, '--out', out])
    expect(garbled.code).toBe(0)
    expect(garbled.stderr).toContain(`The last backtest could not be read from ${db}-backtest.json: it is not JSON (`)
    expect(section()).toContain(`The last backtest could not be read from ${db}-backtest.json: it is not JSON (`)
    expect(section()).not.toContain('No backtest yet')
    writeFileSync(`${db}-backtest.json`, JSON.stringify({ format: 'agent-tracker-backtest', version: 2 }))
    const json = await runCli(['export', '--format', 'html', '--db', db, '--out', out, '--json'])
    expect(envelope(json.stdout).notices).toContainEqual({ code: 'BACKTEST_UNREADABLE', message: expect.stringContaining('it is not a backtest saved by this release') as unknown })
    // A folder where the file goes: no Node error text, and advice that can work.
    rmSync(`${db}-backtest.json`)
    mkdirSync(`${db}-backtest.json`)
    const folder = await runCli(['export', '--format', 'html', '--db', db, '--out', out])
    expect(folder.stderr).toContain(`The last backtest could not be read from ${db}-backtest.json: it is a folder, not a file. The report says so in its place; remove or rename that folder, then run agent-tracker backtest to save one there.`)
    expect(folder.stderr).not.toContain('EISDIR')
  })

  it('labels the HTML report\'s backtest as the whole database\'s when the report is narrowed by filters it does not follow', async () => {
    expect((await runCli(['backtest', '--db', seeded.db, '--every', '2'])).code).toBe(0)
    const section = async (args: readonly string[]): Promise<string> => {
      const out = join(seeded.root, 'narrowed.html')
      expect((await runCli(['export', '--format', 'html', '--db', seeded.db, '--out', out, ...args])).code).toBe(0)
      return /<section id="calibration">[\s\S]*?<\/section>\n<section id="report">/.exec(readFileSync(out, 'utf8'))?.[0] ?? ''
    }
    const whole = await section([])
    expect(whole).toContain('<h2>Is the recommendation right?</h2>')
    expect(whole).not.toContain('not this report\'s filters')
    const narrowed = await section(['--model', 'gpt-5', '--since', '2026-03-02T10:00Z'])
    expect(narrowed).toContain('<h2>Is the recommendation right? (whole database)</h2>')
    expect(narrowed).toContain('<b>Whole database, not this report\'s filters</b> (2026-03-02 10:00 – now (UTC) · model gpt-5): this section judges the model behind every recommendation over all of the history')
    // The same saved backtest as without filters: 5 decision points, the replay of both projects.
    expect(narrowed).toContain('5 decision points')
    for (const filter of [['--agent', 'build'], ['--project', 'api'], ['--until', '2026-03-03']]) {
      expect(await section(filter)).toContain('(whole database)')
    }
  })

  it('judges recommend on a history with known truth, played through the tracking path', { timeout: 60_000 }, async () => {
    const { code, stdout } = await runCli(['backtest', '--scenario', 'clear-winner', '--seeds', '1', '--json'])
    expect(code).toBe(0)
    const result = jsonData(stdout, 'backtest') as { seeds: number[]; scenarios: { name: string; histories: number; commits: number; summary: { mode: string; decisionPoints: number }; figures: { coverage: number } }[]; overall: { figures: { coverage: number } } }
    expect(result.seeds).toEqual([1])
    expect(result.scenarios).toHaveLength(1)
    expect(result.scenarios[0]).toMatchObject({ name: 'clear-winner', histories: 1, summary: { mode: 'known-truth' } })
    expect(result.scenarios[0]?.commits).toBeGreaterThan(200)
    expect(result.scenarios[0]?.figures.coverage).toBeGreaterThan(0.7)
    expect(result.overall.figures.coverage).toBe(result.scenarios[0]?.figures.coverage)
    // With no grade at all, no interval is scored: the coverage line says so rather than ending in nothing.
    const ungraded = await runCli(['backtest', '--scenario', 'clear-winner', '--seeds', '1', '--grade-rate', '0'])
    expect(ungraded.code).toBe(0)
    expect(ungraded.stdout).toContain('90% coverage by graded commits: none scored (no interval was checked against a graded outcome)')
  })

  it('names what it accepts when an option is wrong', async () => {
    const scenario = await runCli(['backtest', '--scenario', 'nope'])
    expect(scenario.code).toBe(2)
    expect(scenario.stderr).toContain('Unknown --scenario "nope": accepted are all, clear-winner, closer-than-noise, web-vs-api, newcomer, drift.')
    const every = await runCli(['backtest', '--db', seeded.db, '--every', '0'])
    expect(every.code).toBe(2)
    expect(every.stderr).toContain('Invalid --every "0": a whole number ≥ 1 in plain digits.')
    // Only plain digits: Number() would take these as 16, 10 and 5, and round the last to 1e20.
    for (const value of ['0x10', '1e1', ' 5', '99999999999999999999']) {
      const odd = await runCli(['backtest', '--db', seeded.db, '--no-save', '--every', value])
      expect([odd.code, odd.stderr], value).toEqual([2, expect.stringContaining(`Invalid --every "${value}": a whole number ≥ 1 in plain digits.`) as unknown])
    }
    const samples = await runCli(['recommend', seeded.shop, '--db', seeded.db, '--min-samples', '0x5'])
    expect([samples.code, samples.stderr]).toEqual([2, expect.stringContaining('Invalid --min-samples "0x5": a whole number ≥ 1 in plain digits.') as unknown])
    for (const [args, flags] of [[['--seeds', '3'], '--seeds changes'], [['--seed', '2', '--grade-rate', '0.5'], '--grade-rate, --seed change']] as const) {
      const refused = await runCli(['backtest', '--db', seeded.db, '--no-save', ...args])
      expect(refused.code, args.join(' ')).toBe(2)
      expect(refused.stderr).toContain(`error: ${flags} generated histories: use`)
    }
  })

  it('refuses a --horizon too short to judge anything, keeping the saved result', async () => {
    const { db } = await seedHistory()
    const file = `${db}-backtest.json`
    expect((await runCli(['backtest', '--db', db, '--every', '2'])).code).toBe(0)
    const saved = readFileSync(file, 'utf8')
    for (const horizon of ['0', '1', '2']) {
      const refused = await runCli(['backtest', '--db', db, '--every', '2', '--horizon', horizon])
      expect(refused.code, horizon).toBe(2)
      expect(refused.stderr).toContain(`Invalid --horizon "${horizon}": a whole number ≥ 3 in plain digits (a setup is judged by the mean of its next n grades on similar projects, which takes at least 3).`)
      expect(refused.stdout).toBe('')
    }
    expect(readFileSync(file, 'utf8')).toBe(saved)
    const shortest = await runCli(['backtest', '--db', db, '--every', '2', '--horizon', '3', '--no-save', '--json'])
    expect(shortest.code).toBe(0)
    expect(jsonData(shortest.stdout, 'backtest')).toMatchObject({ horizon: 3 })
  })

  it('lists every decision point, judged, in the text output too with --decisions', async () => {
    const plain = await runCli(['backtest', '--db', seeded.db, '--every', '2', '--no-save'])
    expect(plain.stdout).not.toContain('Decision points')
    const { code, stdout } = await runCli(['backtest', '--db', seeded.db, '--every', '2', '--no-save', '--decisions'])
    expect(code).toBe(0)
    const table = stdout.slice(stdout.indexOf('Decision points\n'))
    const [header, ...rows] = table.split('\n').slice(1).filter((line) => line.trim() !== '')
    expect(header).toMatch(/^AT \(UTC\) +PROJECT +ANSWER +BEST BET +BEST REALISED +JUDGED +90% HELD +REGRET$/)
    // The 5 decision points of the JSON, one row each: shop's commits 1, 3 and 5 and api's 1 and 3.
    expect(rows).toHaveLength(5)
    expect(rows.filter((row) => /^\d{4}-\d\d-\d\d \d\d:\d\d +shop /.test(row))).toHaveLength(3)
    expect(rows.filter((row) => /^\d{4}-\d\d-\d\d \d\d:\d\d +api /.test(row))).toHaveLength(2)
  })

  it('refuses the options of a replay with --scenario, which would leave them unused', async () => {
    for (const [args, message] of [
      [['--horizon', '5'], '--horizon belongs to the replay of your database: with --scenario'],
      [['--decisions', '--horizon', '5'], '--horizon, --decisions belong to the replay of your database: with --scenario'],
    ] as const) {
      const refused = await runCli(['backtest', '--scenario', 'clear-winner', '--seeds', '1', ...args])
      expect(refused.code, args.join(' ')).toBe(2)
      expect(refused.stderr).toContain(`error: ${message}`)
    }
  })

  it('says there is no database yet and how to start, as every read does, creating nothing', async () => {
    const db = join(seeded.root, 'none', 'agent-tracker.lmdb')
    const text = await runCli(['backtest', '--db', db])
    expect(text.code).toBe(0)
    expect(text.stdout).toContain('No data yet')
    const json = await runCli(['backtest', '--db', db, '--json'])
    expect(json.code).toBe(0)
    expect(envelope(json.stdout).notices).toEqual([expect.objectContaining({ code: 'NO_DATABASE' })])
    expect(existsSync(join(seeded.root, 'none'))).toBe(false)
  })
})
