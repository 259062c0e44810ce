import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TrackerStore } from '@agent-tracker/core'
import { createTrackingService, setupReport } from '@agent-tracker/core'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { withWriteBuffer } from '@agent-tracker/write-buffer'
import Database from 'better-sqlite3'
import { openSqliteStore } from './sqlite-store.js'
import type { Spread } from './stats.js'
import { cpuMs, median, round, spread, timeMs } from './stats.js'
import { BENCH_SETUPS } from './workload.js'

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

const SETUP = BENCH_SETUPS[0] ?? 'build'
const PROJECTS = ['/bench/shop', '/bench/api']

/** The workload through the tracking service over the write buffer over `store`, then its report. */
async function buffered(store: TrackerStore, sizes: WorkloadSizes): Promise<Outcome> {
  const buffer = withWriteBuffer(store, { maxPending: false, maxAgeMs: false })
  const service = createTrackingService({ store: buffer })
  const cpuBefore = process.cpuUsage()
  const writeMs = await timeMs(async () => {
    for (let i = 1; i <= sizes.hooks; i++) {
      const project = PROJECTS[Math.floor(i / 500) % PROJECTS.length] ?? ''
      await service.recordToolCall({ setup: SETUP, project, tool: 'bash', ok: i % 17 !== 0 })
      if (i % 10 === 0) await service.recordUsage({ setup: SETUP, project, tokens: { input: 1200, output: 300 }, cost: 0.01 })
      if (i % sizes.commitEvery === 0) {
        await service.recordCommit({ setup: SETUP, project, hash: `h${String(i)}`, message: 'change' })
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

/** What figure 5 gives. */
export interface AlternativeFigures {
  readonly hooks: number
  readonly runs: number
  readonly agentTracker: Omit<Compared, 'ratio'>
  readonly sqliteBuffered: Compared
  readonly sqlitePerHook: Compared
  readonly jsonFiles: Compared
}

/**
 * 6. The same workload on agent-tracker, SQLite buffered exactly like it (the storage engine alone
 * differs), SQLite per hook, and JSON files. Each runs `runs` times, the approaches taking turns
 * so that drift in the machine's load falls on all of them; totals (recording + report) compared.
 */
export async function compareAlternatives(sizes: WorkloadSizes): Promise<AlternativeFigures> {
  const approaches = { agentTracker, sqliteBuffered, sqlitePerHook, jsonFiles }
  const outcomes = new Map<keyof typeof approaches, Outcome[]>()
  for (let i = 0; i < sizes.runs; i++) {
    for (const [name, approach] of Object.entries(approaches) as [keyof typeof approaches, typeof agentTracker][]) {
      const folder = mkdtempSync(join(tmpdir(), 'bench-alt-'))
      try {
        outcomes.set(name, [...(outcomes.get(name) ?? []), await approach(folder, sizes)])
      } finally {
        rmSync(folder, { recursive: true, force: true })
      }
    }
  }
  const summarised = (name: keyof typeof approaches): Omit<Compared, 'ratio'> => {
    const runs = outcomes.get(name) ?? []
    return { write: spread(runs.map((o) => o.writeMs)), report: spread(runs.map((o) => o.reportMs)), total: spread(runs.map((o) => o.totalMs)), cpuMs: round(median(runs.map((o) => o.cpuMs))) }
  }
  const tracker = summarised('agentTracker')
  const compared = (name: keyof typeof approaches): Compared => {
    const outcome = summarised(name)
    return { ...outcome, ratio: round(outcome.total.median / tracker.total.median) }
  }
  return { hooks: sizes.hooks, runs: sizes.runs, agentTracker: tracker, sqliteBuffered: compared('sqliteBuffered'), sqlitePerHook: compared('sqlitePerHook'), jsonFiles: compared('jsonFiles') }
}
