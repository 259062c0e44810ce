import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Rollout, USAGE } from '../testing/codex-rollout.js'
import { tempFolder } from '@agent-tracker/test-folders'
import type { HistoryEvent } from '../history-events.js'
import { codexHistory, rolloutEvents } from './rollout-events.js'

async function events(source: AsyncIterable<HistoryEvent>): Promise<HistoryEvent[]> {
  const found: HistoryEvent[] = []
  for await (const event of source) found.push(event)
  return found
}

const TOKENS = { input: 800, output: 43, reasoning: 7, cacheRead: 200, cacheWrite: 0 }

describe("Codex's rollouts", () => {
  it('read each call when its output arrives, and each response’s usage from its record', async () => {
    const sessions = tempFolder()
    const file = new Rollout('t1', '/work/api', { provider: 'fake' })
      .exec('call_1', "git commit -m 'add a' && git push origin HEAD", '[main da7a16c] add a\n', 0)
      .exec('call_2', 'ls /nonexistent-dir', 'ls: cannot access\n', 2)
      .write(join(sessions, '2026', '11', '29', 'rollout-2026-11-29T05-03-29-t1.jsonl'))
    const found = await events(codexHistory([sessions]))
    const context = { host: 'codex', session: 't1', project: '/work/api', setup: 'codex@fake/gpt-5-codex', at: expect.any(String) as unknown }
    expect(found).toEqual([
      { kind: 'usage', source: { file, line: 4 }, context, responseIds: ['t1', 'resp_call_1'], tokens: TOKENS, provider: 'fake', model: 'gpt-5-codex' },
      { kind: 'tool_call', source: { file, line: 6 }, context, callId: 'call_1', tool: 'exec_command', ok: true, exitCode: 0, shell: { command: "git commit -m 'add a' && git push origin HEAD", output: '[main da7a16c] add a\n', workdir: '/work/api', reportedHashes: [], startedAt: expect.any(String) as unknown } },
      expect.objectContaining({ kind: 'usage', responseIds: ['t1', 'resp_call_2'] }),
      expect.objectContaining({ kind: 'tool_call', callId: 'call_2', ok: false, exitCode: 2 }),
      { kind: 'progress', done: 1, total: 1 },
    ])
  })

  it('read a rollout left in both sessions and archived_sessions once, from the copy that went on longer', async () => {
    const home = tempFolder()
    const [sessions, archived] = [join(home, 'sessions'), join(home, 'archived_sessions')]
    const name = 'rollout-2026-11-29T05-03-29-t1.jsonl'
    new Rollout('t1', '/work/api', { provider: 'fake' }).exec('call_1', 'ls', 'a\n', 0).write(join(sessions, '2026', '11', '29', name))
    new Rollout('t1', '/work/api', { provider: 'fake' }).exec('call_1', 'ls', 'a\n', 0).exec('call_2', 'ls -a', 'a\n', 0).write(join(archived, name))
    const found = await events(codexHistory([sessions, archived]))
    expect(found.flatMap((event) => (event.kind === 'tool_call' ? [event.callId] : []))).toEqual(['call_1', 'call_2'])
    expect(found.at(-1)).toEqual({ kind: 'progress', done: 1, total: 1 })
  })

  it('take usage from the growth of token_count totals when a rollout has no per-response records', async () => {
    const rollout = new Rollout('t2', '/p')
      .exec('call_1', 'ls', 'a\n', 0, { records: false, total: USAGE })
      .tokenCount(USAGE)
      .exec('call_2', 'ls', 'a\n', 0, { records: false, total: { ...USAGE, input_tokens: 2000, cached_input_tokens: 400, output_tokens: 100, reasoning_output_tokens: 14 } })
    const found = await events(rolloutEvents(rollout.write(join(tempFolder(), 'rollout-x.jsonl'))))
    expect(found.flatMap((event) => (event.kind === 'usage' ? [[event.responseIds[1], event.tokens]] : []))).toEqual([['line-6', TOKENS], ['line-11', TOKENS]])
  })

  it("name a subagent by its role, or codex when it has none (its nickname is a random name)", async () => {
    const file = (role: string | null): string => new Rollout('t3', '/p', { parent: 't1', role }).exec('call_1', 'ls', '', 0).write(join(tempFolder(), 'rollout-s.jsonl'))
    expect((await events(rolloutEvents(file('explorer'))))[0]).toMatchObject({ context: { setup: 'explorer@openai/gpt-5-codex', session: 't3' } })
    expect((await events(rolloutEvents(file(null))))[0]).toMatchObject({ context: { setup: 'codex@openai/gpt-5-codex' } })
  })

  it('report a rollout without session_meta or without a model, and bad lines, by file and line', async () => {
    const folder = tempFolder()
    const noModel = new Rollout('t4', '/p', { model: null }).exec('call_1', 'ls', '', 0).write(join(folder, 'rollout-a.jsonl'), '{"timestamp":"x"}\n')
    expect(await events(rolloutEvents(noModel))).toEqual([
      { kind: 'problem', file: noModel, line: 6, reason: 'not a rollout line ({timestamp, type, payload}); it was left out' },
      { kind: 'problem', file: noModel, reason: 'no model recorded (Codex builds of early September 2025 wrote none); its calls and usage were left out' },
    ])
    const headless = join(folder, 'rollout-b.jsonl')
    new Rollout('t5', '/p').write(headless)
    const { writeFileSync, readFileSync } = await import('node:fs')
    writeFileSync(headless, readFileSync(headless, 'utf8').split('\n').slice(1).join('\n'))
    expect(await events(rolloutEvents(headless))).toEqual([{ kind: 'problem', file: headless, reason: 'no session_meta line: not a Codex rollout, or cut off at its start; it was left out' }])
  })

  it('say once of an SQLite database given for a rollout that it is none', async () => {
    const { writeFileSync } = await import('node:fs')
    const database = join(tempFolder(), 'state.sqlite')
    writeFileSync(database, Buffer.concat([Buffer.from('SQLite format 3\u0000', 'latin1'), Buffer.alloc(100, 0x0a)]))
    expect(await events(rolloutEvents(database))).toEqual([{ kind: 'problem', file: database, reason: 'not a JSON-lines file but an SQLite database; it was left out' }])
  })
})
