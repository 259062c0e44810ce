import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TrackerStore } from '@agent-tracker/core'
import { commitFactId, createTrackingService, setupReport, toolCallFactId, usageFactId } from '@agent-tracker/core'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { withWriteBuffer } from '@agent-tracker/write-buffer'
import Database from 'better-sqlite3'
import { open } from 'lmdb'
import { openSqliteStore } from './sqlite-store.js'
import type { Spread } from './stats.js'
import { cpuMs, median, round, spread, timeMs } from './stats.js'
import { BENCH_SETUPS, OpencodeIds } from './workload.js'

/**
 * The same session workload on each approach — hooks (tool calls and token usage), commits, a
 * flush on every tenth commit (a push) and at the end — then the report each can give. Every
 * approach fsyncs every commit it makes.
 */
export interface WorkloadSizes {
  readonly hooks: number
  readonly commitEvery: number
  /** How many times each approach runs, taking turns; medians are compared. */
  readonly runs: number
  /**
   * How many pairs of runs compare agent-tracker with SQLite buffered the same way: the two run
   * one after the other (which goes first alternates), and the figure is the median of the pairs'
   * ratios. Both halves of a pair meet the same load on a shared machine.
   */
  readonly pairs: number
  /** The engines alone (see {@link compareEngines}): transactions of new fact ids, ids in each, and pairs of runs. */
  readonly engines: { readonly transactions: number; readonly ids: number; readonly pairs: number }
}

/** One approach's run: recording, the report afterwards, and both together (wall and CPU). */
interface Outcome {
  readonly writeMs: number
  readonly reportMs: number
  readonly totalMs: number
  readonly cpuMs: number
}

/** An approach's runs summarised, and its total against agent-tracker's. */
export interface Compared {
  readonly write: Spread
  readonly report: Spread
  readonly total: Spread
  readonly cpuMs: number
  /** Its median total ÷ agent-tracker's: above 1, agent-tracker is ahead. */
  readonly ratio: number
}

/** SQLite buffered the same way against agent-tracker, run in pairs. */
export interface PairCompared extends Compared {
  /** The median of the pairs' ratios (its total ÷ agent-tracker's in the same pair): above 1, agent-tracker is ahead. */
  readonly ratio: number
  /** The pairs' ratios: median, range and how many. */
  readonly ratios: Spread
  /** Pairs in which agent-tracker took less time. */
  readonly pairsAhead: number
}

const SETUP = BENCH_SETUPS[0] ?? 'build'
const PROJECTS = ['/bench/shop', '/bench/api']

/** The workload through the tracking service over the write buffer over `store`, then its report. */
async function buffered(store: TrackerStore, sizes: WorkloadSizes): Promise<Outcome> {
  const buffer = withWriteBuffer(store, { maxPending: false, maxAgeMs: false })
  const service = createTrackingService({ store: buffer })
  // The ids the OpenCode plugin gives these facts; the same on both stores.
  const ids = new OpencodeIds()
  const session = ids.session(Date.UTC(2026, 0, 1))
  const cpuBefore = process.cpuUsage()
  const writeMs = await timeMs(async () => {
    for (let i = 1; i <= sizes.hooks; i++) {
      const project = PROJECTS[Math.floor(i / 500) % PROJECTS.length] ?? ''
      await service.recordToolCall({ id: toolCallFactId('opencode', session, ids.call()), setup: SETUP, project, session, tool: 'bash', ok: i % 17 !== 0 })
      if (i % 10 === 0) await service.recordUsage({ id: usageFactId('opencode', ids.message(Date.UTC(2026, 0, 1) + i)), setup: SETUP, project, session, tokens: { input: 1200, output: 300 }, cost: 0.01 })
      if (i % sizes.commitEvery === 0) {
        const hash = `h${String(i)}`
        await service.recordCommit({ id: commitFactId('opencode', session, ids.call(), hash), setup: SETUP, project, session, hash, message: 'change' })
        if ((i / sizes.commitEvery) % 10 === 0) await buffer.flush()
      }
    }
    await buffer.flush()
  })
  const reportMs = await timeMs(() => setupReport(buffer))
  const cpu = cpuMs(process.cpuUsage(cpuBefore))
  await buffer.close()
  return { writeMs, reportMs, totalMs: round(writeMs + reportMs), cpuMs: cpu }
}

/** agent-tracker: LMDB, every flush one fsync'd transaction. */
function agentTracker(folder: string, sizes: WorkloadSizes): Promise<Outcome> {
  return buffered(openLmdbStore({ databasePath: join(folder, 'tracker.lmdb') }), sizes)
}

