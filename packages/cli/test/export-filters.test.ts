import { spawnSync } from 'node:child_process'
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPORT_CSV_COLUMNS } from '../src/export/csv.js'
import { BUILT_BIN, factLine, jsonData, runCli, tempFolder } from './run-cli.js'
import { GPT, SONNET, seedHistory } from './seed.js'

interface Export { filters?: Record<string, string>; collections: Record<string, { setup?: string; id?: string; path?: string; project?: string }[]> }

describe('export applies the filters it accepts', () => {
  it('narrows every collection of a JSON export by project, model and time', async () => {
    const { db, api } = await seedHistory()
    const byProject = JSON.parse((await runCli(['export', '--format', 'json', '--project', 'api', '--db', db])).stdout) as Export
    expect(byProject.filters).toEqual({ project: api })
    expect(byProject.collections.commits).toHaveLength(3)
    expect(byProject.collections.bugs).toHaveLength(1)
    expect(byProject.collections.usage?.every((day) => day.project === api)).toBe(true)
    expect(byProject.collections.setups?.map((s) => s.id)).toEqual([GPT])
    expect(byProject.collections.projects?.map((p) => p.path)).toEqual([api])
    const byModel = JSON.parse((await runCli(['export', '--format', 'json', '--model', 'claude-sonnet-4-5', '--db', db])).stdout) as Export
    expect(byModel.collections.setups?.map((s) => s.id)).toEqual([SONNET])
    expect(byModel.collections.commits?.every((c) => c.setup === SONNET)).toBe(true)
    expect(byModel.collections.commits).toHaveLength(6)
    const bySetup = JSON.parse((await runCli(['export', '--format', 'json', '--setup', GPT, '--db', db])).stdout) as Export
    expect(bySetup.filters).toEqual({ setup: GPT })
    expect(bySetup.collections.setups?.map((s) => s.id)).toEqual([GPT])
    expect(bySetup.collections.commits?.map((c) => c.setup)).toEqual([GPT, GPT, GPT])
    expect(bySetup.collections.bugs?.every((b) => b.setup === GPT)).toBe(true)
    const later = JSON.parse((await runCli(['export', '--format', 'json', '--since', '2026-04-01', '--db', db])).stdout) as Export
    expect(later.collections.commits).toEqual([])
    expect(later.collections.setups).toEqual([])
    const text = (await runCli(['export', '--format', 'json', '--db', db])).stdout
    const unfiltered = JSON.parse(text) as Export
    expect(unfiltered.filters).toBeUndefined()
    expect(unfiltered.collections.commits).toHaveLength(9)
    // Streamed a record at a time, the document reads as JSON.stringify would lay it out whole: two spaces a level.
    expect(text).toBe(`${JSON.stringify(unfiltered, null, 2)}\n`)
  })

  it('narrows the HTML leaderboard to the project, with the commits and bugs there, as agents does', async () => {
    const { db, tmpDir } = { ...(await seedHistory()), tmpDir: tempFolder() }
    const out = join(tmpDir, 'api.html')
    expect((await runCli(['export', '--format', 'html', '--project', 'api', '--out', out, '--db', db])).code).toBe(0)
    const board = /<h2>Leaderboard<\/h2>[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(readFileSync(out, 'utf8'))?.[1] ?? ''
    const agents = jsonData((await runCli(['agents', '--project', 'api', '--db', db, '--json'])).stdout, 'agents') as { status: { setup: string }; window: { commits: number; bugs: number } }[]
    expect(agents).toEqual([expect.objectContaining({ status: expect.objectContaining({ setup: GPT }) as unknown, window: { commits: 3, bugs: 1 } })])
    const rows = [...board.matchAll(/<tr>(.*?)<\/tr>/g)].map((row) => [...(row[1] ?? '').matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((cell) => cell[1]))
    expect(rows).toHaveLength(1)
    expect(rows[0]?.slice(-2)).toEqual(['3', '1'])
    expect(readFileSync(out, 'utf8')).toContain('Commits and bugs: those of the window and project this report is narrowed to, as are the setups listed.')
  })

  it('narrows the HTML recommendations to the setups, window and project the report is narrowed to, and says so', async () => {
    const { db, shop, api } = await seedHistory()
    const root = tempFolder()
    const recommended = async (args: readonly string[]): Promise<{ kinds: string[]; setups: string[]; intro: string; sub: string }> => {
      const out = join(root, 'report.html')
      expect((await runCli(['export', '--format', 'html', '--out', out, '--db', db, ...args])).code).toBe(0)
      const html = readFileSync(out, 'utf8')
      const section = /<section[^>]*id="recommendations"[\s\S]*?<\/section>/.exec(html)?.[0] ?? ''
      return {
        kinds: [...section.matchAll(/<h3>(.*?)<\/h3>/g)].map((match) => match[1] ?? ''),
        setups: [...new Set(section.match(/\b(?:build|plan)@[a-z]+\/[\w.-]+/g) ?? [])].sort(),
        intro: /<p class="intro">(.*?)<\/p>/.exec(section)?.[1] ?? '',
        sub: /<p class="sub">agent-tracker report(.*?)<\/p>/.exec(html)?.[1] ?? '',
      }
    }
    const all = await recommended([])
    expect(all.setups).toEqual([SONNET, GPT].sort())
    expect(all.intro).toMatch(/^For each kind of project recorded: /)
    const gpt = await recommended(['--model', 'gpt-5'])
    expect(gpt).toMatchObject({ kinds: [all.kinds.find((kind) => kind.includes('api'))], setups: [GPT] })
    expect(gpt.intro).toMatch(/^Judged only from the work this report is narrowed to \(model gpt-5\): only the setups it covers are compared/)
    expect(gpt.sub).toContain(' · all time · model gpt-5 · ')
    expect(await recommended(['--agent', 'build', '--project', shop])).toMatchObject({ setups: [SONNET] })
    expect(await recommended(['--project', api])).toMatchObject({ setups: [GPT] })
    // All the work was on 2 March: a window after it holds none (core's tests tell setups apart by window).
    const later = await recommended(['--since', '2026-03-03'])
    expect(later).toMatchObject({ kinds: [], setups: [] })
    expect(later.intro).toMatch(/^Judged only from the work this report is narrowed to \(2026-03-03 – now \(UTC\)\)/)
    const nobody = await recommended(['--agent', 'review'])
    expect(nobody).toMatchObject({ kinds: [], setups: [] })
  })

  it('narrows a CSV collection table, and rejects a bad date (exit 2)', async () => {
    const { db } = await seedHistory()
    const commits = (await runCli(['export', '--format', 'csv', '--table', 'commits', '--agent', 'build', '--model', 'gpt-5', '--db', db])).stdout.trim().split('\r\n')
    expect(commits).toHaveLength(1 + 3)
    expect(commits.slice(1).every((line) => line.includes(GPT))).toBe(true)
    const bad = await runCli(['export', '--format', 'json', '--until', 'tomorrow', '--db', db])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('Invalid --until "tomorrow"')
  })

  it('narrows json and jsonl to the --table collection, as csv', async () => {
    const { db } = await seedHistory()
    const all = JSON.parse((await runCli(['export', '--format', 'json', '--db', db])).stdout) as Export
    const commits = JSON.parse((await runCli(['export', '--format', 'json', '--table', 'commits', '--db', db])).stdout) as Export
    expect(Object.keys(commits.collections)).toEqual(['commits'])
    expect(commits.collections.commits).toEqual(all.collections.commits)
    const lines = (await runCli(['export', '--format', 'jsonl', '--table', 'commits', '--db', db])).stdout.trim().split('\n').map((line) => JSON.parse(line) as { collection: string })
    expect(lines).toHaveLength(all.collections.commits?.length ?? -1)
    expect(new Set(lines.map((line) => line.collection))).toEqual(new Set(['commits']))
  })

  it('writes the report as CSV with its header always, an empty database too, and a column for every field of a report row', async () => {
    const { db } = await seedHistory()
    const header = (text: string): string[] => (text.split('\r\n')[0] ?? '').split(',')
    const csv = (await runCli(['export', '--format', 'csv', '--db', db])).stdout
    expect(header(csv)).toEqual([...REPORT_CSV_COLUMNS])
    expect(csv.trim().split('\r\n')).toHaveLength(3)
    // Every field of a report row, nested ones dotted, has its column: a field added to the rows without one fails here.
    const rows = (jsonData((await runCli(['report', '--db', db, '--json'])).stdout, 'report') as { setups: Record<string, unknown>[] }).setups
    const fields = rows.flatMap((row) => Object.entries(row).flatMap(([key, value]) => (typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value).map((inner) => `${key}.${inner}`) : [key])))
    expect(new Set(fields)).toEqual(new Set(REPORT_CSV_COLUMNS))
    const empty = join(tempFolder('empty-'), 'tracker.lmdb')
    expect((await runCli(['ingest', '--db', empty], { input: '' })).code).toBe(0)
    expect((await runCli(['export', '--format', 'csv', '--db', empty])).stdout).toBe(`${REPORT_CSV_COLUMNS.join(',')}\r\n`)
  })

  it('says when a setup, agent or model filter matches nothing, as report does, and still writes the (empty) export', async () => {
    const { db, root } = await seedHistory()
    for (const format of ['html', 'csv', 'json']) {
      const out = join(root, `typo.${format}`)
      const typo = await runCli(['export', '--format', format, '--model', 'gpt5', '--out', out, '--db', db])
      expect(typo.code, format).toBe(0)
      expect(typo.stderr, format).toContain('No recorded work matches these filters (model gpt5).')
      expect(typo.stderr, format).toContain('Did you mean --model openai/gpt-5?')
      expect(readFileSync(out, 'utf8').length, format).toBeGreaterThan(0)
    }
    expect((await runCli(['export', '--format', 'csv', '--model', 'gpt-5', '--out', join(root, 'match.csv'), '--db', db])).stderr).not.toContain('No recorded work matches')
  })

  it('says why it cannot write --out, before any work', async () => {
    const { db, root } = await seedHistory()
    const cases: (readonly [string, string])[] = [[join(root, 'missing', 'x.json'), `its folder ${join(root, 'missing')} does not exist`], [root, 'it is a folder']]
    // A folder that is there but makes no new files (Linux's /proc): not said to be missing.
    if (process.platform === 'linux') cases.push(['/proc/report.json', 'no file can be made in /proc'])
    for (const [out, why] of cases) {
      for (const format of ['json', 'jsonl', 'csv', 'html']) {
        const failed = await runCli(['export', '--format', format, '--out', out, '--db', db])
        expect(failed.code).toBe(1)
        expect(failed.stderr).toContain(`Cannot write ${out}: ${why}. Give --out a file path in a folder you can write to.`)
      }
    }
  })

  it('reads --out - as stdout: the export printed as without --out, the HTML report too, and no file named -', async () => {
    const { db } = await seedHistory()
    const cwd = tempFolder('out-')
    const now = new Date('2026-03-03T12:00:00.000Z')
    const run = (args: readonly string[]): ReturnType<typeof runCli> => runCli(['export', ...args, '--db', db], { cwd, now })
    for (const format of [['json'], ['jsonl'], ['csv'], ['csv', '--table', 'commits']]) {
      const printed = await run(['--format', ...format])
      const dashed = await run(['--format', ...format, '--out', '-'])
      expect(dashed, format.join(' ')).toEqual({ ...printed, stdout: expect.stringMatching(/\S/) as unknown })
      expect(dashed.stdout, format.join(' ')).toBe(printed.stdout)
    }
    // The HTML report, which goes to a file of its own without --out, comes to stdout with --out - as it is written to a file.
    const html = await run(['--format', 'html', '--out', '-'])
    expect(html.code).toBe(0)
    expect((await run(['--format', 'html', '--out', join(cwd, 'report.html')])).code).toBe(0)
    expect(html.stdout).toBe(readFileSync(join(cwd, 'report.html'), 'utf8'))
    expect(existsSync(join(cwd, '-'))).toBe(false)
    // With --json, stdout holds the JSON: the envelope of a JSON export, as without --out; for the other formats, --out - is refused as no --out is.
    expect((await run(['--format', 'json', '--out', '-', '--json'])).stdout).toBe((await run(['--format', 'json', '--json'])).stdout)
    for (const format of ['csv', 'jsonl']) {
      expect(await run(['--format', format, '--out', '-', '--json'])).toMatchObject({ code: 2, stderr: expect.stringContaining(`--json with --format ${format} needs --out <file>, not -: the export goes to the file and a JSON summary to stdout (or leave out --json to print the export).`) as unknown })
    }
    expect(await run(['--format', 'html', '--out', '-', '--json'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--json with --format html needs --out <file>, not -: the export goes to the file and a JSON summary to stdout (leave out --out to write agent-tracker-report.html, or leave out --json to print the report).') as unknown })
    expect(existsSync(join(cwd, '-'))).toBe(false)
  })

  it('refuses a --table it would not use, and an empty --out, as usage errors', async () => {
    const { db } = await seedHistory()
    for (const [args, message] of [
      [['--format', 'json', '--table', 'report'], '--table report is for --format csv only; for json, --table names one collection'],
      [['--format', 'jsonl', '--table', 'report'], '--table report is for --format csv only; for jsonl, --table names one collection'],
      [['--format', 'html', '--table', 'commits'], '--table does not go with --format html'],
      [['--format', 'json', '--out', ''], '--out needs a file path, got an empty one.'],
    ] as const) {
      const refused = await runCli(['export', ...args, '--db', db])
      expect(refused.code).toBe(2)
      expect(refused.stderr).toContain(message)
    }
  })

  it('says a write that fails after the file opened (a full disk) plainly, and stops', async () => {
    const { db } = await seedHistory()
    const full = await runCli(['export', '--format', 'jsonl', '--out', '/dev/full', '--db', db])
    expect(full.code).toBe(1)
    expect(full.stderr).toContain('error: Could not write /dev/full: the disk is full. What was written so far is incomplete.')
  })

  it('tells a JSON reader that there is no database yet, inside the streamed envelope', async () => {
    const { root } = await seedHistory()
    const missing = join(root, 'none.lmdb')
    const run = await runCli(['export', '--format', 'json', '--json', '--db', missing])
    expect(run.code).toBe(0)
    const envelope = JSON.parse(run.stdout) as { command: string; data: Export; notices?: { code: string; message: string }[] }
    expect(envelope.command).toBe('export')
    expect(envelope.notices).toEqual([{ code: 'NO_DATABASE', message: expect.stringContaining(missing) as unknown }])
    expect(Object.values(envelope.data.collections).every((records) => records.length === 0)).toBe(true)
  })

  it('says a full disk behind stdout in one line and exits 1, for any command (the built binary, stdout on /dev/full)', async () => {
    const { db } = await seedHistory()
    for (const args of [['export', '--format', 'jsonl'], ['report']]) {
      const full = openSync('/dev/full', 'w')
      try {
        const run = spawnSync(process.execPath, [BUILT_BIN, ...args, '--db', db], { stdio: ['ignore', full, 'pipe'], encoding: 'utf8', env: { ...process.env, AGENT_TRACKER_COMPILE_CACHE: 'off' } })
        expect(run.status, args.join(' ')).toBe(1)
        expect(run.stderr).toBe('error: could not write the output: the disk is full.\n')
      } finally {
        closeSync(full)
      }
    }
  })

  it('exports a window\'s day rollups as its report counts them, so that they add up to it', async () => {
    const db = join(tempFolder(), 'cut.lmdb')
    const where = { setup: GPT, project: '/p' }
    const input = [
      factLine({ ...where, kind: 'commit', hash: 'aaaa0001', message: 'before', at: '2026-06-15T10:00:00Z' }),
      factLine({ ...where, kind: 'tool_call', tool: 'bash', ok: true, at: '2026-06-15T10:00:00Z' }),
      factLine({ ...where, kind: 'usage', tokens: { input: 1000, output: 100, reasoning: 0, cacheRead: 0, cacheWrite: 0 }, cost: 0.5, at: '2026-06-15T10:00:00Z' }),
      factLine({ ...where, kind: 'commit', hash: 'aaaa0002', message: 'after', at: '2026-06-15T19:00:00Z' }),
    ].join('\n')
    expect((await runCli(['ingest', '--db', db], { input })).code).toBe(0)
    interface Row { commits: number; toolCalls: number; cost: number; tokens?: { input: number } }
    const total = (rows: readonly Row[]): Row => ({ commits: rows.reduce((n, r) => n + r.commits, 0), toolCalls: rows.reduce((n, r) => n + r.toolCalls, 0), cost: rows.reduce((n, r) => n + r.cost, 0) })
    // The 15th's noon (UTC) is before a window from 15:00, after one from 11:00; in Kathmandu the 16th begins at 18:15 UTC on the 15th.
    for (const [window, expected] of [
      [['--since', '2026-06-15T15:00Z'], { commits: 1, toolCalls: 0, cost: 0 }],
      [['--since', '2026-06-15T11:00Z'], { commits: 1, toolCalls: 1, cost: 0.5 }],
      [['--since', '2026-06-16', '--until', '2026-06-16', '--timezone', 'Asia/Kathmandu'], { commits: 1, toolCalls: 0, cost: 0 }],
    ] as const) {
      const report = jsonData((await runCli(['report', ...window, '--json', '--db', db])).stdout, 'report') as { setups: Row[] }
      const exported = JSON.parse((await runCli(['export', '--format', 'json', ...window, '--db', db])).stdout) as { collections: { usage: Row[]; commits: unknown[] } }
      expect([window, total(report.setups), total(exported.collections.usage), exported.collections.commits.length]).toEqual([window, expected, expected, expected.commits])
    }
    // Without a window, the rollups as stored.
    const all = JSON.parse((await runCli(['export', '--format', 'json', '--db', db])).stdout) as { collections: { usage: Row[] } }
    expect(all.collections.usage.map((r) => [r.commits, r.toolCalls, r.cost, r.tokens?.input])).toEqual([[2, 1, 0.5, 1000]])
  })
})
