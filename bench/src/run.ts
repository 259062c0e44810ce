import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { AlternativeFigures, EngineComparison, WorkloadSizes } from './alternatives.js'
import { compareAlternatives } from './alternatives.js'
import type { HistorySizes } from './evidence-history.js'
import type { EvidenceFigures } from './evidence-scan.js'
import { evidenceFigures } from './evidence-scan.js'
import type { ScaleContent, ScaleSizes } from './scale-database.js'
import { addActivities, buildScaleDatabase, recommendReads } from './scale-database.js'
import type { UpgradeFigures } from './schema-upgrade.js'
import { upgradeFigures } from './schema-upgrade.js'
import type { Spread } from './stats.js'
import type { TeamFigures, TeamSizes } from './team-database.js'
import { teamFigures } from './team-database.js'
import { median, round, spread, timeMs } from './stats.js'
import type { FlushFigures, HookFigures, WritePathSizes } from './write-path.js'
import { flushCost, hookCost, statusReads } from './write-path.js'
import { guardCost } from './guard-cost.js'
import { CLI_BIN, nodeStartFaults, pageFaultCost, runBinary, runTimed } from './binary-run.js'
import type { HistoryImportFigure, HookProcessFigure } from './history-import.js'
import { historyImport, hookProcesses } from './history-import.js'
import type { StopHookFigure } from './stop-hook.js'
import { stopHookOnLargeTranscript } from './stop-hook.js'

const run = promisify(execFile)
const HERE = dirname(fileURLToPath(import.meta.url))
/** Child scripts run built, whether this module runs from src (tests) or dist (pnpm bench). */
const CHILDREN = fileURLToPath(new URL('../dist/', import.meta.url))
const BUN = fileURLToPath(new URL('../node_modules/.bin/bun', import.meta.url))

/** How big each benchmark is: `full` for `pnpm bench`, `smoke` to prove the harness runs. */
export interface BenchSizes {
  readonly writePath: WritePathSizes
  readonly scale: ScaleSizes
  /** Activities the export figure reads (the scale database is extended to this many). */
  readonly exportActivities: number
  readonly upgrade: ScaleSizes
  readonly alternatives: WorkloadSizes
  readonly startupRuns: number
  readonly queryRuns: number
  readonly guardCalls: number
  readonly team: TeamSizes
  readonly importLines: number
  readonly importRuns: number
  readonly hookRuns: number
  /** The size of the transcript the Stop hook meets, in MB. */
  readonly stopTranscriptMb: number
  readonly evidence: HistorySizes
}

export const FULL: BenchSizes = {
  writePath: { bufferedHooks: 50_000, immediateHooks: 2000, flushFacts: 10_000, flushRepeats: 21, statusReads: 5000 },
  scale: { commits: 100_000, activities: 1_000_000, setups: 50, projects: 200 },
  exportActivities: 2_000_000,
  upgrade: { commits: 10_000, activities: 100_000, setups: 20, projects: 50 },
  alternatives: { hooks: 5000, commitEvery: 25, runs: 11, pairs: 31, engines: { transactions: 40, ids: 270, pairs: 11 } },
  startupRuns: 7,
  // Nine, not five: of five runs (the first compiling the command), slow runs on a shared machine
  // made the median — agents at 169 ms own, the same as its cold first run, where every other
  // measurement that day gave 82–92 ms.
  queryRuns: 9,
  guardCalls: 12_000,
  team: { syncFacts: 20_000, syncRuns: 3, members: 20, activitiesPerMember: 100_000, commitsPerMember: 2000, setups: 50, projects: 200 },
  importLines: 100_000,
  importRuns: 3,
  hookRuns: 15,
  stopTranscriptMb: 20,
  evidence: { commits: 5000, tracked: 2000, files: 120, days: 180 },
}

export const SMOKE: BenchSizes = {
  writePath: { bufferedHooks: 200, immediateHooks: 50, flushFacts: 300, flushRepeats: 2, statusReads: 50 },
  scale: { commits: 2000, activities: 5000, setups: 5, projects: 10 },
  exportActivities: 8000,
  upgrade: { commits: 200, activities: 1000, setups: 3, projects: 5 },
  alternatives: { hooks: 200, commitEvery: 25, runs: 1, pairs: 1, engines: { transactions: 2, ids: 20, pairs: 1 } },
  startupRuns: 2,
  queryRuns: 2,
  guardCalls: 120,
  team: { syncFacts: 1000, syncRuns: 1, members: 2, activitiesPerMember: 2000, commitsPerMember: 100, setups: 5, projects: 10 },
  importLines: 2000,
  importRuns: 1,
  hookRuns: 2,
  stopTranscriptMb: 1,
  evidence: { commits: 200, tracked: 80, files: 20, days: 60 },
}

