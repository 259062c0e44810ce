import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { agentsCommand } from '../commands/agents.js'
import { exportCommand } from '../commands/export.js'
import { recommendCommand } from '../commands/recommend.js'
import { reportCommand } from '../commands/report.js'
import { CommandContext } from '../context.js'
import type { Io } from '../io.js'
import { playHistory } from './play-history.js'

/** `demo`: plays a realistic history into a fresh database, then shows what the tracker makes of it. */
export async function demoCommand(io: Io, options: { dir?: string; json?: boolean }): Promise<void> {
  const folder = options.dir === undefined ? mkdtempSync(join(tmpdir(), 'agent-tracker-demo-')) : resolve(io.cwd, options.dir)
  mkdirSync(folder, { recursive: true })
  const databasePath = join(folder, 'agent-tracker.lmdb')
  const say = (text: string): void => {
    if (options.json !== true) io.stdout.write(`${text}\n`)
  }
  say(`agent-tracker demo — playing 8 weeks of work on 6 projects through the real tracking path`)
  say(`(tracking service → write buffer → LMDB store, flushing on every push and session end)\n`)
  const played = await playHistory(folder, databasePath)
  say(`Recorded ${String(played.facts)} facts from ${String(played.sessions)} sessions of ${String(played.setups)} setups in ${String(played.flushes)} atomic flushes into ${databasePath}\n`)

  const newProjects = join(folder, 'new-projects')
  const typescriptApp = join(newProjects, 'checkout-app')
  const pythonApi = join(newProjects, 'reporting-api')
  mkdirSync(typescriptApp, { recursive: true })
  mkdirSync(pythonApi, { recursive: true })
  writeFileSync(join(typescriptApp, 'package.json'), `${JSON.stringify({ name: 'checkout-app', dependencies: { react: '^19.0.0', zod: '^4.0.0' }, devDependencies: { typescript: '^5.9.0' } }, null, 2)}\n`)
  writeFileSync(join(pythonApi, 'pyproject.toml'), '[project]\nname = "reporting-api"\ndependencies = ["fastapi>=0.115", "pydantic>=2"]\n')

  const htmlPath = join(folder, 'report.html')
  const sections: [string, (ctx: CommandContext) => Promise<unknown>][] = [
    ['Leaderboard — agent-tracker agents', (ctx) => agentsCommand(ctx, {})],
    ['Outcomes per setup across projects — agent-tracker report', (ctx) => reportCommand(ctx, {})],
    ['Which setup for a new TypeScript web app? — agent-tracker recommend new-projects/checkout-app', (ctx) => recommendCommand(ctx, typescriptApp, {})],
    ['Which setup for a new Python API? — agent-tracker recommend new-projects/reporting-api', (ctx) => recommendCommand(ctx, pythonApi, {})],
    ['HTML report — agent-tracker export --format html', (ctx) => exportCommand(ctx, { format: 'html', out: htmlPath })],
  ]
  for (const [title, run] of sections) {
    say(`\n━━ ${title}\n`)
    const ctx = new CommandContext(io, { db: databasePath, ...(options.json === true ? { json: true } : {}) })
    try {
      await run(ctx)
    } finally {
      await ctx.close()
    }
  }
  say(`\nThe demo database stays at ${databasePath}; explore it, e.g.:`)
  say(`  agent-tracker report --db ${databasePath} --project storefront`)
  say(`  agent-tracker history build@anthropic/claude-sonnet-4-5 --db ${databasePath}`)
  say(`  open ${htmlPath}`)
}