/** SQLite with agent-tracker's design: the same buffer, service, planner and report; WAL, `synchronous = FULL`. */
function sqliteBuffered(folder: string, sizes: WorkloadSizes): Promise<Outcome> {
  return buffered(openSqliteStore(join(folder, 'tracker.sqlite')), sizes)
}

/** SQLite as most people would first use it: per hook a row and a counter update in their own fsync'd transaction; the report is one aggregate query. */
async function sqlitePerHook(folder: string, sizes: WorkloadSizes): Promise<Outcome> {
  const db = new Database(join(folder, 'tracker.sqlite'))
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.exec(`CREATE TABLE agents (id TEXT PRIMARY KEY, xp REAL, tool_calls INTEGER, commits INTEGER);
    CREATE TABLE events (id INTEGER PRIMARY KEY, setup TEXT, project TEXT, kind TEXT, at TEXT, hash TEXT);
    INSERT INTO agents VALUES ('${SETUP}', 0, 0, 0);`)
  const event = db.prepare('INSERT INTO events (setup, project, kind, at, hash) VALUES (?, ?, ?, ?, ?)')
  const toolCall = db.prepare('UPDATE agents SET xp = xp + 0.1, tool_calls = tool_calls + 1 WHERE id = ?')
  const commit = db.prepare('UPDATE agents SET xp = xp + 1, commits = commits + 1 WHERE id = ?')
  const hook = db.transaction((kind: string, project: string, hash: string | null) => {
    event.run(SETUP, project, kind, new Date().toISOString(), hash)
    if (kind === 'commit') commit.run(SETUP)
    else toolCall.run(SETUP)
  })
  const summary = db.prepare("SELECT setup, COUNT(*) FILTER (WHERE kind = 'commit') AS commits, COUNT(*) FILTER (WHERE kind = 'tool_call') AS calls FROM events GROUP BY setup")
  const cpuBefore = process.cpuUsage()
  const writeMs = await timeMs(async () => {
    for (let i = 1; i <= sizes.hooks; i++) {
      const project = PROJECTS[Math.floor(i / 500) % PROJECTS.length] ?? ''
      hook('tool_call', project, null)
      if (i % 10 === 0) hook('usage', project, null)
      if (i % sizes.commitEvery === 0) hook('commit', project, `h${String(i)}`)
      await Promise.resolve()
    }
  })
  const reportMs = await timeMs(() => summary.all())
  const cpu = cpuMs(process.cpuUsage(cpuBefore))
  db.close()
  return { writeMs, reportMs, totalMs: round(writeMs + reportMs), cpuMs: cpu }
}

/** Legacy JSON files: read, change and rewrite `.agent/status.json` per hook (not fsync'd: the file system decides), append commits to a journal file. */
async function jsonFiles(folder: string, sizes: WorkloadSizes): Promise<Outcome> {
  const status = join(folder, 'status.json')
  const journal = join(folder, 'communication.json')
  writeFileSync(status, JSON.stringify({ agent_name: 'build', experience_points: 0, tool_calls: 0, total_commits: 0 }))
  writeFileSync(journal, '[]')
  const cpuBefore = process.cpuUsage()
  const writeMs = await timeMs(async () => {
    for (let i = 1; i <= sizes.hooks; i++) {
      const state = JSON.parse(readFileSync(status, 'utf8')) as { experience_points: number; tool_calls: number; total_commits: number }
      state.experience_points += 0.1
      state.tool_calls += 1
      if (i % sizes.commitEvery === 0) {
        state.total_commits += 1
        const entries = JSON.parse(readFileSync(journal, 'utf8')) as unknown[]
        entries.push({ commit: `h${String(i)}`, timestamp: new Date().toISOString(), task: 'change' })
        writeFileSync(journal, JSON.stringify(entries))
      }
      writeFileSync(status, JSON.stringify(state))
      await Promise.resolve()
    }
  })
  const reportMs = await timeMs(() => {
    const entries = JSON.parse(readFileSync(journal, 'utf8')) as unknown[]
    return { status: JSON.parse(readFileSync(status, 'utf8')) as unknown, commits: entries.length }
  })
  const cpu = cpuMs(process.cpuUsage(cpuBefore))
  return { writeMs, reportMs, totalMs: round(writeMs + reportMs), cpuMs: cpu }
}

/** One engine's runs of {@link compareEngines}: wall time and CPU time of each run. */
export interface EngineRuns {
  readonly wall: Spread
  readonly cpu: Spread
}

/** The engines alone, in one insertion order: LMDB's runs, SQLite's, and the pairs' ratios (LMDB ÷ SQLite: above 1, SQLite is faster). */
export interface EngineComparison {
  readonly lmdb: EngineRuns
  readonly sqlite: EngineRuns
  /** The median of the pairs' ratios of CPU time, LMDB's over SQLite's. */
  readonly cpuRatio: number
}