/** A command in a fresh process: its own time (the process's wall time less `node -e 0`'s in the same run), CPU and peak memory. */
export interface CommandFigures {
  /** What the command reads, in words. */
  readonly reads: string
  readonly process: Spread
  readonly ownMs: number
  /** The first run's own time: it compiles the command and writes its code cache, which the others use. */
  readonly firstOwnMs: number
  /** The program's time inside the process, from its start (after Node's own) to its exit. */
  readonly commandMs: number
  readonly cpuMs: number
  readonly maxRssMb: number
  /** Minor page faults of its processes (median), Node's start-up's among them (see `nodeStartFaults`). */
  readonly minorFaults: number
}

interface Startup {
  importMs: number
  hooksReadyMs: number
  databaseOpenMs: number
  startupWorkMs: number
  /** The longest the event loop could not turn from the plugin's start to the end of its start-up work (the worst run): as the loop saw it, and the CPU spent in that stretch. */
  maxBlockMs: number
  maxBlockCpuMs: number
}

/** Every figure of a run; ratios compare measurements taken in this same run. */
export interface BenchResults {
  readonly sizes: 'full' | 'smoke'
  readonly machine: { node: string; cpus: number; at: string; loadAverage: readonly number[] }
  readonly hookCost: HookFigures
  readonly flush: FlushFigures
  readonly statusRead: Awaited<ReturnType<typeof statusReads>>
  readonly scale: {
    readonly sizes: ScaleSizes
    readonly content: ScaleContent
    readonly buildMs: number
    readonly nodeBaseline: Spread
    /** Minor page faults of `node -e 0` (median), and what one costs on this machine (see `pageFaultCost`). */
    readonly faults: { readonly nodeStart: number; readonly usPerFault: number }
    readonly commands: Readonly<Record<'search' | 'activity' | 'report' | 'recommend' | 'agents' | 'projects' | 'help', CommandFigures>>
    readonly export: CommandFigures & { readonly activities: number }
    readonly eventLoop: { readonly bun: EventLoopFigures; readonly node: EventLoopFigures }
  }
  readonly upgrade: UpgradeFigures
  readonly alternatives: AlternativeFigures
  /** Under Node and Bun, a first start (a new database, a new project); `later`: under Bun, starts with both known, as every start after the first. */
  readonly startup: { node: Startup; bun: Startup; later: Startup }
  readonly guard: ReturnType<typeof guardCost> & { ratio: number }
  readonly team: TeamFigures
  readonly historyImport: HistoryImportFigure
  readonly hookProcesses: HookProcessFigure
  readonly stopHook: StopHookFigure
  readonly evidence: EvidenceFigures
}

interface EventLoopFigures { readonly maxBlockMs: number; readonly maxBlockCpuMs: number; readonly callMs: number }

/** Wall times of `node -e 0`, the floor every process pays, started as every measured process is (see `runTimed`). */
async function nodeBaseline(runs: number): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < runs; i++) times.push((await runTimed(process.execPath, ['-e', '0'])).wallMs)
  return times
}

/**
 * A CLI command against a database, through the real binary (see `runBinary`), with `--json`, each
 * run in a fresh process, taking turns with `node -e 0`.
 */
async function measureCommand(databasePath: string, command: readonly string[], runs: number, reads: string): Promise<CommandFigures> {
  const walls: number[] = []
  const baselines: number[] = []
  const inside: { ms: number; cpuMs: number; maxRssMb: number; minorFaults: number }[] = []
  for (let i = 0; i < runs; i++) {
    baselines.push(...(await nodeBaseline(1)))
    const measured = await runBinary([...command, '--db', databasePath, '--json'])
    walls.push(measured.wallMs)
    inside.push(measured)
  }
  return {
    reads,
    process: spread(walls),
    ownMs: round(median(walls) - median(baselines)),
    firstOwnMs: round((walls[0] ?? 0) - median(baselines)),
    commandMs: round(median(inside.map((r) => r.ms))),
    cpuMs: round(median(inside.map((r) => r.cpuMs))),
    maxRssMb: round(Math.max(...inside.map((r) => r.maxRssMb))),
    minorFaults: median(inside.map((r) => r.minorFaults)),
  }
}

/**
 * `agent-tracker --help` through the real binary, taking turns with `node -e 0`, with caches of its
 * own: its first run finds none (it compiles the commands' bundle, renders the help and keeps both),
 * the others print the help text the first kept.
 */
async function measureHelp(runs: number): Promise<CommandFigures> {
  const walls: number[] = []
  const baselines: number[] = []
  const caches = mkdtempSync(join(tmpdir(), 'bench-help-cache-'))
  try {
    const env = { ...process.env, AGENT_TRACKER_COMPILE_CACHE: caches }
    for (let i = 0; i < runs; i++) {
      baselines.push(...(await nodeBaseline(1)))
      const help = await runTimed(process.execPath, [CLI_BIN, '--help'], env)
      if (help.exitCode !== 0) throw new Error(`agent-tracker --help failed (exit code ${String(help.exitCode)}): ${help.stderr.trim()}`)
      walls.push(help.wallMs)
    }
  } finally {
    rmSync(caches, { recursive: true, force: true })
  }
  return { reads: 'the help text its first run rendered and kept (one small file; no command bundle, no database code)', process: spread(walls), ownMs: round(median(walls) - median(baselines)), firstOwnMs: round((walls[0] ?? 0) - median(baselines)), commandMs: 0, cpuMs: 0, maxRssMb: 0, minorFaults: 0 }
}

