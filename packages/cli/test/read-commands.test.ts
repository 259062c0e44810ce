import { mkdirSync, readFileSync, renameSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { REPORT_GROUPINGS } from '@agent-tracker/core'
import { KNOWN_TRUTH_SCENARIOS } from '@agent-tracker/core/backtest'
import { beforeAll, describe, expect, it } from 'vitest'
import { BACKTEST_SCENARIOS_HELP, REPORT_GROUPINGS_HELP } from '../src/program.js'
import { factLine, jsonData, jsonError, runBuiltCli, runCli, tempFolder } from './run-cli.js'
import type { Seeded } from './seed.js'
import { GPT, SONNET, seedHistory } from './seed.js'

let seeded: Seeded
beforeAll(async () => {
  seeded = await seedHistory()
}, 60_000)

const COMMANDS = ['status', 'agents', 'report', 'recommend', 'backtest', 'search', 'history', 'projects', 'grade', 'bug', 'reinstate', 'retro', 'activity', 'migrate', 'merge', 'upgrade', 'export', 'ingest', 'import', 'doctor', 'init', 'sync', 'demo']

describe('help and usage', () => {
  it.each(COMMANDS)('%s --help explains the command with an example and exits 0', async (command) => {
    const { code, stdout } = await runCli([command, '--help'])
    expect(code).toBe(0)
    expect(stdout).toContain(`Usage: agent-tracker ${command}`)
    expect(stdout).toMatch(/Example:\n {2}\$ agent-tracker /)
    if (command !== 'demo') expect(stdout).toContain('--json')
  })

  it('names in report --help every grouping core offers (written out so that --help loads no core)', async () => {
    expect(REPORT_GROUPINGS_HELP).toEqual(REPORT_GROUPINGS)
    expect((await runCli(['report', '--help'])).stdout).toContain(`one table per ${REPORT_GROUPINGS.join(', ')}`)
  })

  it('names in backtest --help every scenario core can play (written out so that --help loads no core)', async () => {
    expect(BACKTEST_SCENARIOS_HELP).toEqual(KNOWN_TRUTH_SCENARIOS.map((scenario) => scenario.name))
    expect((await runCli(['backtest', '--help'])).stdout.replace(/\s+/g, ' ')).toContain(`all, ${BACKTEST_SCENARIOS_HELP.join(', ')}`)
  })

  it('run bare, prints its help on stdout and exits 0, as --help does', async () => {
    const help = await runBuiltCli(['--help'])
    const bare = await runBuiltCli([])
    expect(bare).toEqual({ code: 0, stdout: help.stdout, stderr: '', signal: null })
    expect(bare.stdout).toContain('Usage: agent-tracker [options] [command]')
    expect(bare.stdout).toMatch(/\n {2}report \[options\] +outcomes per setup/)
  })

  it('exits 2 with usage on an unknown command, option or missing argument', async () => {
    const unknown = await runCli(['reprot'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain("unknown command 'reprot'")
    // Asked for its help, a mistyped command is still unknown, not the program's help and exit 0.
    for (const help of ['--help', '-h']) {
      const typo = await runCli(['statu', help])
      expect(typo).toMatchObject({ code: 2, stdout: '' })
      expect(typo.stderr).toMatch(/unknown command 'statu'\s+\(Did you mean status\?\)/)
    }
    expect(await runCli(['status', '--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('Usage: agent-tracker status') as unknown })
    expect((await runCli(['report', '--colour'])).code).toBe(2)
    const missing = await runCli(['grade', SONNET, 'abcd'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain("required option '--user <grade>' not specified")
  })

  it('prints a usage error as JSON only, with --json', async () => {
    const { code, stdout, stderr } = await runCli(['report', '--bogus', '--json'])
    expect(code).toBe(2)
    expect(JSON.parse(stdout)).toEqual({ version: 1, command: 'report', error: { code: 'USAGE', message: "unknown option '--bogus'" } })
    expect(stderr).toContain("unknown option '--bogus'")
  })
})

describe('status and agents', () => {
  it('shows a status card and, with --json, only the JSON status', async () => {
    const card = await runCli(['status', SONNET, '--db', seeded.db])
    expect(card.code).toBe(0)
    expect(card.stdout).toContain(SONNET)
    expect(card.stdout).toMatch(/Commits +6 \(0 pushes\), 0 bugs/)
    const json = await runCli(['status', SONNET, '--db', seeded.db, '--json'])
    expect(jsonData(json.stdout, 'status')).toMatchObject({ setup: SONNET, state: { commits: 6 }, halted: false })
  })

  it('explains an unknown setup and lists the known ones (exit 1)', async () => {
    const { code, stderr, stdout } = await runCli(['status', 'build@nobody/nothing', '--db', seeded.db])
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toBe('error: Unknown setup "build@nobody/nothing". Known setups: build@anthropic/claude-sonnet-4-5, build@openai/gpt-5. Run `agent-tracker agents` to list them.\n')
  })

  it('ranks the leaderboard with the halted setup last', async () => {
    const { code, stdout } = await runCli(['agents', '--db', seeded.db, '--json'])
    expect(code).toBe(0)
    const rows = jsonData(stdout, 'agents') as { rank: number; status: { setup: string; halted: boolean } }[]
    expect(rows.map((r) => [r.rank, r.status.setup, r.status.halted])).toEqual([[1, SONNET, false], [2, GPT, true]])
    expect((await runCli(['agents', '--db', seeded.db])).stdout).toMatch(/1 +build@anthropic\/claude-sonnet-4-5 .*active\n2 +build@openai\/gpt-5 .*halted/)
  })
})

describe('agents with filters', () => {
  it('rejects a bad date (exit 2) and an unknown project (exit 1), like report', async () => {
    const date = await runCli(['agents', '--db', seeded.db, '--since', 'garbage', '--project', 'nowhere'])
    expect(date.code).toBe(2)
    expect(date.stderr).toContain('error: Invalid --since "garbage": use a date (2026-10-15 or 20261015)')
    const project = await runCli(['agents', '--db', seeded.db, '--project', 'nowhere'])
    expect(project.code).toBe(1)
    expect(project.stderr).toContain('No recorded project matches "nowhere"')
  })

  it('ranks only setups that worked in the project and window, counting their commits and bugs there', async () => {
    const api = jsonData((await runCli(['agents', '--db', seeded.db, '--json', '--project', 'api'])).stdout, 'agents') as { rank: number; status: { setup: string }; window: { commits: number; bugs: number } }[]
    expect(api.map((r) => [r.rank, r.status.setup, r.window])).toEqual([[1, GPT, { commits: 3, bugs: 1 }]])
    const text = await runCli(['agents', '--db', seeded.db, '--project', 'shop', '--since', '2026-03-01', '--until', '2026-03-02'])
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/1 +build@anthropic\/claude-sonnet-4-5 .* 6 +0 +active/)
    expect(text.stdout).not.toContain(GPT)
    expect(text.stdout).toContain('COMMITS and BUGS count project shop')
    const later = await runCli(['agents', '--db', seeded.db, '--since', '2026-04-01'])
    expect(later.code).toBe(0)
    expect(later.stdout).toContain('No setup worked in this window.')
    const oneSetup = jsonData((await runCli(['agents', '--db', seeded.db, '--json', '--setup', SONNET])).stdout, 'agents') as { status: { setup: string } }[]
    expect(oneSetup.map((r) => r.status.setup)).toEqual([SONNET])
    // A filter that matches no setup says so, and what was recorded, rather than that none is.
    const typo = await runCli(['agents', '--db', seeded.db, '--model', 'gpt5'])
    expect(typo.stdout).toContain('No recorded work matches these filters (model gpt5).')
    expect(typo.stdout).toContain('Models recorded: anthropic/claude-sonnet-4-5, openai/gpt-5.')
    expect(typo.stdout).not.toContain('No setups recorded yet.')
  })
})

describe('report', () => {
  it('reports per setup with grades, failure rate and cost per commit', async () => {
    const { code, stdout } = await runCli(['report', '--db', seeded.db, '--json'])
    expect(code).toBe(0)
    const report = jsonData(stdout, 'report') as { setups: { setup: string; commits: number; meanUserGrade: number; toolFailureRate: number; costPerCommit: number; bugsPerCommit: number }[] }
    expect(report.setups.map((r) => r.setup)).toEqual([SONNET, GPT])
    expect(report.setups[0]).toMatchObject({ commits: 6, bugsPerCommit: 0 })
    expect(report.setups[0]?.toolFailureRate).toBeCloseTo(1 / 6, 10)
    expect(report.setups[0]?.meanUserGrade).toBeCloseTo((2 + 5 + 2 + 5 + 2) / 5, 10)
    expect(report.setups[0]?.costPerCommit).toBeCloseTo(0.05, 10)
    expect(report.setups[1]).toMatchObject({ commits: 3 })
    expect(report.setups[1]?.bugsPerCommit).toBeCloseTo(1 / 3, 10)
    expect(report.setups[1]?.meanUserGrade).toBeCloseTo(1 / 3, 10)
  })

  it('filters by project name, model, agent and dates', async () => {
    const byProject = jsonData((await runCli(['report', '--db', seeded.db, '--json', '--project', 'api'])).stdout, 'report') as { setups: { setup: string }[] }
    expect(byProject.setups.map((r) => r.setup)).toEqual([GPT])
    const byModel = jsonData((await runCli(['report', '--db', seeded.db, '--json', '--model', 'claude-sonnet-4-5'])).stdout, 'report') as { setups: { setup: string }[] }
    expect(byModel.setups.map((r) => r.setup)).toEqual([SONNET])
    const bySetup = jsonData((await runCli(['report', '--db', seeded.db, '--json', '--setup', GPT])).stdout, 'report') as { filters: Record<string, string>; setups: { setup: string; commits: number }[] }
    expect(bySetup.filters).toEqual({ setup: GPT })
    expect(bySetup.setups.map((r) => [r.setup, r.commits])).toEqual([[GPT, 3]])
    // A setup that was never recorded (here its provider left out): the ones that were.
    const unknownSetup = await runCli(['report', '--db', seeded.db, '--setup', 'build@gpt-5'])
    expect(unknownSetup.code).toBe(0)
    expect(unknownSetup.stdout).toContain('No recorded work matches these filters (setup build@gpt-5).')
    expect(unknownSetup.stdout).toContain(`Setups recorded: ${SONNET}, ${GPT}.`)
    // A typo is met with the setup, agent or model it is close to.
    expect((await runCli(['report', '--db', seeded.db, '--setup', 'gpt5'])).stdout).toContain(`Did you mean --setup ${GPT}?`)
    expect((await runCli(['report', '--db', seeded.db, '--setup', 'nothing-like-it'])).stdout).not.toContain('Did you mean')
    // A JSON reader is told the same among the notices, for report, report --by, agents and export alike.
    for (const args of [['report'], ['report', '--by', 'week'], ['agents'], ['export', '--format', 'json']]) {
      const json = JSON.parse((await runCli([...args, '--db', seeded.db, '--setup', 'gpt5', '--json'])).stdout) as { notices?: { code: string; message: string }[] }
      expect(json.notices, args.join(' ')).toEqual([{ code: 'NO_MATCH', message: expect.stringContaining(`Did you mean --setup ${GPT}?`) as unknown }])
    }
    expect(JSON.parse((await runCli(['report', '--db', seeded.db, '--since', '2026-04-01', '--json'])).stdout)).not.toHaveProperty('notices')
    const none = await runCli(['report', '--db', seeded.db, '--since', '2026-04-01'])
    expect(none.stdout).toContain('No recorded work matches these filters (since 2026-04-01T00:00:00.000Z).')
    // A model or agent that was never recorded: the ones that were, so a typo shows.
    const typo = await runCli(['report', '--db', seeded.db, '--model', 'gpt5', '--agent', 'bild'])
    expect(typo.stdout).toContain('No recorded work matches these filters (agent bild, model gpt5).')
    expect(typo.stdout).toMatch(/Agents recorded: .*build.*\.\nModels recorded: .*anthropic\/claude-sonnet-4-5.*\./)
    expect(typo.stdout).toContain('Did you mean --agent build?')
    expect(typo.stdout).toContain('Did you mean --model openai/gpt-5?')
    const byWeek = await runCli(['report', '--db', seeded.db, '--by', 'week', '--model', 'gpt5'])
    expect(byWeek.stdout).toContain('Models recorded: ')
    const window = jsonData((await runCli(['report', '--db', seeded.db, '--json', '--since', '2026-03-02', '--until', '2026-03-02'])).stdout, 'report') as { filters: Record<string, string> }
    expect(window.filters).toMatchObject({ since: '2026-03-02T00:00:00.000Z', until: '2026-03-03T00:00:00.000Z' })
  })

  it('says that on a day the window cuts, tool calls, tokens and cost count whole or not at all', async () => {
    // Every tool call and cost of the seed falls on the morning of 2 March (UTC).
    const fromTen = await runCli(['report', '--db', seeded.db, '--since', '2026-03-02T10:00Z'])
    expect(fromTen.code).toBe(0)
    expect(fromTen.stdout.replace(/\s+/g, ' ')).toContain('Tool calls, commands, pushes, messages, tokens and cost (and the XP+ they earn) are kept per UTC day, so on a day the window cuts they count whole or not at all: 2026-03-02 counts the whole day\'s (a cut day counts when its noon, UTC, falls inside the window). Commits, bugs and grades are counted exactly.')
    const untilTen = jsonData((await runCli(['report', '--db', seeded.db, '--json', '--until', '2026-03-02T10:00Z'])).stdout, 'report') as { cutDays?: unknown; setups: { setup: string; commits: number; toolCalls: number }[] }
    expect(untilTen.cutDays).toEqual([{ day: '2026-03-02', counted: false }])
    expect(untilTen.setups[0]).toMatchObject({ setup: SONNET, toolCalls: 0 })
    const byDay = await runCli(['report', '--db', seeded.db, '--by', 'day', '--until', '2026-03-02T10:00Z'])
    expect(byDay.stdout.replace(/\s+/g, ' ')).toContain('2026-03-02 counts none (a cut day counts when its noon')
    // Whole UTC days cut nothing, so there is nothing to say.
    const whole = await runCli(['report', '--db', seeded.db, '--json', '--since', '2026-03-02', '--until', '2026-03-02'])
    expect(jsonData(whole.stdout, 'report')).not.toHaveProperty('cutDays')
    const out = join(tempFolder('html-'), 'report.html')
    expect((await runCli(['export', '--format', 'html', '--out', out, '--db', seeded.db, '--since', '2026-03-02T10:00Z'])).code).toBe(0)
    expect(readFileSync(out, 'utf8')).toContain('<p class="note">Tool calls, commands, pushes, messages, tokens and cost (and the XP+ they earn) are kept per UTC day')
  })

  it('rejects a bad date (exit 2) and an unknown project (exit 1) clearly', async () => {
    const date = await runCli(['report', '--db', seeded.db, '--since', '03/02/2026'])
    expect(date.code).toBe(2)
    expect(date.stderr).toContain('error: Invalid --since "03/02/2026": use a date (2026-10-15 or 20261015), a date-time (2026-10-15T09:00, with Z or +02:00 for another zone), or a time back from now (today, yesterday, 12h, 7d, 4w, 3m, 1y).')
    const project = await runCli(['report', '--db', seeded.db, '--project', 'nowhere'])
    expect(project.code).toBe(1)
    expect(project.stderr).toContain('No recorded project matches "nowhere" (as a path or a name). Known projects: ')
  })

  it('fits narrow terminals by hiding the least important columns', async () => {
    const { stdout } = await runCli(['report', '--db', seeded.db], { env: { COLUMNS: '70' } })
    const table = stdout.split('\n').filter((line) => line.startsWith('build@'))
    expect(table.every((line) => line.length <= 70)).toBe(true)
    expect(stdout).toContain('hidden to fit the terminal; widen it or use --json')
    expect(stdout).toContain('USER⌀')
  })

  it('lists setups as records in a terminal too narrow for most columns, every column still shown', async () => {
    const { stdout, code } = await runCli(['agents', '--db', seeded.db], { env: { COLUMNS: '40' } })
    expect(code).toBe(0)
    expect(stdout).not.toContain('hidden to fit the terminal')
    const records = stdout.trim().split('\n\n')
    expect(records.length).toBeGreaterThan(1)
    for (const record of records) {
      const [heading, ...fields] = record.split('\n')
      expect(heading).toMatch(/^\S+@\S+$/)
      expect(fields.map((line) => line.trim().split(/\s{2,}/)[0])).toEqual(['#', 'SP', 'TRUST', 'XP', 'CS', 'COMMUNICATION', 'COMMITS', 'BUGS', 'STATE'])
    }
  })

  it('colours only when asked to or on a terminal', async () => {
    expect((await runCli(['agents', '--db', seeded.db], { env: { NO_COLOR: undefined } })).stdout).not.toContain('\u001b[')
    expect((await runCli(['agents', '--db', seeded.db], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } })).stdout).toContain('\u001b[')
    expect((await runCli(['agents', '--db', seeded.db], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } })).stdout).not.toContain('\u001b[')
  })
})

describe('history, projects, recommend and search', () => {
  it('shows a setup history newest first', async () => {
    const { code, stdout } = await runCli(['history', GPT, '--db', seeded.db, '--json', '--limit', '3'])
    expect(code).toBe(0)
    const history = jsonData(stdout, 'history') as { entries: { kind: string }[] }
    expect(history.entries.map((e) => e.kind)).toEqual(['bug', 'grade', 'commit'])
    expect((await runCli(['history', GPT, '--db', seeded.db, '--limit', '0'])).code).toBe(2)
  })

  it('lists projects and profiles them from their folders with --refresh', async () => {
    const before = jsonData((await runCli(['projects', '--db', seeded.db, '--json'])).stdout, 'projects') as { projects: { name: string; profile?: unknown }[] }
    expect(before.projects.map((p) => p.name).sort()).toEqual(['api', 'shop'])
    const refreshed = jsonData((await runCli(['projects', '--db', seeded.db, '--json', '--refresh'])).stdout, 'projects') as { projects: { name: string; commits: number; profile: { language: string } }[]; refreshed: string[] }
    expect(refreshed.refreshed).toHaveLength(2)
    expect(refreshed.projects.map((p) => [p.name, p.profile.language, p.commits]).sort()).toEqual([['api', 'python', 3], ['shop', 'typescript', 6]])
  })

  it('recommends with sample sizes, and says when there is not enough data', async () => {
    await runCli(['projects', '--db', seeded.db, '--refresh'])
    const { code, stdout } = await runCli(['recommend', seeded.shop, '--db', seeded.db, '--json'])
    expect(code).toBe(0)
    const result = jsonData(stdout, 'recommend') as { state: string; setups: { setup: string; rank: number | null; samples: number }[] }
    expect(result.state).toBe('ranked')
    expect(result.setups[0]).toMatchObject({ setup: SONNET, rank: 1, samples: 5 })
    for (const folder of [seeded.shop, seeded.api]) {
      const text = await runCli(['recommend', folder, '--db', seeded.db])
      const json = jsonData((await runCli(['recommend', folder, '--db', seeded.db, '--json'])).stdout, 'recommend') as { setups: { setup: string; reason: string }[] }
      expect(json.setups.length).toBeGreaterThan(0)
      for (const setup of json.setups) expect(text.stdout).toContain(`${setup.setup}: ${setup.reason}`)
    }
    const python = await runCli(['recommend', seeded.api, '--db', seeded.db])
    expect(python.stdout).toContain('Not enough data to recommend a setup yet')
    expect(python.stdout).toContain('not enough data')
    const notAFolder = await runCli(['recommend', 'no/such/dir', '--db', seeded.db])
    expect(notAFolder.code).toBe(2)
    expect(notAFolder.stderr).toContain('"no/such/dir" is not a project folder')
    // An empty argument (a script's unset variable) is refused, not taken for the current folder.
    const empty = await runCli(['recommend', '', '--db', seeded.db], { cwd: seeded.shop })
    expect(empty.code).toBe(2)
    expect(empty.stderr).toContain('The project folder argument is empty: name a folder, or leave it out for the current one.')
  })

  it('searches prior art by task words, a query of any length', async () => {
    const { code, stdout } = await runCli(['search', 'payment', 'webhooks', '--db', seeded.db, '--json'])
    expect(code).toBe(0)
    const result = jsonData(stdout, 'search') as { patterns: { title: string }[]; mistakes: { title: string }[] }
    expect(result.patterns.map((p) => p.title)).toContain('Stripe payment webhooks')
    expect(result.mistakes.map((m) => m.title)).toContain('webhook retried twice')
    // --limit cuts each list, and says so when it left some out.
    const all = jsonData((await runCli(['search', 'shop', 'change', '--db', seeded.db, '--json'])).stdout, 'search') as { patterns: unknown[]; more: { patterns: boolean } }
    expect(all.patterns.length).toBeGreaterThan(1)
    expect(all.more.patterns).toBe(false)
    const cut = jsonData((await runCli(['search', 'shop', 'change', '--limit', '1', '--db', seeded.db, '--json'])).stdout, 'search') as { patterns: unknown[]; more: { patterns: boolean } }
    expect(cut).toMatchObject({ patterns: [all.patterns[0]], more: { patterns: true } })
    expect((await runCli(['search', 'shop', 'change', '--limit', '1', '--db', seeded.db])).stdout).toMatch(/Showing the best 1 of each; there are more (of both|patterns): add --limit 2 \(or narrow with more words or --project\) to see them\./)
    expect((await runCli(['search', ' ', '--db', seeded.db])).code).toBe(2)
    // A pasted blob: one word of 40,000 letters is too large for one regular expression.
    const blob = await runCli(['search', 'payment', 'webhooks', 'x'.repeat(40_000), '--db', seeded.db])
    expect(blob).toMatchObject({ code: 0, stderr: '' })
    expect(blob.stdout).toContain('Stripe payment webhooks')
    expect(blob.stdout).not.toContain('xxxx')
  })

  it('searches with --project a folder, a recorded project by name, or one whose folder is gone, and refuses a path that is none of them', async () => {
    expect((await runCli(['search', 'payment', '--project', seeded.shop, '--db', seeded.db])).code).toBe(0)
    expect((await runCli(['search', 'payment', '--project', 'shop', '--db', seeded.db], { cwd: tempFolder() })).code).toBe(0)
    const missing = join(seeded.shop, 'no-such-folder')
    const refused = await runCli(['search', 'payment', '--project', missing, '--db', seeded.db, '--json'])
    expect(refused.code).toBe(1)
    expect(jsonError(refused.stdout)).toMatchObject({ code: 'UNKNOWN_PROJECT' })
    expect(jsonError((await runCli(['search', 'payment', '--project', 'shopp', '--db', seeded.db, '--json'], { cwd: tempFolder() })).stdout)).toMatchObject({ code: 'UNKNOWN_PROJECT', message: expect.stringContaining('Did you mean shop?') as unknown })
    // The recorded project, its folder moved away (a database from another machine): still searched by its stored profile.
    const moved = `${seeded.shop}-moved`
    renameSync(seeded.shop, moved)
    try {
      expect((await runCli(['search', 'payment', '--project', seeded.shop, '--db', seeded.db])).code).toBe(0)
    } finally {
      renameSync(moved, seeded.shop)
    }
  })

  it('lists retrospectives and journal entries', async () => {
    const { entries: retros, more } = jsonData((await runCli(['retro', SONNET, '--db', seeded.db, '--json', '--limit', '50'])).stdout, 'retro') as { entries: { commit: string; agentNote?: string }[]; more: boolean }
    expect(retros).toHaveLength(5)
    expect(more).toBe(false)
    expect(retros.find((r) => r.commit === '5a1b0c0ffee')?.agentNote).toBe('rounded in cents')
    const journal = await runCli(['activity', '--db', seeded.db])
    expect(journal.stdout).toContain('Stripe payment webhooks')
  })
})

describe('--project inside a repository', () => {
  it('names a known project before the repository holding a folder of that name, finds work recorded under a subfolder, and else takes the repository', async () => {
    const root = tempFolder('monorepo-')
    const [api, shop] = [join(root, 'api'), join(root, 'shop')]
    for (const folder of [api, join(shop, '.git'), join(shop, 'api'), join(shop, 'src'), join(shop, 'web')]) mkdirSync(folder, { recursive: true })
    const db = join(root, 'db.lmdb')
    const commit = (project: string, hash: string): string => factLine({ kind: 'commit', setup: SONNET, project, hash, message: hash })
    expect((await runCli(['ingest', '--db', db], { input: [commit(api, 'aaaa1111'), commit(shop, 'bbbb2222'), commit(join(shop, 'src'), 'cccc3333')].join('\n') })).code).toBe(0)
    const projects = async (project: string, cwd: string): Promise<string[]> => {
      const run = await runCli(['history', SONNET, '--project', project, '--db', db, '--json'], { cwd })
      expect(run.code, run.stderr).toBe(0)
      return [...new Set((jsonData(run.stdout, 'history') as { entries: { project: string }[] }).entries.map((entry) => entry.project))]
    }
    // In shop, which has an api folder, `api` is still the project named api.
    expect(await projects('api', shop)).toEqual([api])
    // Work recorded under a subfolder before projects were repository roots.
    expect(await projects('src', shop)).toEqual([join(shop, 'src')])
    // A folder that is no project of its own: the repository holding it.
    expect(await projects('.', join(shop, 'web'))).toEqual([shop])
  })
})

describe('a report of few records in a zone not UTC', () => {
  it('opens no group of zeros for a day rollup that holds only a commit (Tokyo: one commit, one day)', async () => {
    const db = join(tempFolder(), 'tokyo.lmdb')
    const input = [
      factLine({ setup: SONNET, project: '/p', kind: 'commit', hash: 'aaaa1111', message: 'm', at: '2026-06-15T20:00:00Z' }),
      factLine({ setup: SONNET, project: '/p', kind: 'tool_call', tool: 'bash', ok: true, at: '2026-06-14T20:00:00Z' }),
    ].join('\n')
    expect((await runCli(['ingest', '--db', db], { input })).code).toBe(0)
    const byDay = jsonData((await runCli(['report', '--db', db, '--by', 'day', '--timezone', 'Asia/Tokyo', '--json'])).stdout, 'report') as { groups: { key: string; setups: { commits: number; toolCalls: number }[] }[] }
    // The commit is on the 16th in Tokyo; the tool call's day (the 14th, UTC) has its counters; the 15th, UTC, only the commit.
    expect(byDay.groups.map((group) => [group.key, group.setups.map((row) => [row.commits, row.toolCalls])])).toEqual([['2026-06-14', [[0, 1]]], ['2026-06-16', [[1, 0]]]])
  })

  it('shows bugs in a window with no commit as a count, not a dash', async () => {
    const db = join(tempFolder(), 'bug-only.lmdb')
    const input = [
      factLine({ setup: SONNET, project: '/p', kind: 'commit', hash: 'aaaa1111', message: 'm', at: '2026-06-15T10:00:00Z' }),
      factLine({ setup: SONNET, project: '/p', kind: 'bug', by: 'user', note: 'broke', at: '2026-06-16T10:00:00Z' }),
      factLine({ setup: SONNET, project: '/p', kind: 'bug', by: 'user', note: 'broke again', at: '2026-06-16T11:00:00Z' }),
    ].join('\n')
    expect((await runCli(['ingest', '--db', db], { input })).code).toBe(0)
    const window = await runCli(['report', '--db', db, '--since', '2026-06-16', '--until', '2026-06-16'])
    expect(window.stdout).toMatch(/build@anthropic\/claude-sonnet-4-5\s+0\s+2 bugs\s/)
    // With commits, bugs are per commit as before.
    expect((await runCli(['report', '--db', db])).stdout).toMatch(/build@anthropic\/claude-sonnet-4-5\s+1\s+2\.00\s/)
  })

  it('names projects two share a name with by their paths when none matches, and takes a blank --project as a usage error', async () => {
    const db = join(tempFolder(), 'names.lmdb')
    const input = ['/a/api', '/b/api', '/c/shop'].map((project, index) => factLine({ setup: SONNET, project, kind: 'commit', hash: `aaaa000${String(index)}`, message: 'm', at: '2026-06-15T10:00:00Z' })).join('\n')
    expect((await runCli(['ingest', '--db', db], { input })).code).toBe(0)
    const unknown = await runCli(['report', '--db', db, '--project', 'nowhere'])
    expect(unknown.code).toBe(1)
    expect(/Known projects: (.*)\.\n/.exec(unknown.stderr)?.[1]?.split(', ').sort()).toEqual(['/a/api', '/b/api', 'shop'])
    const blank = await runCli(['report', '--db', db, '--project', ' '])
    expect(blank.code).toBe(2)
    expect(blank.stderr).toContain("error: The project is blank: give a recorded project's path or name (agent-tracker projects lists them).")
  })

  it('finds a project given through a symbolic link to its folder, or to a folder in it, as the hosts record it by its physical path', async () => {
    const root = tempFolder()
    const project = join(root, 'code', 'app')
    mkdirSync(join(project, '.git'), { recursive: true })
    mkdirSync(join(project, 'src'))
    symlinkSync(project, join(root, 'app-link'))
    const db = join(root, 'links.lmdb')
    expect((await runCli(['ingest', '--db', db], { input: factLine({ setup: SONNET, project, kind: 'commit', hash: 'aaaa0001', message: 'm', at: '2026-06-15T10:00:00Z' }) })).code).toBe(0)
    for (const given of [join(root, 'app-link'), `${join(root, 'app-link')}/`, join(root, 'app-link', 'src')]) {
      const report = await runCli(['report', '--db', db, '--project', given, '--json'])
      expect(report.code, given).toBe(0)
      expect((jsonData(report.stdout, 'report') as { filters: { project?: string } }).filters.project, given).toBe(project)
    }
    const relative = await runCli(['report', '--db', db, '--project', 'app-link', '--json'], { cwd: root })
    expect((jsonData(relative.stdout, 'report') as { filters: { project?: string } }).filters.project).toBe(project)
  })
})
