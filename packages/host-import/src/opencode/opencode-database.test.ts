import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { opencodeCommandTurnPrompt } from '@agent-tracker/core'
import { describe, expect, it } from 'vitest'
import type { FixtureSession } from '../testing/opencode-history.js'
import { assistant, bashPart, opencodeDatabase, opencodeStorage, toolPart } from '../testing/opencode-history.js'
import { tempFolder } from '@agent-tracker/test-folders'
import type { HistoryEvent } from '../history-events.js'
import { opencodeDatabaseHistory } from './opencode-database.js'
import { opencodeStorageHistory } from './opencode-storage.js'

async function events(source: AsyncIterable<HistoryEvent> | Iterable<HistoryEvent>): Promise<HistoryEvent[]> {
  const found: HistoryEvent[] = []
  for await (const event of source) found.push(event)
  return found
}

const summary = (found: readonly HistoryEvent[]): unknown[] => found.flatMap((event) => {
  if (event.kind === 'tool_call') return [`${event.context.session} ${event.context.setup} ${event.tool}:${String(event.ok)}${event.shell === undefined ? '' : ` $ ${event.shell.command}`}`]
  if (event.kind === 'usage') return [`${event.context.session} ${event.context.setup} usage ${String(event.hostCost)}`]
  return event.kind === 'problem' ? [`problem ${event.reason}`] : []
})

const SESSIONS: FixtureSession[] = [
  {
    id: 'ses_parent', directory: '/work/shop', messages: [
      { id: 'msg_u1', data: { role: 'user', time: { created: 1 }, agent: 'build', model: { providerID: 'fake', modelID: 'm1' } } },
      { id: 'msg_a1', data: assistant('build'), parts: [
        { id: 'prt_1', data: bashPart('call_1', "git commit -m 'add a' && git push origin HEAD", '[main 3062d51] add a\n', 0) },
        { id: 'prt_2', data: toolPart('call_2', 'read', 'error', { filePath: '/work/shop/missing.txt' }) },
        { id: 'prt_3', data: toolPart('call_3', 'task', 'completed', { subagent_type: 'general' }) },
        { id: 'prt_4', data: toolPart('call_4', 'tracker_self_grade', 'completed') },
        { id: 'prt_5', data: toolPart('call_5', 'bash', 'running', { command: 'sleep 9' }) },
      ] },
      { id: 'msg_a2', data: assistant('build', { completed: null }) },
    ],
  },
  { id: 'ses_child', directory: '/work/shop', parentID: 'ses_parent', messages: [{ id: 'msg_c1', data: assistant('general', { cost: 0.5 }), parts: [{ id: 'prt_6', data: bashPart('call_6', 'ls', 'a.txt', 0) }] }] },
  { id: 'ses_review', directory: '/work/api', messages: [{ id: 'msg_r1', data: assistant('reviewer', { cost: 0 }), parts: [{ id: 'prt_7', data: bashPart('call_7', 'exit 3', '', 3) }] }] },
]

const EXPECTED = [
  'ses_parent build@fake/m1 bash:true $ git commit -m \'add a\' && git push origin HEAD',
  'ses_parent build@fake/m1 read:false',
  'ses_parent build@fake/m1 task:true',
  'ses_parent build@fake/m1 usage 0.00321',
  'ses_child general@fake/m1 bash:true $ ls',
  'ses_child general@fake/m1 usage 0.5',
  'ses_review reviewer@fake/m1 bash:false $ exit 3',
  'ses_review reviewer@fake/m1 usage 0',
]

