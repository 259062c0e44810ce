import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { WorkloadSizes } from './alternatives.js'
import type { HistoryImportFigure, HookProcessFigure } from './history-import.js'
import { historyImport, hookProcesses } from './history-import.js'
import { compareAlternatives } from './alternatives.js'
import type { ScaleSizes } from './scale-database.js'
import { buildScaleDatabase } from './scale-database.js'
import { median, round, timeMs } from './stats.js'
import type { WritePathSizes } from './write-path.js'
import { flushCost, hookCost, statusReads } from './write-path.js'
import { guardCost } from './guard-cost.js'

const run = promisify(execFile)
const HERE = dirname(fileURLToPath(import.meta.url))
/** Child scripts run built, whether this module runs from src (tests) or dist (pnpm bench). */
const CHILDREN = fileURLToPath(new URL('../dist/', import.meta.url))
const BUN = fileURLToPath(new URL('../node_modules/.bin/bun', import.meta.url))

/** How big each benchmark is: `full` for `pnpm bench`, `smoke` to prove the harness runs. */
export interface BenchSizes {
  readonly writePath: WritePathSizes
  readonly scale: ScaleSizes
  readonly alternatives: WorkloadSizes
  readonly startupRuns: number
  readonly queryRuns: number
  readonly importLines: number
  readonly importRuns: number
  readonly hookRuns: number
  readonly guardCalls: number
}

export const FULL: BenchSizes = {
  writePath: { bufferedHooks: 50_000, immediateHooks: 2000, flushFacts: 10_000, flushRepeats: 7, statusReads: 5000 },
  scale: { commits: 100_000, activities: 1_000_000, setups: 50, projects: 200 },
  alternatives: { hooks: 5000, commitEvery: 25, runs: 3 },
  startupRuns: 7,
  queryRuns: 3,
  importLines: 100_000,
  importRuns: 3,
  hookRuns: 15,
  guardCalls: 12_000,
}

export const SMOKE: BenchSizes = {
  writePath: { bufferedHooks: 200, immediateHooks: 50, flushFacts: 300, flushRepeats: 2, statusReads: 50 },
  scale: { commits: 2000, activities: 5000, setups: 5, projects: 10 },
  alternatives: { hooks: 200, commitEvery: 25, runs: 1 },
  startupRuns: 2,
  queryRuns: 1,
  importLines: 2000,
  importRuns: 1,
  hookRuns: 2,
  guardCalls: 120,
}

/** Every figure of a run; ratios compare measurements taken in this same run. */
export interface BenchResults {
  readonly sizes: 'full' | 'smoke'
  readonly machine: { node: string; cpus: number; at: string }
  readonly hookCost: Awaited<ReturnType<typeof hookCost>>
  readonly flush: Awaited<ReturnType<typeof flushCost>>
  readonly statusRead: Awaited<ReturnType<typeof statusReads>>
  readonly scale: { sizes: ScaleSizes; buildMs: number; report: Measured; recommend: Measured }
  readonly alternatives: Awaited<ReturnType<typeof compareAlternatives>>
  readonly startup: { node: Startup; bun: Startup }
  readonly historyImport: HistoryImportFigure
  readonly hookProcesses: HookProcessFigure
  readonly guard: ReturnType<typeof guardCost> & { ratio: number }
}

interface Measured { ms: number; processMs: number; maxRssMb: number }
interface Startup { importMs: number; hooksReadyMs: number; databaseOpenMs: number; startupWorkMs: number }

/** A command run in a fresh process: its own time from the call to the result, the whole process's wall time as the parent saw it, and its peak memory. */
async function measureCommand(databasePath: string, command: string[], runs: number): Promise<Measured> {
  const results: Measured[] = []
  for (let i = 0; i < runs; i++) {
    let stdout = ''
    const processMs = await timeMs(async () => {
      stdout = (await run(process.execPath, [join(CHILDREN, 'measure-command.js'), databasePath, ...command], { maxBuffer: 64 * 1024 * 1024 })).stdout
    })
    const parsed = JSON.parse(stdout) as { code: number; ms: number; maxRssMb: number }
    if (parsed.code !== 0) throw new Error(`${command.join(' ')} failed with exit code ${String(parsed.code)}`)
    results.push({ ms: parsed.ms, processMs, maxRssMb: parsed.maxRssMb })
  }
  return { ms: round(median(results.map((r) => r.ms))), processMs: round(median(results.map((r) => r.processMs))), maxRssMb: round(Math.max(...results.map((r) => r.maxRssMb))) }
}

