import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'

/** A message or part as OpenCode 1.18 stores it: ids in columns, the rest in `data`. */
export interface StoredRecord {
  readonly id: string
  readonly data: Record<string, unknown>
}

/** A session to store: its messages, each with its parts. */
export interface FixtureSession {
  readonly id: string
  readonly directory: string
  readonly parentID?: string
  readonly updated?: number
  readonly messages: readonly (StoredRecord & { readonly parts?: readonly StoredRecord[] })[]
}

/** An assistant message's `data` as OpenCode 1.18.33 writes it. */
export function assistant(agent: string, options: { cost?: number; created?: number; completed?: number | null; model?: string } = {}): Record<string, unknown> {
  const created = options.created ?? 1_795_928_265_000
  return {
    parentID: 'msg_user', role: 'assistant', mode: agent, agent, path: { cwd: '/p', root: '/p' }, cost: options.cost ?? 0.00321,
    tokens: { total: 1050, input: 800, output: 43, reasoning: 7, cache: { write: 0, read: 200 } },
    modelID: options.model ?? 'm1', providerID: 'fake',
    time: options.completed === null ? { created } : { created, completed: options.completed ?? created + 500 }, finish: 'tool-calls',
  }
}

/** A finished bash tool part's `data`. */
export function bashPart(callID: string, command: string, output: string, exit: number, time = { start: 1_795_928_265_100, end: 1_795_928_265_300 }): Record<string, unknown> {
  return { type: 'tool', tool: 'bash', callID, state: { status: 'completed', input: { command, description: command.slice(0, 20) }, output, metadata: { output, exit, truncated: false }, title: command, time } }
}

/** A tool part of any tool in any state. */
export function toolPart(callID: string, tool: string, status: 'completed' | 'error' | 'running', input: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'tool', tool, callID, state: status === 'error' ? { status, input, error: 'File not found', time: { start: 1_795_928_265_100, end: 1_795_928_265_200 } } : { status, input, output: 'ok', metadata: {}, time: { start: 1_795_928_265_100, end: 1_795_928_265_200 } } }
}

/**
 * Writes an OpenCode database in WAL mode with the tables and columns of OpenCode 1.18.33 that the
 * import reads (the real binary's database is read by the end-to-end test).
 */
export function opencodeDatabase(file: string, sessions: readonly FixtureSession[]): string {
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.exec(`
    CREATE TABLE project (id text PRIMARY KEY, worktree text NOT NULL, time_created integer NOT NULL, time_updated integer NOT NULL, sandboxes text NOT NULL);
    CREATE TABLE session (id text PRIMARY KEY, project_id text NOT NULL, parent_id text, slug text NOT NULL, directory text NOT NULL, title text NOT NULL, version text NOT NULL,
      cost real DEFAULT 0 NOT NULL, agent text, model text, time_created integer NOT NULL, time_updated integer NOT NULL);
    CREATE TABLE message (id text PRIMARY KEY, session_id text NOT NULL, time_created integer NOT NULL, time_updated integer NOT NULL, data text NOT NULL);
    CREATE TABLE part (id text PRIMARY KEY, message_id text NOT NULL, session_id text NOT NULL, time_created integer NOT NULL, time_updated integer NOT NULL, data text NOT NULL);`)
  const session = db.prepare('insert into session (id, project_id, parent_id, slug, directory, title, version, time_created, time_updated) values (?, ?, ?, ?, ?, ?, ?, ?, ?)')
  const message = db.prepare('insert into message values (?, ?, ?, ?, ?)')
  const part = db.prepare('insert into part values (?, ?, ?, ?, ?, ?)')
  sessions.forEach((s, index) => {
    const time = 1_795_928_265_000 + index
    session.run(s.id, 'root', s.parentID ?? null, s.id, s.directory, `session ${s.id}`, '1.18.33', time, s.updated ?? time)
    s.messages.forEach((m, at) => {
      message.run(m.id, s.id, time + at, time + at, JSON.stringify(m.data))
      for (const p of m.parts ?? []) part.run(p.id, m.id, s.id, time + at, time + at, JSON.stringify(p.data))
    })
  })
  db.close()
  return file
}

/** Writes the JSON storage of OpenCode 1.1 (`storage/session|message|part`), where every record repeats its ids. */
export function opencodeStorage(storage: string, sessions: readonly FixtureSession[]): string {
  const write = (path: string, value: unknown): void => {
    mkdirSync(join(path, '..'), { recursive: true })
    writeFileSync(path, JSON.stringify(value, null, 2))
  }
  for (const s of sessions) {
    write(join(storage, 'session', 'root', `${s.id}.json`), { id: s.id, slug: s.id, version: '1.1.65', projectID: 'root', directory: s.directory, ...(s.parentID === undefined ? {} : { parentID: s.parentID }), title: s.id, time: { created: 1, updated: s.updated ?? 2 } })
    for (const m of s.messages) {
      write(join(storage, 'message', s.id, `${m.id}.json`), { id: m.id, sessionID: s.id, ...m.data })
      for (const p of m.parts ?? []) write(join(storage, 'part', m.id, `${p.id}.json`), { id: p.id, sessionID: s.id, messageID: m.id, ...p.data })
    }
  }
  return storage
}