/** What {@link compareEngines} gives: new fact ids in no order (a tool call's), and appended (ids that begin with their time). */
export interface EngineFigures {
  readonly transactions: number
  readonly ids: number
  readonly unordered: EngineComparison
  readonly appended: EngineComparison
}

/** What figure 6 gives. */
export interface AlternativeFigures {
  readonly hooks: number
  readonly runs: number
  readonly agentTracker: Omit<Compared, 'ratio'>
  readonly sqliteBuffered: PairCompared
  readonly sqlitePerHook: Compared
  readonly jsonFiles: Compared
  readonly engines: EngineFigures
}

/** Wall and CPU time (the whole process's: LMDB commits on lmdb-js's writer thread) of `work`. */
async function timed(work: () => Promise<void>): Promise<{ wall: number; cpu: number }> {
  const cpuBefore = process.cpuUsage()
  const wall = await timeMs(work)
  return { wall, cpu: cpuMs(process.cpuUsage(cpuBefore)) }
}

/** `batches` of new ids claimed into a unique index on LMDB, as the store claims them: `noOverwrite` puts in a transaction lmdb-js's writer thread commits and fsyncs. */
async function lmdbClaims(folder: string, batches: readonly (readonly string[])[]): Promise<{ wall: number; cpu: number }> {
  const root = open({ path: join(folder, 'ids.lmdb'), noSubdir: true, maxDbs: 4, overlappingSync: false, eventTurnBatching: false })
  const ids = root.openDB<number, string>({ name: 'fact-ids' })
  let seq = 1000
  try {
    return await timed(async () => {
      for (const batch of batches) {
        await root.childTransaction(() => {
          for (const id of batch) ids.putSync(id, seq++, { noOverwrite: true })
        })
      }
    })
  } finally {
    await root.close()
  }
}

/** The same claims on SQLite: `INSERT OR IGNORE` into a `WITHOUT ROWID` table, a transaction per batch, WAL, `synchronous = FULL`. */
async function sqliteClaims(folder: string, batches: readonly (readonly string[])[]): Promise<{ wall: number; cpu: number }> {
  const db = new Database(join(folder, 'ids.sqlite'))
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
    db.exec('CREATE TABLE fact_ids (id TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID')
    const claim = db.prepare('INSERT OR IGNORE INTO fact_ids (id, seq) VALUES (?, ?)')
    const commit = db.transaction((batch: readonly string[], first: number) => {
      batch.forEach((id, index) => claim.run(id, first + index))
    })
    let seq = 1000
    return await timed(async () => {
      for (const batch of batches) {
        commit(batch, seq)
        seq += batch.length
        await Promise.resolve()
      }
    })
  } finally {
    db.close()
  }
}

/** Runs both engines on `batches` in `pairs` pairs (which goes first alternating; one pair more warms up and is left out). */
async function enginePairs(batches: readonly (readonly string[])[], pairs: number): Promise<EngineComparison> {
  const runs = { lmdb: [] as { wall: number; cpu: number }[], sqlite: [] as { wall: number; cpu: number }[] }
  const ratios: number[] = []
  for (let pair = -1; pair < pairs; pair++) {
    const order = pair % 2 === 0 ? (['lmdb', 'sqlite'] as const) : (['sqlite', 'lmdb'] as const)
    const got: Partial<Record<'lmdb' | 'sqlite', { wall: number; cpu: number }>> = {}
    for (const engine of order) {
      const folder = mkdtempSync(join(tmpdir(), 'bench-engine-'))
      try {
        got[engine] = await (engine === 'lmdb' ? lmdbClaims : sqliteClaims)(folder, batches)
      } finally {
        rmSync(folder, { recursive: true, force: true })
      }
    }
    const { lmdb, sqlite } = got
    if (pair < 0 || lmdb === undefined || sqlite === undefined) continue
    runs.lmdb.push(lmdb)
    runs.sqlite.push(sqlite)
    ratios.push(lmdb.cpu / Math.max(0.001, sqlite.cpu))
  }
  const engine = (list: readonly { wall: number; cpu: number }[]): EngineRuns => ({ wall: spread(list.map((r) => r.wall)), cpu: spread(list.map((r) => r.cpu)) })
  return { lmdb: engine(runs.lmdb), sqlite: engine(runs.sqlite), cpuRatio: spread(ratios).median }
}

