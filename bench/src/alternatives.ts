import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildSetupReport, createTrackingService } from '@agent-tracker/core'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { withWriteBuffer } from '@agent-tracker/write-buffer'
import Database from 'better-sqlite3'
import { round, timeMs } from './stats.js'
import { BENCH_SETUPS } from './workload.js'

/** The same session workload on each approach: hooks, commits, a flush or save, and a report. */
export interface WorkloadSizes {
  readonly hooks: number
  readonly commitEvery: number
}

interface Outcome {
  readonly totalMs: number
  readonly reportMs: number
}

const SETUP = BENCH_SETUPS[0] ?? 'build'
const PROJECT = '/bench/project'

/** agent-tracker: the tracking service over the write buffer over LMDB, flushing on every 10th commit (a push) and at the end. */
async function agentTracker(folder: string, sizes: WorkloadSizes): Promise<Outcome> {
  const store = openLmdbStore({ databasePath: join(folder, 'tracker.lmdb') })
  const buffer = withWriteBuffer(store, { maxPending: false, maxAgeMs: false })
  const service = createTrackingService({ store: buffer })
  let reportMs = 0
  const totalMs = await timeMs(async () => {
    for (let i = 1; i <= sizes.hooks; i++) {
      await service.recordToolCall({ setup: SETUP, project: PROJECT, tool: 'bash', ok: true })
      if (i % sizes.commitEvery === 0) {
        await service.recordCommit({ setup: SETUP, project: PROJECT, hash: `h${String(i)}`, message: 'change' })
        if ((i / sizes.commitEvery) % 10 === 0) await buffer.flush()
      }
    }
    await buffer.flush()
    reportMs = await timeMs(async () => {
      const [setups, commits, gradeEvents, bugs, usage] = await Promise.all([store.find('setups'), store.find('commits'), store.find('gradeEvents'), store.find('bugs'), store.find('usage')])
      buildSetupReport({ setups, commits, gradeEvents, bugs, usage })
    })
  })
  await buffer.close()
  return { totalMs, reportMs }
}

/** SQLite (better-sqlite3, WAL): a row and a counter update per hook, an aggregate query for the report. */
async function sqlite(folder: string, sizes: WorkloadSizes): Promise<Outcome> {
  const db = new Database(join(folder, 'tracker.sqlite'))
  db.pragma('journal_mode = WAL')
  db.exec(`CREATE TABLE agents (id TEXT PRIMARY KEY, xp REAL, tool_calls INTEGER, commits INTEGER);
    CREATE TABLE events (id INTEGER PRIMARY KEY, setup TEXT, project TEXT, kind TEXT, at TEXT, hash TEXT);
    INSERT INTO agents VALUES ('${SETUP}', 0, 0, 0);`)
  const event = db.prepare('INSERT INTO events (setup, project, kind, at, hash) VALUES (?, ?, ?, ?, ?)')
  const toolCall = db.prepare('UPDATE agents SET xp = xp + 0.1, tool_calls = tool_calls + 1 WHERE id = ?')
  const commit = db.prepare('UPDATE agents SET xp = xp + 1, commits = commits + 1 WHERE id = ?')
  let reportMs = 0
  const totalMs = await timeMs(async () => {
    for (let i = 1; i <= sizes.hooks; i++) {
      event.run(SETUP, PROJECT, 'tool_call', new Date().toISOString(), null)
      toolCall.run(SETUP)
      if (i % sizes.commitEvery === 0) {
        event.run(SETUP, PROJECT, 'commit', new Date().toISOString(), `h${String(i)}`)
        commit.run(SETUP)
      }
      await Promise.resolve()
    }
    reportMs = await timeMs(() => db.prepare("SELECT setup, COUNT(*) FILTER (WHERE kind = 'commit') AS commits, COUNT(*) FILTER (WHERE kind = 'tool_call') AS calls FROM events GROUP BY setup").all())
  })
  db.close()
  return { totalMs, reportMs }
}

/** Legacy JSON files: read, change and rewrite `.agent/status.json` per hook, append commits to a journal file. */
async function jsonFiles(folder: string, sizes: WorkloadSizes): Promise<Outcome> {
  const status = join(folder, 'status.json')
  const journal = join(folder, 'communication.json')
  writeFileSync(status, JSON.stringify({ agent_name: 'build', experience_points: 0, tool_calls: 0, total_commits: 0 }))
  writeFileSync(journal, '[]')
  let reportMs = 0
  const totalMs = await timeMs(async () => {
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
    reportMs = await timeMs(() => {
      const entries = JSON.parse(readFileSync(journal, 'utf8')) as unknown[]
      return { status: JSON.parse(readFileSync(status, 'utf8')) as unknown, commits: entries.length }
    })
  })
  return { totalMs, reportMs }
}

/** 5. The same workload on agent-tracker, SQLite and JSON files, with each alternative's total as a ratio to agent-tracker's. */
export async function compareAlternatives(sizes: WorkloadSizes): Promise<{ hooks: number; agentTracker: Outcome; sqlite: Outcome & { ratio: number }; jsonFiles: Outcome & { ratio: number } }> {
  const run = async (approach: (folder: string, sizes: WorkloadSizes) => Promise<Outcome>): Promise<Outcome> => {
    const folder = mkdtempSync(join(tmpdir(), 'bench-alt-'))
    try {
      return await approach(folder, sizes)
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  }
  const tracker = await run(agentTracker)
  const lite = await run(sqlite)
  const json = await run(jsonFiles)
  return {
    hooks: sizes.hooks,
    agentTracker: tracker,
    sqlite: { ...lite, ratio: round(lite.totalMs / tracker.totalMs) },
    jsonFiles: { ...json, ratio: round(json.totalMs / tracker.totalMs) },
  }
}
