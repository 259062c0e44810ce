import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTrackingService, setupReport } from '@agent-tracker/core'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { withWriteBuffer } from '@agent-tracker/write-buffer'
import Database from 'better-sqlite3'
import { median, round, timeMs } from './stats.js'
import { BENCH_SETUPS } from './workload.js'

/**
 * The same session workload on each approach: hooks, commits, flushes or saves — compared — and a
 * report afterwards, shown beside it (agent-tracker's builds the full per-setup report; SQLite's
 * is one aggregate query; the JSON files' reads two files).
 */
export interface WorkloadSizes {
  readonly hooks: number
  readonly commitEvery: number
  /** How many times each approach runs; medians are compared. */
  readonly runs: number
}

/** Time spent recording (hooks, commits, flushes) and, separately, on the report afterwards. */
interface Outcome {
  readonly writeMs: number
  readonly reportMs: number
}

const SETUP = BENCH_SETUPS[0] ?? 'build'
const PROJECT = '/bench/project'

/** agent-tracker: the tracking service over the write buffer over LMDB, flushing on every 10th commit (a push) and at the end. */
async function agentTracker(folder: string, sizes: WorkloadSizes): Promise<Outcome> {
  const store = openLmdbStore({ databasePath: join(folder, 'tracker.lmdb') })
  const buffer = withWriteBuffer(store, { maxPending: false, maxAgeMs: false })
  const service = createTrackingService({ store: buffer })
  const writeMs = await timeMs(async () => {
    for (let i = 1; i <= sizes.hooks; i++) {
      await service.recordToolCall({ setup: SETUP, project: PROJECT, tool: 'bash', ok: true })
      if (i % sizes.commitEvery === 0) {
        await service.recordCommit({ setup: SETUP, project: PROJECT, hash: `h${String(i)}`, message: 'change' })
        if ((i / sizes.commitEvery) % 10 === 0) await buffer.flush()
      }
    }
    await buffer.flush()
  })
  const reportMs = await timeMs(async () => {
    await setupReport(store)
  })
  await buffer.close()
  return { writeMs, reportMs }
}

/** A SQLite database (better-sqlite3, WAL) with an agents table and an events table. */
function openSqlite(folder: string): { db: Database.Database; event: Database.Statement; toolCall: Database.Statement; commit: Database.Statement; report: () => unknown } {
  const db = new Database(join(folder, 'tracker.sqlite'))
  db.pragma('journal_mode = WAL')
  db.exec(`CREATE TABLE agents (id TEXT PRIMARY KEY, xp REAL, tool_calls INTEGER, commits INTEGER);
    CREATE TABLE events (id INTEGER PRIMARY KEY, setup TEXT, project TEXT, kind TEXT, at TEXT, hash TEXT);
    INSERT INTO agents VALUES ('${SETUP}', 0, 0, 0);`)
  const summary = db.prepare("SELECT setup, COUNT(*) FILTER (WHERE kind = 'commit') AS commits, COUNT(*) FILTER (WHERE kind = 'tool_call') AS calls FROM events GROUP BY setup")
  return {
    db,
    event: db.prepare('INSERT INTO events (setup, project, kind, at, hash) VALUES (?, ?, ?, ?, ?)'),
    toolCall: db.prepare('UPDATE agents SET xp = xp + ? , tool_calls = tool_calls + ? WHERE id = ?'),
    commit: db.prepare('UPDATE agents SET xp = xp + 1, commits = commits + 1 WHERE id = ?'),
    report: () => summary.all(),
  }
}

/** SQLite as most people would first use it: a row and a counter update per hook, each its own transaction. */
async function sqlite(folder: string, sizes: WorkloadSizes): Promise<Outcome> {
  const { db, event, toolCall, commit, report } = openSqlite(folder)
  const writeMs = await timeMs(async () => {
    for (let i = 1; i <= sizes.hooks; i++) {
      event.run(SETUP, PROJECT, 'tool_call', new Date().toISOString(), null)
      toolCall.run(0.1, 1, SETUP)
      if (i % sizes.commitEvery === 0) {
        event.run(SETUP, PROJECT, 'commit', new Date().toISOString(), `h${String(i)}`)
        commit.run(SETUP)
      }
      await Promise.resolve()
    }
  })
  const reportMs = await timeMs(report)
  db.close()
  return { writeMs, reportMs }
}

/**
 * SQLite with agent-tracker's own design: events kept in memory and written, with the counters
 * they add up to, in one transaction on every push and at the end. This isolates the storage
 * engine from the buffering.
 */
async function sqliteBuffered(folder: string, sizes: WorkloadSizes): Promise<Outcome> {
  const { db, event, toolCall, commit, report } = openSqlite(folder)
  let pending: { kind: string; at: string; hash: string | null }[] = []
  const flush = db.transaction((events: typeof pending) => {
    let calls = 0
    for (const e of events) {
      event.run(SETUP, PROJECT, e.kind, e.at, e.hash)
      if (e.kind === 'commit') commit.run(SETUP)
      else calls += 1
    }
    toolCall.run(0.1 * calls, calls, SETUP)
  })
  const writeMs = await timeMs(async () => {
    for (let i = 1; i <= sizes.hooks; i++) {
      pending.push({ kind: 'tool_call', at: new Date().toISOString(), hash: null })
      if (i % sizes.commitEvery === 0) {
        pending.push({ kind: 'commit', at: new Date().toISOString(), hash: `h${String(i)}` })
        if ((i / sizes.commitEvery) % 10 === 0) {
          flush(pending)
          pending = []
        }
      }
      await Promise.resolve()
    }
    flush(pending)
    pending = []
  })
  const reportMs = await timeMs(report)
  db.close()
  return { writeMs, reportMs }
}

/** Legacy JSON files: read, change and rewrite `.agent/status.json` per hook, append commits to a journal file. */
async function jsonFiles(folder: string, sizes: WorkloadSizes): Promise<Outcome> {
  const status = join(folder, 'status.json')
  const journal = join(folder, 'communication.json')
  writeFileSync(status, JSON.stringify({ agent_name: 'build', experience_points: 0, tool_calls: 0, total_commits: 0 }))
  writeFileSync(journal, '[]')
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
  return { writeMs, reportMs }
}

type Compared = Outcome & { ratio: number }

/**
 * 5. The same workload on agent-tracker, SQLite (per hook, and buffered like agent-tracker) and
 * JSON files. Each runs `runs` times, the approaches taking turns so that drift in the machine's
 * load falls on all of them; the medians of their recording time are compared with agent-tracker's.
 */
export async function compareAlternatives(sizes: WorkloadSizes): Promise<{ hooks: number; runs: number; agentTracker: Outcome; sqlite: Compared; sqliteBuffered: Compared; jsonFiles: Compared }> {
  const approaches = { agentTracker, sqlite, sqliteBuffered, jsonFiles }
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
  const medianOf = (name: keyof typeof approaches): Outcome => {
    const runs = outcomes.get(name) ?? []
    return { writeMs: round(median(runs.map((o) => o.writeMs))), reportMs: round(median(runs.map((o) => o.reportMs))) }
  }
  const tracker = medianOf('agentTracker')
  const compared = (name: keyof typeof approaches): Compared => {
    const outcome = medianOf(name)
    return { ...outcome, ratio: round(outcome.writeMs / tracker.writeMs) }
  }
  return { hooks: sizes.hooks, runs: sizes.runs, agentTracker: tracker, sqlite: compared('sqlite'), sqliteBuffered: compared('sqliteBuffered'), jsonFiles: compared('jsonFiles') }
}