async function measureStartup(runtime: string, runs: number): Promise<Startup> {
  const plugin = fileURLToPath(import.meta.resolve('@agent-tracker/opencode-plugin'))
  const results: Startup[] = []
  for (let i = 0; i < runs; i++) {
    const folder = mkdtempSync(join(tmpdir(), 'bench-start-'))
    try {
      mkdirSync(join(folder, 'project'))
      const { stdout } = await run(runtime, [join(CHILDREN, 'measure-startup.js'), plugin, join(folder, 'db.lmdb'), join(folder, 'project')])
      results.push(JSON.parse(stdout) as Startup)
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  }
  const mid = (pick: (r: Startup) => number): number => round(median(results.map(pick)))
  return { importMs: mid((r) => r.importMs), hooksReadyMs: mid((r) => r.hooksReadyMs), databaseOpenMs: mid((r) => r.databaseOpenMs), startupWorkMs: mid((r) => r.startupWorkMs) }
}

/** Runs every benchmark at the given sizes. */
export async function runBenchmarks(kind: 'full' | 'smoke', log: (line: string) => void = () => undefined): Promise<BenchResults> {
  const sizes = kind === 'full' ? FULL : SMOKE
  log('1/8 hook cost and tool-call guard …')
  const hooks = await hookCost(sizes.writePath)
  const guard = guardCost(sizes.guardCalls)
  log('2/8 flush …')
  const flush = await flushCost(sizes.writePath)
  log('3/8 status reads …')
  const status = await statusReads(sizes.writePath)
  log(`4/8 building ${String(sizes.scale.commits)} commits, ${String(sizes.scale.activities)} activities …`)
  const folder = mkdtempSync(join(tmpdir(), 'bench-scale-'))
  let scale: BenchResults['scale']
  try {
    const databasePath = join(folder, 'scale.lmdb')
    const buildMs = await timeMs(() => buildScaleDatabase(databasePath, sizes.scale))
    const report = await measureCommand(databasePath, ['report'], sizes.queryRuns)
    const project = join(folder, 'new-project')
    mkdirSync(project)
    writeFileSync(join(project, 'package.json'), JSON.stringify({ dependencies: { react: '19' }, devDependencies: { typescript: '5' } }))
    const recommend = await measureCommand(databasePath, ['recommend', project], sizes.queryRuns)
    scale = { sizes: sizes.scale, buildMs, report, recommend }
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
  log('5/8 alternatives …')
  const alternatives = await compareAlternatives(sizes.alternatives)
  log('6/8 plugin start-up …')
  const startup = { node: await measureStartup(process.execPath, sizes.startupRuns), bun: await measureStartup(BUN, sizes.startupRuns) }
  log(`7/8 importing ${String(sizes.importLines)} Claude Code transcript lines …`)
  const history = await historyImport(sizes.importLines, sizes.importRuns)
  log('8/8 Claude Code hook processes …')
  const hookRuns = await hookProcesses(sizes.hookRuns)
  return {
    sizes: kind,
    machine: { node: process.version, cpus: (await import('node:os')).cpus().length, at: new Date().toISOString() },
    hookCost: hooks, flush, statusRead: status, scale, alternatives, startup, historyImport: history, hookProcesses: hookRuns,
    guard: { ...guard, ratio: round(guard.guard.medianUs / Math.max(0.001, hooks.buffered.medianUs)) },
  }
}

function alternative(outcome: { writeMs: number; reportMs: number }): string {
  return `${String(outcome.writeMs)} ms, report ${String(outcome.reportMs)} ms`
}

/** The results as a table for people, with the targets. */
export function formatResults(r: BenchResults): string {
  const rows: [string, string, string][] = [
    ['1. hook, buffered (median / p99)', `${String(r.hookCost.buffered.medianUs)} µs / ${String(r.hookCost.buffered.p99Us)} µs`, ''],
    ['   hook, read+mutate+await put (median / p99)', `${String(r.hookCost.immediate.medianUs)} µs / ${String(r.hookCost.immediate.p99Us)} µs`, ''],
    ['   → buffered is cheaper by', `${String(r.hookCost.ratio)}×`, `target ≥ 100× ${r.hookCost.ratio >= 100 ? '✓' : '✗'}`],
    ['   plugin tool call: halt check + record, calls pending (median / p99)', `${String(r.hookCost.pluginCall.medianUs)} µs / ${String(r.hookCost.pluginCall.p99Us)} µs`, `${String(r.hookCost.pluginCallRatio)}× cheaper`],
    [`2. flush of ${String(r.flush.facts)} facts (${String(r.flush.records)} records)`, `${String(r.flush.flushMs)} ms`, ''],
    ['   same puts in one bare lmdb transaction', `${String(r.flush.floorMs)} ms`, ''],
    ['   → flush / floor', `${String(r.flush.ratio)}×`, `target ≤ 2× ${r.flush.ratio <= 2 ? '✓' : '✗'}`],
    [`   (one put per fact, uncollapsed, in one transaction)`, `${String(r.flush.perFactFloorMs)} ms`, ''],
    ['3. status read, nothing pending (median / p99)', `${String(r.statusRead.storedOnly.medianUs)} µs / ${String(r.statusRead.storedOnly.p99Us)} µs`, ''],
    [`   status read, ${String(r.statusRead.pending)} facts pending (median / p99)`, `${String(r.statusRead.withPending.medianUs)} µs / ${String(r.statusRead.withPending.p99Us)} µs`, ''],
    [`4. report over ${String(r.scale.sizes.commits)} commits, ${String(r.scale.sizes.activities)} activities`, `${String(r.scale.report.ms)} ms, peak ${String(r.scale.report.maxRssMb)} MB`, `target ≤ 1000 ms ${r.scale.report.ms <= 1000 ? '✓' : '✗'}`],
    ['   the whole `agent-tracker report` process, start-up included', `${String(r.scale.report.processMs)} ms`, ''],
    [`   recommend (${String(r.scale.sizes.setups)} setups, ${String(r.scale.sizes.projects)} projects)`, `${String(r.scale.recommend.ms)} ms, peak ${String(r.scale.recommend.maxRssMb)} MB`, ''],
    ['   the whole `agent-tracker recommend` process', `${String(r.scale.recommend.processMs)} ms`, ''],
    [`5. ${String(r.alternatives.hooks)} hooks + commits + flushes (median of ${String(r.alternatives.runs)}): agent-tracker`, alternative(r.alternatives.agentTracker), ''],
    ['   SQLite (better-sqlite3, WAL), a transaction per hook', alternative(r.alternatives.sqlite), `${String(r.alternatives.sqlite.ratio)}× agent-tracker`],
    ['   SQLite, buffered like agent-tracker, a transaction per push', alternative(r.alternatives.sqliteBuffered), `${String(r.alternatives.sqliteBuffered.ratio)}× agent-tracker`],
    ['   legacy JSON files, rewritten per hook', alternative(r.alternatives.jsonFiles), `${String(r.alternatives.jsonFiles.ratio)}× agent-tracker`],
    ['6. plugin start-up under Bun: hooks ready (what OpenCode waits for)', `${String(r.startup.bun.hooksReadyMs)} ms`, `target ≤ 50 ms ${r.startup.bun.hooksReadyMs <= 50 ? '✓' : '✗'}`],
    ['   database open, in the background', `${String(r.startup.bun.databaseOpenMs)} ms`, ''],
    ['   + migration check and project profile, in the background', `${String(r.startup.bun.startupWorkMs)} ms`, `open + migration check ≤ 50 ms ${r.startup.bun.startupWorkMs <= 50 ? '✓' : '✗'}`],
    ['   under Node: hooks ready / database open / start-up work done', `${String(r.startup.node.hooksReadyMs)} / ${String(r.startup.node.databaseOpenMs)} / ${String(r.startup.node.startupWorkMs)} ms`, ''],
    ['7. tool-call guard, everyday calls, project index warm (median / p99)', `${String(r.guard.guard.medianUs)} µs / ${String(r.guard.guard.p99Us)} µs`, `target ≤ 100 µs ${r.guard.guard.medianUs <= 100 ? '✓' : '✗'}`],
    ['   → guard / recording one tool call', `${String(r.guard.ratio)}×`, ''],
    [`8. import claude-code of ${String(r.historyImport.lines)} transcript lines (${String(r.historyImport.files)} files, ${String(r.historyImport.facts)} facts)`, `${String(r.historyImport.importMs)} ms, peak ${String(r.historyImport.importMaxRssMb)} MB`, `target < 10000 ms ${r.historyImport.importMs < 10_000 ? '✓' : '✗'}`],
    ['   the floor: the same lines streamed and parsed', `${String(r.historyImport.floorMs)} ms, peak ${String(r.historyImport.floorMaxRssMb)} MB`, `import / floor ${String(r.historyImport.ratio)}×`],
    [`9. a Claude Code hook process (median of ${String(r.hookProcesses.runs)}); node -e 0 takes`, `${String(r.hookProcesses.nodeMs)} ms`, ''],
    ...r.hookProcesses.events.map((e): [string, string, string] => [`   ${e.event}`, `${String(e.ms)} ms, own ${String(e.ownMs)} ms`, `target own ≤ 100 ms ${e.ownMs <= 100 ? '✓' : '✗'}`]),
  ]
  const width = Math.max(...rows.map(([label]) => label.length))
  const value = Math.max(...rows.map(([, v]) => v.length))
  return [`agent-tracker benchmarks (${r.sizes} sizes, Node ${r.machine.node}, ${String(r.machine.cpus)} CPUs)`, '', ...rows.map(([label, v, note]) => `${label.padEnd(width)}  ${v.padStart(value)}  ${note}`.trimEnd())].join('\n')
}

const invoked = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]
if (invoked) {
  const kind = process.argv.includes('--smoke') ? 'smoke' : 'full'
  const results = await runBenchmarks(kind, (line) => process.stderr.write(`${line}\n`))
  const out = join(HERE, '..', 'results.json')
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`)
  process.stdout.write(`${formatResults(results)}\n\nWrote ${out}\n`)
}