describe("OpenCode's database", () => {
  it('reads every session (a subagent’s too) as the plugin records it live: finished tool parts, finished messages’ usage', async () => {
    const file = opencodeDatabase(join(tempFolder(), 'opencode.db'), SESSIONS)
    const seen = new Set<string>()
    const found = await events(opencodeDatabaseHistory(file, seen))
    expect(summary(found)).toEqual(EXPECTED)
    expect(found.find((event) => event.kind === 'tool_call' && event.callId === 'call_1')).toMatchObject({ exitCode: 0, shell: { workdir: '/work/shop', output: '[main 3062d51] add a\n', startedAt: '2026-11-29T04:57:45.100Z' }, context: { at: '2026-11-29T04:57:45.300Z', project: '/work/shop' } })
    expect(found.filter((event) => event.kind === 'progress').at(-1)).toEqual({ kind: 'progress', done: 3, total: 3 })
    expect([...seen]).toEqual(['ses_parent', 'ses_child', 'ses_review'])
    expect(summary(await events(opencodeDatabaseHistory(file, seen)))).toEqual([])
  })

  it('reads while OpenCode holds the database open for writing, with the data still in the write-ahead log', async () => {
    const file = opencodeDatabase(join(tempFolder(), 'opencode.db'), SESSIONS.slice(0, 1))
    const writer = new Database(file)
    writer.pragma('journal_mode = WAL')
    writer.pragma('wal_autocheckpoint = 0')
    writer.prepare('insert into message values (?, ?, ?, ?, ?)').run('msg_late', 'ses_parent', 9, 9, JSON.stringify(assistant('build', { cost: 1 })))
    try {
      expect(summary(await events(opencodeDatabaseHistory(file, new Set())))).toContain('ses_parent build@fake/m1 usage 1')
    } finally {
      writer.close()
    }
  })

  it('reports a file that is no database, or not OpenCode’s, and leaves out records whose data is not JSON', async () => {
    const folder = tempFolder()
    const corrupt = join(folder, 'corrupt.db')
    writeFileSync(corrupt, 'this is not a database'.repeat(300))
    expect(await events(opencodeDatabaseHistory(corrupt, new Set()))).toEqual([{ kind: 'problem', file: corrupt, reason: 'not a readable SQLite database (file is not a database)' }])
    const other = join(folder, 'other.db')
    new Database(other).exec('create table notes (id text)').close()
    expect(await events(opencodeDatabaseHistory(other, new Set()))).toEqual([{ kind: 'problem', file: other, reason: 'not an OpenCode database: it has no session, message, part table' }])
    const file = opencodeDatabase(join(folder, 'opencode.db'), SESSIONS.slice(2))
    const db = new Database(file)
    db.prepare('update part set data = ?').run('{cut')
    db.close()
    expect(summary(await events(opencodeDatabaseHistory(file, new Set())))).toEqual(['problem session ses_review: 1 record(s) whose data is not JSON (prt_7) were left out', 'ses_review reviewer@fake/m1 usage 0'])
  })

  it('reads only sessions updated since a time', async () => {
    const file = opencodeDatabase(join(tempFolder(), 'opencode.db'), SESSIONS.slice(2).map((session) => ({ ...session, updated: Date.parse('2026-01-01T00:00:00Z') })))
    expect(summary(await events(opencodeDatabaseHistory(file, new Set(), { since: '2026-06-01T00:00:00Z' })))).toEqual([])
  })
})

describe('the turn that answers a slash command', () => {
  // OpenCode keeps the prompt the plugin put in place of `/grade` as the turn's user message.
  const graded: FixtureSession = {
    id: 'ses_grade', directory: '/work/shop', messages: [
      { id: 'msg_work', data: { role: 'user', time: { created: 1 }, agent: 'build', model: { providerID: 'fake', modelID: 'm1' } }, parts: [{ id: 'prt_w', data: { type: 'text', text: 'Add a cart.' } }] },
      { id: 'msg_a1', data: { ...assistant('build', { cost: 0.25 }), parentID: 'msg_work' }, parts: [{ id: 'prt_1', data: bashPart('call_1', 'ls', 'a.txt', 0) }] },
      { id: 'msg_cmd', data: { role: 'user', time: { created: 2 }, agent: 'build', model: { providerID: 'fake', modelID: 'm1' } }, parts: [{ id: 'prt_c', data: { type: 'text', text: opencodeCommandTurnPrompt('Graded 2b896c10 (feat: a) of build@fake/m1: user good.') } }] },
      { id: 'msg_ack', data: { ...assistant('build', { cost: 0.5 }), parentID: 'msg_cmd' } },
    ],
  }

  it('is no setup’s work: its reply’s tokens and cost are not read, as the plugin records none live (database and JSON storage)', async () => {
    const expected = ['ses_grade build@fake/m1 bash:true $ ls', 'ses_grade build@fake/m1 usage 0.25']
    expect(summary(await events(opencodeDatabaseHistory(opencodeDatabase(join(tempFolder(), 'opencode.db'), [graded]), new Set())))).toEqual(expected)
    expect(summary(await events(opencodeStorageHistory(opencodeStorage(join(tempFolder(), 'storage'), [graded]), new Set())))).toEqual(expected)
  })
})

describe("OpenCode's JSON storage (before 1.2)", () => {
  it('reads the same sessions the same way, and skips those a database held', async () => {
    const storage = opencodeStorage(join(tempFolder(), 'storage'), SESSIONS)
    expect(summary(await events(opencodeStorageHistory(storage, new Set())))).toEqual([...EXPECTED.slice(4, 6), ...EXPECTED.slice(0, 4), ...EXPECTED.slice(6)])
    expect(summary(await events(opencodeStorageHistory(storage, new Set(['ses_parent', 'ses_child']))))).toEqual(EXPECTED.slice(6))
  })

  it('reports a file that is not JSON, and reads the rest', async () => {
    const storage = opencodeStorage(join(tempFolder(), 'storage'), SESSIONS.slice(2))
    writeFileSync(join(storage, 'message', 'ses_review', 'msg_bad.json'), '{')
    const found = await events(opencodeStorageHistory(storage, new Set()))
    expect(summary(found)).toEqual([expect.stringMatching(/^problem not valid JSON/), ...EXPECTED.slice(6)])
    expect(found[0]).toMatchObject({ file: join(storage, 'message', 'ses_review', 'msg_bad.json') })
  })
})