async function measureStartup(runtime: string, runs: number): Promise<Startup> {
  const results: Startup[] = []
  for (let i = 0; i < runs; i++) results.push(await startPlugin(runtime))
  return startupFigures(results)
}

/**
 * Starts of the plugin with its database and project known, as every start after the first: one
 * start creates both (left out), then `runs` more start in the same project against the same database.
 */
async function measureLaterStarts(runtime: string, runs: number): Promise<Startup> {
  const folder = mkdtempSync(join(tmpdir(), 'bench-start-'))
  try {
    mkdirSync(join(folder, 'project'))
    const results: Startup[] = []
    for (let i = -1; i < runs; i++) {
      const started = await startPlugin(runtime, join(folder, 'db.lmdb'), join(folder, 'project'))
      if (i >= 0) results.push(started)
    }
    return startupFigures(results)
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

/** The medians of starts' figures, and the worst of how long the event loop could not turn. */
function startupFigures(results: readonly Startup[]): Startup {
  const mid = (pick: (r: Startup) => number): number => round(median(results.map(pick)))
  const worst = (pick: (r: Startup) => number): number => round(Math.max(...results.map(pick)))
  return { importMs: mid((r) => r.importMs), hooksReadyMs: mid((r) => r.hooksReadyMs), databaseOpenMs: mid((r) => r.databaseOpenMs), startupWorkMs: mid((r) => r.startupWorkMs), maxBlockMs: worst((r) => r.maxBlockMs), maxBlockCpuMs: worst((r) => r.maxBlockCpuMs) }
}

/** One start of the built plugin in `project` (default: a fresh folder), against `databasePath` (default: a new database beside it). */
async function startPlugin(runtime: string, databasePath?: string, project?: string): Promise<Startup> {
  const plugin = fileURLToPath(import.meta.resolve('@agent-tracker/opencode-plugin'))
  const folder = mkdtempSync(join(tmpdir(), 'bench-start-'))
  try {
    if (project === undefined) mkdirSync(join(folder, 'project'))
    const { stdout } = await run(runtime, [join(CHILDREN, 'measure-startup.js'), plugin, databasePath ?? join(folder, 'db.lmdb'), project ?? join(folder, 'project')])
    return JSON.parse(stdout) as Startup
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

/** The plugin's prior-art tool on the large database: the longest the event loop was blocked, and a call's time. */
async function measureEventLoop(runtime: string, databasePath: string, project: string): Promise<EventLoopFigures> {
  const plugin = fileURLToPath(import.meta.resolve('@agent-tracker/opencode-plugin'))
  const { stdout } = await run(runtime, [join(CHILDREN, 'measure-event-loop.js'), plugin, databasePath, project, 'tracker_prior_art', '5'], { maxBuffer: 16 * 1024 * 1024 })
  const parsed = JSON.parse(stdout) as { maxBlockMs: number; maxBlockCpuMs: number; callMs: number[] }
  return { maxBlockMs: round(parsed.maxBlockMs), maxBlockCpuMs: round(parsed.maxBlockCpuMs), callMs: round(median(parsed.callMs)) }
}

/** Runs every benchmark at the given sizes. */
export async function runBenchmarks(kind: 'full' | 'smoke', log: (line: string) => void = () => undefined): Promise<BenchResults> {
  const sizes = kind === 'full' ? FULL : SMOKE
  // The CLI keeps a code cache per command (see the CLI's README). Every process of this run shares
  // one that starts empty: the first run of each command compiles it and writes the cache, and its
  // figure is shown beside the median.
  const compileCache = mkdtempSync(join(tmpdir(), 'bench-compile-cache-'))
  // With NODE_EXTRA_CA_CERTS set, every Node process parses that certificate bundle as it starts:
  // 40–80 ms more per process on a 2-core machine, varying by as much, which drowns the own time
  // of a command (its process less `node -e 0`). No command measured here opens a TLS connection,
  // so the children run without it; the table's first line says so.
  const restore = setEnvironment({ AGENT_TRACKER_COMPILE_CACHE: compileCache, NODE_EXTRA_CA_CERTS: undefined })
  try {
    return await benchmarks(sizes, kind, log)
  } finally {
    restore()
    rmSync(compileCache, { recursive: true, force: true })
  }
}

/** Sets (or, for undefined, removes) environment variables the children inherit; returns what puts them back as they were. */
function setEnvironment(values: Readonly<Record<string, string | undefined>>): () => void {
  const before = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]))
  const apply = (next: Readonly<Record<string, string | undefined>>): void => {
    for (const [name, value] of Object.entries(next)) {
      if (value === undefined) Reflect.deleteProperty(process.env, name)
      else process.env[name] = value
    }
  }
  apply(values)
  return () => {
    apply(before)
  }
}

async function benchmarks(sizes: BenchSizes, kind: 'full' | 'smoke', log: (line: string) => void): Promise<BenchResults> {
  log('1–2/12 flush and hook cost …')
  const flush = await flushCost(sizes.writePath)
  const hooks = await hookCost(sizes.writePath, flush)
  log('3/12 status reads …')
  const status = await statusReads(sizes.writePath)
  log(`4/12 building ${String(sizes.scale.commits)} commits, ${String(sizes.scale.activities)} activities …`)
  const folder = mkdtempSync(join(tmpdir(), 'bench-scale-'))
  let scale: BenchResults['scale']
  try {
    const databasePath = join(folder, 'scale.lmdb')
    let content: ScaleContent = { sessions: 0, rollups: 0, projectDays: 0 }
    const buildMs = await timeMs(async () => {
      content = await buildScaleDatabase(databasePath, sizes.scale)
    })
    const project = join(folder, 'new-project')
    mkdirSync(project)
    writeFileSync(join(project, 'package.json'), JSON.stringify({ dependencies: { react: '19' }, devDependencies: { typescript: '5' } }))
    const runs = sizes.queryRuns
    const rollups = `${String(content.rollups)} day rollups`
    const reads = await recommendReads(databasePath, project)
    const commands = {
      search: await measureCommand(databasePath, ['search', 'stripe', 'webhook', 'retries', '--project', project], runs, 'the search digests of the newest 2,000 retrospectives, activities, commits and bugs (search indexes), then the records of the hits shown, and the projects'),
      activity: await measureCommand(databasePath, ['activity'], runs, 'the newest 20 activities across setups (time index, then 20 records)'),
      report: await measureCommand(databasePath, ['report'], runs, `${String(sizes.scale.setups)} setups and their totals (each setup's day rollups added up, kept as the store writes; ${rollups} in all)`),
      recommend: await measureCommand(databasePath, ['recommend', project], runs, `${String(sizes.scale.projects)} projects, then the outcome days of the ${String(reads.similarProjects)} like it: ${String(reads.outcomeDays)} of the ${rollups}' commits, bugs, user grades that count and cost, in ${String(reads.months)} project months (the model takes each setup's grades a day at a time)`),
      agents: await measureCommand(databasePath, ['agents'], runs, `${String(sizes.scale.setups)} setups`),
      projects: await measureCommand(databasePath, ['projects'], runs, `${String(sizes.scale.projects)} projects, their ${String(content.projectDays)} project days (one per project and day worked; no day rollup), and each project's first and last commit reference`),
      help: await measureHelp(runs),
    }
    log('   the plugin’s prior-art tool and the event loop …')
    const eventLoop = { bun: await measureEventLoop(BUN, databasePath, project), node: await measureEventLoop(process.execPath, databasePath, project) }
    log(`   adding activities up to ${String(sizes.exportActivities)} and exporting them as JSON …`)
    await addActivities(databasePath, sizes.scale, sizes.scale.activities, sizes.exportActivities - sizes.scale.activities)
    const exported = await measureCommand(databasePath, ['export', '--format', 'json'], 1, `every record: ${String(sizes.exportActivities)} activities, ${String(sizes.scale.commits)} commits and the rest, a page at a time`)
    const startFaults: number[] = []
    for (let i = 0; i < runs; i++) startFaults.push(await nodeStartFaults())
    const faults = { nodeStart: median(startFaults), usPerFault: round((await pageFaultCost()).usPerFault) }
    scale = { sizes: sizes.scale, content, buildMs, nodeBaseline: spread(await nodeBaseline(runs)), faults, commands, export: { ...exported, activities: sizes.exportActivities }, eventLoop }
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
  log('5/12 upgrading a database of schema 1 …')
  // The plugin's database default size (512 MiB) holds the upgraded bench database with room to spare.
  const upgrade = await upgradeFigures(sizes.upgrade, async (databasePath) => {
    const started = await startPlugin(BUN, databasePath)
    return { databaseOpenMs: round(started.databaseOpenMs), maxBlockMs: round(started.maxBlockMs), maxBlockCpuMs: round(started.maxBlockCpuMs) }
  })
  log('6/12 alternatives …')
  const alternatives = await compareAlternatives(sizes.alternatives)
  log('7/12 plugin start-up …')
  const startup = { node: await measureStartup(process.execPath, sizes.startupRuns), bun: await measureStartup(BUN, sizes.startupRuns), later: await measureLaterStarts(BUN, sizes.startupRuns) }
  log('8/12 tool-call guard …')
  const guard = guardCost(sizes.guardCalls)
  log(`9/12 team database: sync of ${String(sizes.team.syncFacts)} facts; report over ${String(sizes.team.members)} members × ${String(sizes.team.activitiesPerMember)} activities …`)
  const team = await teamFigures(sizes.team, sizes.queryRuns, measureCommand)
  log(`10/12 importing ${String(sizes.importLines)} Claude Code transcript lines …`)
  const history = await historyImport(sizes.importLines, sizes.importRuns)
  log('11/12 Claude Code hook processes …')
  const hookRuns = await hookProcesses(sizes.hookRuns)
  const stopHook = await stopHookOnLargeTranscript(sizes.stopTranscriptMb, sizes.hookRuns)
  log(`12/12 evidence from git over ${String(sizes.evidence.commits)} commits (${String(sizes.evidence.tracked)} tracked) …`)
  const evidence = await evidenceFigures(sizes.evidence)
  return {
    sizes: kind,
    machine: { node: process.version, cpus: cpus().length, at: new Date().toISOString(), loadAverage: (await import('node:os')).loadavg().map(round) },
    hookCost: hooks, flush, statusRead: status, scale, upgrade, alternatives, startup, team,
    guard: { ...guard, ratio: round(guard.guard.medianUs / Math.max(0.001, hooks.buffered.medianUs)) },
    historyImport: history,
    hookProcesses: hookRuns,
    stopHook,
    evidence,
  }
}

const ms = (value: number): string => `${String(value)} ms`
const mark = (ok: boolean): string => (ok ? '✓' : '✗')
const range = (s: Spread): string => `${String(s.median)} ms (${String(s.min)}–${String(s.max)}, ${String(s.runs)} runs)`

/** The results as a table for people: every figure with what it reads, its target and a ✓ or ✗. */
export function formatResults(r: BenchResults): string {
  const rows: [string, string, string][] = []
  const row = (label: string, value: string, note = ''): void => {
    rows.push([label, value, note])
  }
  const h = r.hookCost
  row('1. hook: record a tool call, buffered (median / p99)', `${String(h.buffered.medianUs)} / ${String(h.buffered.p99Us)} µs`, 'no I/O')
  row('   … plus its share of the flush that writes it', `${String(h.bufferedWithFlushUs)} µs`, `flush ${String(r.flush.flush.median)} ms ÷ ${String(r.flush.facts)} facts`)
  row('   immediate pattern: read, change, await put per hook', `${String(h.immediate.medianUs)} / ${String(h.immediate.p99Us)} µs`, 'same durability: each put committed and fsync\'d')
  row('   → buffered (flush included) is cheaper by', `${String(h.ratio)}×`, `target ≥ 100× ${mark(h.ratio >= 100)} (${String(h.ratioWithoutFlush)}× without the flush)`)
  // What buffering could gain at best while every fact is an entry of its own: a hook that costs nothing, a flush at its floor.
  const floorShareUs = (r.flush.floor.median * 1000) / Math.max(1, r.flush.facts)
  row('   ceiling: immediate ÷ the floor\'s share of one fact', `${String(round(h.immediate.medianUs / Math.max(0.001, floorShareUs)))}×`, `context: the most buffering gains here with an entry per fact (a free hook, a flush at its floor, ${String(round(floorShareUs))} µs a fact)`)
  row('   plugin tool call: halt check + record', `${String(h.pluginCall.medianUs)} / ${String(h.pluginCall.p99Us)} µs`, `${String(h.pluginCallRatio)}× cheaper than immediate`)
  const f = r.flush
  row(`2. flush of ${String(f.facts)} facts into an empty database`, range(f.flush), `CPU ${ms(f.flushCpuMs)}; ${String(f.records)} records, ${String(f.entries)} entries in all; validation, id claims, planning, indexes, fact log, one fsync'd commit`)
  row('   floor: the same entries in one bare lmdb transaction', range(f.floor), `CPU ${ms(f.floorCpuMs)}; same tables, encoding, fsync on commit; measured right after each flush`)
  row('   → flush / floor: median of the paired runs\' ratios', `${String(f.ratio)}×`, `target ≤ 1.5× ${mark(f.ratio <= 1.5)} (pairs ${String(f.ratios.min)}–${String(f.ratios.max)}×, ${String(f.ratios.runs)} pairs; CPU ${String(round(f.flushCpuMs / Math.max(0.001, f.floorCpuMs)))}×)`)
  row('   (one put per fact, uncollapsed, in one transaction)', ms(f.perFactFloorMs), 'context')
  row(`   the same flush into a database of ${String(2 * f.facts)} facts of later sessions`, range(f.amongStored), 'context: its ids fall among stored ones, none past the last (the empty database\'s case above)')
  row('   fact log + fact-id index, per fact', `${String(f.factLogBytesPerFact)} bytes`, 'their pages over the facts')
  row('3. status read, nothing pending (median / p99)', `${String(r.statusRead.storedOnly.medianUs)} / ${String(r.statusRead.storedOnly.p99Us)} µs`, '1 setup record')
  row(`   status read, ${String(r.statusRead.pending)} facts pending (median / p99)`, `${String(r.statusRead.withPending.medianUs)} / ${String(r.statusRead.withPending.p99Us)} µs`, 'stored setup + pending facts in scope')
  const s = r.scale
  row(`4. a database of ${String(s.sizes.commits)} commits, ${String(s.sizes.activities)} activities`, `built in ${String(round(s.buildMs / 1000))} s`, `${String(s.sizes.setups)} setups, ${String(s.sizes.projects)} projects, ${String(s.content.sessions)} sessions; node -e 0: ${range(s.nodeBaseline)}`)
  row('   a minor page fault here (first touch of a fresh page)', `${String(s.faults.usPerFault)} µs`, `context: node -e 0 takes ${String(s.faults.nodeStart)}; each command's faults past those are shown with what they cost at this rate`)
  for (const [name, c] of Object.entries(s.commands)) {
    const limits = name === 'help' ? `own ≤ 60 ms ${mark(c.ownMs <= 60)}` : `own ≤ 150 ms ${mark(c.ownMs <= 150)}, RSS ≤ 150 MB ${mark(c.maxRssMb <= 150)}`
    row(`   ${name === 'help' ? '--help' : name}: own time (process − node -e 0)`, ms(c.ownMs), limits)
    row(name === 'help' ? '      process' : '      command / CPU / peak RSS', name === 'help' ? range(c.process) : `${ms(c.commandMs)} / ${ms(c.cpuMs)} / ${String(c.maxRssMb)} MB`, `reads ${c.reads}`)
    if (name !== 'help') row('      page faults past node -e 0', String(c.minorFaults - s.faults.nodeStart), `≈ ${ms(round(((c.minorFaults - s.faults.nodeStart) * s.faults.usPerFault) / 1000))} of its own time at ${String(s.faults.usPerFault)} µs each`)
    row('      first run: own time', ms(c.firstOwnMs), name === 'help' ? 'no cache yet: it compiles the commands, renders the help and keeps it with the code cache' : 'it compiles the command and writes the code cache the other runs use')
  }
  const e = s.export
  row(`   export --format json of ${String(e.activities)} activities`, `${String(round(e.commandMs / 1000))} s, RSS ${String(e.maxRssMb)} MB`, `completes, RSS ≤ 200 MB ${mark(e.maxRssMb <= 200)}; reads ${e.reads}`)
  const loop = s.eventLoop
  row('   plugin tool tracker_prior_art: longest own work between event-loop turns (Bun / Node)', `${ms(loop.bun.maxBlockCpuMs)} / ${ms(loop.node.maxBlockCpuMs)}`, `≤ 50 ms ${mark(Math.max(loop.bun.maxBlockCpuMs, loop.node.maxBlockCpuMs) <= 50)}: the CPU the event loop's thread spent between two 1 ms ticks`)
  row('      longest gap between ticks, as the loop saw it (Bun / Node)', `${ms(loop.bun.maxBlockMs)} / ${ms(loop.node.maxBlockMs)}`, `≤ 50 ms ${mark(Math.max(loop.bun.maxBlockMs, loop.node.maxBlockMs) <= 50)}: includes time the OS gave other processes; a call takes ${ms(loop.bun.callMs)} / ${ms(loop.node.callMs)}`)
  const u = r.upgrade
  row(`5. upgrade in place of a schema-1 database of ${String(u.records)} records`, `${String(round(u.upgradeMs / 1000))} s`, `rollup drift after: ${String(u.drift)} ${mark(u.drift === 0)}`)
  row('   bytes per stored record, schema 1 → 3 (as 2)', `${String(u.bytesPerRecord.schema1)} → ${String(u.bytesPerRecord.schema2)}`, `smaller ${mark(u.bytesPerRecord.schema2 < u.bytesPerRecord.schema1)}; indexes add ${String(round(u.indexBytes / 1e6))} MB`)
  if (u.inPlugin !== undefined) {
    const p = u.inPlugin
    row('   the same schema-1 database, opened by the OpenCode plugin under Bun (the upgrade in a worker thread): open after', `${String(round(p.databaseOpenMs / 1000))} s`, `the longest own work between event-loop turns ${ms(p.maxBlockCpuMs)} ≤ 50 ms ${mark(p.maxBlockCpuMs <= 50)} (the CPU of the event loop's thread between two 1 ms ticks; the worker's runs beside it); as the loop saw it ${ms(p.maxBlockMs)}`)
  }
  const u2 = u.fromSchema2
  row(`   the same records in a schema-2 database (the last release's), upgraded in place: the open`, `${String(round(u2.upgradeMs))} ms`, `what a writer waits for; rollup drift after: ${String(u2.drift)} ${mark(u2.drift === 0)}`)
  row('      then its search indexes, built in steps of 500 records (hosts pause between them)', `${String(round(u2.buildMs / 1000))} s`, `${String(u2.buildSteps)} steps, the longest ${String(u2.longestStepMs)} ms ≤ 50 ms ${mark(u2.longestStepMs <= 50)}; search entries ${String(u2.searchEntries)} of ${String(u2.searchedRecords)} records ${mark(u2.searchEntries === u2.searchedRecords)}, ${String(round(u2.searchBytes / 1e6))} MB`)
  const a = r.alternatives
  const alt = (label: string, c: { total: Spread; write: Spread; report: Spread; cpuMs: number }, note: string): void => {
    row(label, range(c.total), `${note}; write ${ms(c.write.median)}, report ${ms(c.report.median)}, CPU ${ms(c.cpuMs)}${label.includes('SQLite') ? '; WAL, synchronous=FULL' : ''}`)
  }
  const b = a.sqliteBuffered
  alt(`6. ${String(a.hooks)} hooks, commits, flushes, report: agent-tracker`, a.agentTracker, 'total (LMDB, fsync per flush: each commit waits for the disk twice — its pages, then its meta page, written O_DSYNC — where a SQLite WAL commit waits once)')
  alt('   SQLite buffered the same way, run in pairs with agent-tracker', b, `agent-tracker ahead ${mark(b.ratio > 1)} (${String(b.ratio)}×: median of the pairs' ratios, ${String(b.ratios.min)}–${String(b.ratios.max)}×; ahead in ${String(b.pairsAhead)} of ${String(b.ratios.runs)} pairs)`)
  alt('   SQLite, a transaction per hook', a.sqlitePerHook, `agent-tracker ahead ${mark(a.sqlitePerHook.ratio > 1)} (${String(a.sqlitePerHook.ratio)}×)`)
  alt('   legacy JSON files rewritten per hook (no fsync)', a.jsonFiles, `agent-tracker ahead ${mark(a.jsonFiles.ratio > 1)} (${String(a.jsonFiles.ratio)}×)`)
  const en = a.engines
  const engine = (label: string, c: EngineComparison): void => {
    row(label, `${ms(c.lmdb.cpu.median)} / ${ms(c.sqlite.cpu.median)} CPU`, `context: LMDB ${String(c.cpuRatio)}× SQLite's CPU (median of the pairs' ratios); wall ${ms(c.lmdb.wall.median)} / ${ms(c.sqlite.wall.median)}`)
  }
  row(`   the engines alone: ${String(en.transactions)} commits of ${String(en.ids)} new fact ids into a unique index, each fsync'd (LMDB / SQLite)`, '', 'context: the claims a flush makes and nothing else, as lmdb-js and better-sqlite3 write them')
  engine('      ids of tool calls, in no order (each commit\'s ids land all over the index)', en.unordered)
  engine('      ids that begin with their time (appended)', en.appended)
  row('7. plugin start-up under Bun: hooks ready (what OpenCode waits for)', ms(r.startup.bun.hooksReadyMs), `target ≤ 50 ms ${mark(r.startup.bun.hooksReadyMs <= 50)}`)
  row('   database open, in the background', ms(r.startup.bun.databaseOpenMs), '')
  row('   + migration check and project profile, in the background', ms(r.startup.bun.startupWorkMs), `≤ 50 ms ${mark(r.startup.bun.startupWorkMs <= 50)}`)
  row('   under Node: hooks ready / database open / start-up work done', `${String(r.startup.node.hooksReadyMs)} / ${String(r.startup.node.databaseOpenMs)} / ${String(r.startup.node.startupWorkMs)} ms`, '')
  const later = r.startup.later
  row('   a later start under Bun, its database and project known: the same three', `${String(later.hooksReadyMs)} / ${String(later.databaseOpenMs)} / ${String(later.startupWorkMs)} ms`, 'context: every start after the first; the figures above are a first start, which creates the database and stores the project\'s profile')
  const blocked = Math.max(r.startup.bun.maxBlockCpuMs, r.startup.node.maxBlockCpuMs)
  row('   longest own work between event-loop turns, start to start-up work done (Bun / Node)', `${ms(r.startup.bun.maxBlockCpuMs)} / ${ms(r.startup.node.maxBlockCpuMs)}`, `≤ 50 ms ${mark(blocked <= 50)}: the CPU of the event loop's thread between two 1 ms ticks, worst of ${String((r.sizes === 'full' ? FULL : SMOKE).startupRuns)} runs; as the loop saw it ${ms(r.startup.bun.maxBlockMs)} / ${ms(r.startup.node.maxBlockMs)}`)
  row('8. tool-call guard, everyday calls, project index warm (median / p99)', `${String(r.guard.guard.medianUs)} / ${String(r.guard.guard.p99Us)} µs`, `target ≤ 100 µs ${mark(r.guard.guard.medianUs <= 100)}; ${String(r.guard.ratio)}× recording one tool call`)
  const t = r.team
  row(`9. sync of ${String(t.sync.facts)} facts to an empty team database (PostgreSQL, 1,000 per transaction)`, range(t.sync.send), `${String(t.sync.factsPerSecond)} facts/s; each fact applied to the team and the member's share, acknowledged in the same transaction`)
  row('   baseline: the same facts into an empty local database', range(t.sync.local), `${String(t.sync.localFactsPerSecond)} facts/s (LMDB, fsync per batch)`)
  row('   → sync / local', `${String(t.sync.ratio)}×`, 'context: a network database, written twice per fact')
  row('   resend of them all (a replaced local database)', range(t.sync.resend), 'every fact skipped by its id')
  const c = t.concurrency
  row(`   ${String(c.writers)} writers at once, ${String(c.facts)} facts on the same setups: advisory lock`, ms(c.lock.ms), `${String(c.lock.factsPerSecond)} facts/s (the store's way)`)
  row('      the same as SERIALIZABLE transactions, retried on conflict', ms(c.serializable.ms), `${String(c.serializable.factsPerSecond)} facts/s, ${String(c.serializable.retries)} retries; lock ahead ${mark(c.lock.ms <= c.serializable.ms)}`)
  row(`   team database: ${String(t.sizes.members)} members × ${String(t.sizes.activitiesPerMember)} activities`, `built in ${String(round(t.database.buildMs / 1000))} s`, `${String(t.database.commits)} commits, ${String(t.database.rollups)} day rollups in the team's share`)
  for (const [name, c] of [['report --team', t.report], ['report --team --member', t.memberReport]] as const) {
    row(`   ${name}: command / own time`, `${ms(c.commandMs)} / ${ms(c.ownMs)}`, `target ≤ 1 s ${mark(c.commandMs <= 1000)}; reads ${c.reads}; peak RSS ${String(c.maxRssMb)} MB`)
  }
  const i = r.historyImport
  row(`10. import claude-code of ${String(i.lines)} transcript lines (${String(i.files)} files, ${String(i.facts)} facts), fresh process`, `${ms(i.importMs)}, RSS ${String(i.importMaxRssMb)} MB`, `target < 10000 ms ${mark(i.importMs < 10_000)}; streamed, facts written in batches`)
  row('   floor: the same lines streamed and parsed, nothing more', `${ms(i.floorMs)}, RSS ${String(i.floorMaxRssMb)} MB`, `import / floor ${String(i.ratio)}×`)
  const p = r.hookProcesses
  row(`11. a Claude Code hook process per event (median of ${String(p.runs)}); node -e 0 takes`, ms(p.nodeMs), 'run by turns with the hooks')
  for (const e of p.events) row(`   ${e.event}`, `${ms(e.ms)}, own ${ms(e.ownMs)}`, `target own ≤ 100 ms ${mark(e.ownMs <= 100)}`)
  const stop = r.stopHook
  row(`   Stop on a ${String(stop.transcriptMb)} MB transcript, after a previous Stop (median of ${String(stop.runs)})`, `${ms(stop.nextMs)}, own ${ms(stop.nextOwnMs)}`, `target own ≤ 100 ms ${mark(stop.nextOwnMs <= 100)}; what Claude Code waits for: the work goes on in a detached process; node -e 0 ${ms(stop.nodeMs)}`)
  row('      that work: what the turn added read, priced and written (--foreground)', `${ms(stop.workMs)}, own ${ms(stop.workOwnMs)}`, `context; the first Stop, reading it all: ${ms(stop.firstMs)}`)
  const g = r.evidence
  row(`12. evidence from git over ${String(g.sizes.commits)} commits (${String(g.sizes.tracked)} tracked): first scan`, `${String(round(g.firstMs / 1000))} s`, `${String(g.found.fixesBlamed)} fixes blamed: ${String(g.found.suspectedBugs)} suspected bugs, ${String(g.found.reverts)} reverts, ${String(g.found.survival)} survival measurements, ${String(g.found.churn)} churned commits; history generated in ${String(round(g.generateMs / 1000))} s`)
  row('   incremental scan, nothing new', ms(g.incrementalMs), `target ≤ 1 s ${mark(g.incrementalMs <= 1000)}`)
  row(`   incremental scan after ${String(g.incrementalNewRead)} new commits (one a fix)`, ms(g.incrementalNewMs), `target ≤ 1 s ${mark(g.incrementalNewMs <= 1000)}`)
  const width = Math.max(...rows.map(([label]) => label.length))
  const value = Math.max(...rows.map(([, v]) => v.length))
  return [
    `agent-tracker benchmarks (${r.sizes} sizes, Node ${r.machine.node}, ${String(r.machine.cpus)} CPUs, load average ${r.machine.loadAverage.join(' ')})`,
    'Child processes run without NODE_EXTRA_CA_CERTS (a certificate bundle parsed at every start adds tens of ms of noise); none opens a TLS connection.',
    '',
    ...rows.map(([label, v, note]) => `${label.padEnd(width)}  ${v.padStart(value)}  ${note}`.trimEnd()),
  ].join('\n')
}

const invoked = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]
if (invoked) {
  const kind = process.argv.includes('--smoke') ? 'smoke' : 'full'
  const results = await runBenchmarks(kind, (line) => process.stderr.write(`${line}\n`))
  const out = join(HERE, '..', 'results.json')
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`)
  process.stdout.write(`${formatResults(results)}\n\nWrote ${out}\n`)
}