/**
 * 6, the engines alone: `transactions` commits of `ids` new fact ids each into one unique index —
 * the claims every flush makes, nothing else — on LMDB as the store writes (lmdb-js) and on SQLite
 * (better-sqlite3), with the same durability (every commit fsync'd). Once with the ids of tool
 * calls in one session (`opencode:<session>:<call>`, whose call ids come in no order, so each
 * commit's ids land all over the index), once with ids that begin with their time (appended).
 * It shows how much of figure 6's gap is the engines' own, whatever agent-tracker does above them.
 */
export async function compareEngines(sizes: WorkloadSizes['engines']): Promise<EngineFigures> {
  const ids = new OpencodeIds()
  const session = ids.session(Date.UTC(2026, 0, 1))
  const batchesOf = (id: (index: number) => string): string[][] => Array.from({ length: sizes.transactions }, (_, t) => Array.from({ length: sizes.ids }, (_, i) => id(t * sizes.ids + i)))
  const unordered = batchesOf(() => toolCallFactId('opencode', session, ids.call()))
  const appended = batchesOf((index) => usageFactId('opencode', ids.message(Date.UTC(2026, 0, 1) + index)))
  return { transactions: sizes.transactions, ids: sizes.ids, unordered: await enginePairs(unordered, sizes.pairs), appended: await enginePairs(appended, sizes.pairs) }
}

type Approach = (folder: string, sizes: WorkloadSizes) => Promise<Outcome>

/** One run of an approach in a fresh folder. */
async function runOnce(approach: Approach, sizes: WorkloadSizes): Promise<Outcome> {
  const folder = mkdtempSync(join(tmpdir(), 'bench-alt-'))
  try {
    return await approach(folder, sizes)
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

/** Runs summarised: the spreads of their write, report and total times, and the median CPU. */
function summarised(runs: readonly Outcome[]): Omit<Compared, 'ratio'> {
  return { write: spread(runs.map((o) => o.writeMs)), report: spread(runs.map((o) => o.reportMs)), total: spread(runs.map((o) => o.totalMs)), cpuMs: round(median(runs.map((o) => o.cpuMs))) }
}

/**
 * 6. The same workload on agent-tracker, SQLite buffered exactly like it (the storage engine alone
 * differs), SQLite per hook, and JSON files. agent-tracker and SQLite buffered run in `pairs`
 * pairs, one right after the other, which one first alternating; their figure is the median of the
 * pairs' ratios (as the flush's against its floor). On a shared machine the load drifts within
 * seconds: medians of separate runs of two approaches a few tenths of a second apart differed by
 * up to 40% from one run of the benchmark to the next, at the same code. SQLite per hook and the
 * JSON files, several times slower, then run `runs` times, taking turns with agent-tracker runs of
 * their own, and the medians of their totals (recording + report) are compared.
 */
export async function compareAlternatives(sizes: WorkloadSizes): Promise<AlternativeFigures> {
  const tracker: Outcome[] = []
  const sqlite: Outcome[] = []
  const ratios: number[] = []
  // One pair more than measured: the first warms up the code of both sides and is left out.
  for (let pair = -1; pair < sizes.pairs; pair++) {
    const first = pair % 2 === 0
    const a = first ? await runOnce(agentTracker, sizes) : undefined
    const s = await runOnce(sqliteBuffered, sizes)
    const t = a ?? (await runOnce(agentTracker, sizes))
    if (pair < 0) continue
    tracker.push(t)
    sqlite.push(s)
    ratios.push(s.totalMs / t.totalMs)
  }
  // The slower alternatives take turns with agent-tracker runs of their own, so that both meet the same load.
  const others = { agentTracker: [] as Outcome[], sqlitePerHook: [] as Outcome[], jsonFiles: [] as Outcome[] }
  for (let i = 0; i < sizes.runs; i++) {
    others.agentTracker.push(await runOnce(agentTracker, sizes))
    others.sqlitePerHook.push(await runOnce(sqlitePerHook, sizes))
    others.jsonFiles.push(await runOnce(jsonFiles, sizes))
  }
  const trackerRuns = summarised(tracker)
  const trackerBeside = summarised(others.agentTracker)
  const against = (runs: readonly Outcome[]): Compared => {
    const outcome = summarised(runs)
    return { ...outcome, ratio: round(outcome.total.median / trackerBeside.total.median) }
  }
  const pairs = spread(ratios)
  return {
    hooks: sizes.hooks,
    runs: sizes.runs,
    agentTracker: trackerRuns,
    sqliteBuffered: { ...summarised(sqlite), ratio: pairs.median, ratios: pairs, pairsAhead: ratios.filter((ratio) => ratio > 1).length },
    sqlitePerHook: against(others.sqlitePerHook),
    jsonFiles: against(others.jsonFiles),
    engines: await compareEngines(sizes.engines),
  }
}
