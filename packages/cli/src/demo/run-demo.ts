import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { HistoryScenario } from '@agent-tracker/core/backtest'
import { generateHistory } from '@agent-tracker/core/backtest'
import { agentsCommand } from '../commands/agents.js'
import { backtestCommand } from '../commands/backtest.js'
import { exportCommand } from '../commands/export.js'
import { recommendCommand } from '../commands/recommend.js'
import { reportCommand } from '../commands/report.js'
import { shellWord } from '../hooks/shell-quote.js'
import { CliError, EXIT } from '../cli-error.js'
import { CommandContext } from '../context.js'
import type { Io } from '../io.js'
import { absolutePath } from '../io.js'
import { answerEnvelope, toJsonText } from '../json-envelope.js'
import { playHistory } from './play-history.js'
import { DEMO_SCENARIO } from './scenario.js'

/**
 * `demo`: plays a realistic history into a fresh database, then shows what the tracker makes of
 * it. Without `--dir` it works in a temporary folder and removes it at the end, whatever happens.
 */
export async function demoCommand(io: Io, options: { dir?: string; json?: boolean }): Promise<void> {
  if (options.dir !== undefined) {
    const folder = absolutePath(io, options.dir)
    // The demo writes a database of its own there: never into one that holds real work, nor over an earlier demo's.
    if (existsSync(folder) && readdirSync(folder).length > 0) {
      throw new CliError('USAGE', `--dir ${options.dir}: ${folder} is not empty (an earlier demo, or files of yours). Give a new or empty folder, or remove that one first.`, EXIT.usage)
    }
    await playDemo(io, folder, options, true)
    return
  }
  const folder = mkdtempSync(join(tmpdir(), 'agent-tracker-demo-'))
  try {
    await playDemo(io, folder, options, false)
  } finally {
    rmSync(folder, { recursive: true, force: true, maxRetries: 3 })
  }
}

/** The scenario moved in time so that its history ends at the start of today (UTC): `report --days 7` then shows its last week. */
function endingToday(scenario: HistoryScenario, now: Date): HistoryScenario {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  return { ...scenario, start: new Date(today - scenario.days * 86_400_000).toISOString() }
}

async function playDemo(io: Io, folder: string, options: { json?: boolean }, kept: boolean): Promise<void> {
  mkdirSync(folder, { recursive: true })
  const databasePath = join(folder, 'agent-tracker.lmdb')
  const say = (text: string): void => {
    if (options.json !== true) io.stdout.write(`${text}\n`)
  }
  say(`agent-tracker demo — playing 8 weeks of work on 6 projects through the real tracking path`)
  say(`(tracking service → write buffer → LMDB store, flushing on every push and session end)\n`)
  const { truth: _truth, ...played } = await playHistory(folder, databasePath, generateHistory(endingToday(DEMO_SCENARIO, io.now?.() ?? new Date())), { evidence: true })
  say(`Recorded ${String(played.facts)} facts from ${String(played.sessions)} sessions of ${String(played.setups)} setups in ${String(played.flushes)} atomic flushes into ${databasePath},`)
  say(`with the evidence agent-tracker evidence would read in the projects' git histories (generated with the history: the demo's projects have none)\n`)

  const newProjects = join(folder, 'new-projects')
  const typescriptApp = join(newProjects, 'checkout-app')
  const pythonApi = join(newProjects, 'reporting-api')
  mkdirSync(typescriptApp, { recursive: true })
  mkdirSync(pythonApi, { recursive: true })
  writeFileSync(join(typescriptApp, 'package.json'), `${JSON.stringify({ name: 'checkout-app', dependencies: { react: '^19.0.0', zod: '^4.0.0' }, devDependencies: { typescript: '^5.9.0' } }, null, 2)}\n`)
  writeFileSync(join(pythonApi, 'pyproject.toml'), '[project]\nname = "reporting-api"\ndependencies = ["fastapi>=0.115", "pydantic>=2"]\n')

  const htmlPath = join(folder, 'report.html')
  const sections: readonly { key: string; command: string; title: string; run: (ctx: CommandContext) => Promise<unknown> }[] = [
    { key: 'agents', command: 'agents', title: 'Leaderboard — agent-tracker agents', run: (ctx) => agentsCommand(ctx, {}) },
    { key: 'report', command: 'report', title: 'Outcomes per setup across projects — agent-tracker report', run: (ctx) => reportCommand(ctx, {}) },
    { key: 'checkout-app', command: 'recommend', title: 'Which setup for a new TypeScript web app? — agent-tracker recommend new-projects/checkout-app', run: (ctx) => recommendCommand(ctx, typescriptApp, {}) },
    { key: 'reporting-api', command: 'recommend', title: 'Which setup for a new Python API? — agent-tracker recommend new-projects/reporting-api', run: (ctx) => recommendCommand(ctx, pythonApi, {}) },
    { key: 'backtest', command: 'backtest', title: 'Would those answers have held up? — agent-tracker backtest', run: (ctx) => backtestCommand(ctx, {}) },
    { key: 'export', command: 'export', title: 'HTML report — agent-tracker export --format html', run: (ctx) => exportCommand(ctx, { format: 'html', out: htmlPath }) },
  ]
  const results: Record<string, unknown> = {}
  for (const section of sections) {
    say(`\n━━ ${section.title}\n`)
    // With --json each command prints its JSON into a buffer; the demo prints one object at the end.
    const captured: string[] = []
    const sectionIo: Io = options.json === true ? { ...io, stdout: { write: (text: string) => captured.push(text), isTTY: false } } : io
    const ctx = new CommandContext(sectionIo, { db: databasePath, ...(options.json === true ? { json: true } : {}) }, { command: section.command, commands: [] })
    try {
      await section.run(ctx)
    } finally {
      await ctx.close()
    }
    if (options.json === true) results[section.key] = (JSON.parse(captured.join('')) as { data: unknown }).data
  }
  if (options.json === true) {
    const { agents, report, backtest, export: exported, ...recommend } = results
    io.stdout.write(toJsonText(answerEnvelope('demo', { database: databasePath, kept, played, agents, report, recommend, backtest, export: exported })))
    return
  }
  if (!kept) {
    say('\nThe demo ran in a temporary folder, removed now. To keep its database and HTML report, give it a folder:')
    say('  agent-tracker demo --dir ./agent-tracker-demo')
    return
  }
  say(`\nThe demo database stays at ${databasePath}; explore it, e.g.:`)
  // Quoted where a shell would split or expand them: a --dir with a space in it.
  say(`  agent-tracker report --db ${shellWord(databasePath)} --by week`)
  say(`  agent-tracker history build@anthropic/claude-sonnet-4-5 --db ${shellWord(databasePath)}`)
  say(`  open ${shellWord(htmlPath)}`)
}
