import type BetterSqlite3 from 'better-sqlite3'
import type { Database as SqliteDatabase } from 'better-sqlite3'
import { HostImportError } from '../errors.js'
import type { HistoryEvent, ReadOptions } from '../history-events.js'
import type { Fields } from '../read-values.js'
import { fields } from '../read-values.js'
import { opencodeSessionEvents } from './session-events.js'

type Row = Record<string, unknown>

const BUSY_TIMEOUT_MS = 5000

/**
 * Reads an OpenCode database (1.2 and later) read-only, in place — OpenCode keeps it in WAL mode,
 * so a copy of the main file alone may hold nothing — safely while OpenCode writes to it: each
 * session is read in short statements, so OpenCode's checkpoints are never held up for long.
 * Sessions in `seen` are skipped, and the ones read are added to it.
 * @throws {HostImportError} SQLITE_UNAVAILABLE when better-sqlite3 cannot be loaded.
 */
export async function* opencodeDatabaseHistory(file: string, seen: Set<string>, options: ReadOptions = {}): AsyncGenerator<HistoryEvent> {
  const Database = await loadSqlite()
  let db: SqliteDatabase
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS })
  } catch (error) {
    yield { kind: 'problem', file, reason: `cannot be opened: ${messageOf(error)}` }
    return
  }
  try {
    let sessions: Row[]
    try {
      const tables = new Set(db.prepare("select name from sqlite_master where type = 'table'").pluck().all() as string[])
      const missing = ['session', 'message', 'part'].filter((table) => !tables.has(table))
      if (missing.length > 0) {
        yield { kind: 'problem', file, reason: `not an OpenCode database: it has no ${missing.join(', ')} table` }
        return
      }
      const since = options.since === undefined ? 0 : Date.parse(options.since)
      sessions = db.prepare('select id, directory from session where time_updated >= ? order by time_created, id').all(since) as Row[]
    } catch (error) {
      yield { kind: 'problem', file, reason: `not a readable SQLite database (${messageOf(error)})` }
      return
    }
    const messages = db.prepare('select id, session_id, data from message where session_id = ? order by time_created, id')
    const parts = db.prepare('select id, message_id, session_id, data from part where session_id = ? order by id')
    for (const [index, row] of sessions.entries()) {
      const id = String(row.id)
      if (seen.has(id)) continue
      seen.add(id)
      const bad: string[] = []
      const records = (rows: Row[], ids: (row: Row) => Fields): Fields[] => rows.flatMap((record) => {
        const data = parseData(record.data)
        if (data === undefined) bad.push(String(record.id))
        return data === undefined ? [] : [{ ...data, ...ids(record) }]
      })
      let session
      try {
        session = {
          id,
          directory: String(row.directory),
          messages: records(messages.all(id) as Row[], (record) => ({ id: record.id, sessionID: record.session_id })),
          parts: records(parts.all(id) as Row[], (record) => ({ id: record.id, messageID: record.message_id, sessionID: record.session_id })),
          // A database has no lines: a record is found by its session and id.
          sourceOf: (kind: 'message' | 'part', record: Fields) => ({ file, record: `session ${id}, ${kind} ${String(record.id)}` }),
        }
      } catch (error) {
        yield { kind: 'problem', file, reason: `session ${id} could not be read (${messageOf(error)}); it was left out` }
        continue
      }
      if (bad.length > 0) yield { kind: 'problem', file, reason: `session ${id}: ${String(bad.length)} record(s) whose data is not JSON (${bad.slice(0, 3).join(', ')}) were left out` }
      yield* opencodeSessionEvents(session, options)
      yield { kind: 'progress', done: index + 1, total: sessions.length }
    }
  } finally {
    db.close()
  }
}

async function loadSqlite(): Promise<typeof BetterSqlite3> {
  try {
    return (await import('better-sqlite3')).default
  } catch (error) {
    throw new HostImportError('SQLITE_UNAVAILABLE', `OpenCode's database cannot be read: better-sqlite3 could not be loaded (${messageOf(error)}).`, { module: 'better-sqlite3' }, { cause: error })
  }
}

function parseData(data: unknown): Fields | undefined {
  if (typeof data !== 'string') return undefined
  try {
    return fields(JSON.parse(data))
  } catch {
    return undefined
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
