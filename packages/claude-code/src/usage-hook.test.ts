import { readFileSync, readdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Transcript } from '@agent-tracker/host-import/testing'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { describe, expect, it } from 'vitest'
import { HookSession } from '../test/hook-session.js'
import { tempFolder } from '@agent-tracker/test-folders'
import { runClaudeCodeHook } from './run-hook.js'
import { TranscriptReads } from './transcript-reads.js'
import { waitingFacts } from './pending-facts.js'

const SETUP = 'claude-code@anthropic/claude-opus-4-8'

/** What the database holds for a setup: responses counted and their tokens. */
async function counted(databasePath: string, setup = SETUP): Promise<{ messages: number; input: number; output: number } | undefined> {
  const store = openLmdbStore({ databasePath, readOnly: true })
  try {
    const state = (await store.get('setups', [setup]))?.state
    return state === undefined ? undefined : { messages: state.messages, input: state.tokens.input, output: state.tokens.output }
  } finally {
    await store.close()
  }
}

const text = (words: string): object[] => [{ type: 'text', text: words }]

describe('the usage hooks read each transcript from where they stopped', () => {
  it('count every response of a transcript grown over several turns once, a response whose lines straddle two Stops too, without reading again what they counted', async () => {
    const databasePath = join(tempFolder('db-'), 'tracker.lmdb')
    const session = new HookSession('s1', tempFolder('project-'), databasePath)
    session.transcript.prompt('Start.').response('msg_1', text('one')).response('msg_2', text('two'))
    // The turn's last response so far: its first content block is written, its second is not yet.
    session.transcript.response('msg_3', [{ type: 'thinking', thinking: 'hm' }])
    expect(await session.send('Stop', { stop_hook_active: false })).toEqual({ exitCode: 0 })
    expect(await counted(databasePath)).toEqual({ messages: 3, input: 300, output: 60 })
    session.transcript.response('msg_3', text('three')).prompt('Go on.').response('msg_4', text('four'))
    expect(await session.send('Stop', { stop_hook_active: false, last_assistant_message: 'four' })).toEqual({ exitCode: 0 })
    expect(await counted(databasePath)).toEqual({ messages: 4, input: 400, output: 80 })
    // What was counted is not read again: a response id changed in place before the position stays unseen.
    const early = session.transcript.lines[2] as { message: { id: string } }
    early.message.id = 'msg_X'
    session.transcript.prompt('Once more.').response('msg_5', text('five'))
    await session.send('Stop', { stop_hook_active: false })
    expect(await counted(databasePath)).toEqual({ messages: 5, input: 500, output: 100 })
    expect(readdirSync(new TranscriptReads(databasePath).folder)).toHaveLength(1)
  })

  it('leave a line Claude Code is still writing for the next Stop', async () => {
    const databasePath = join(tempFolder('db-'), 'tracker.lmdb')
    const session = new HookSession('s6', tempFolder('project-'), databasePath)
    const [line = {}] = new Transcript('s6', session.cwd).response('msg_1', text('one')).lines
    const whole = JSON.stringify(line)
    session.transcript.prompt('Start.').write(session.transcriptPath, whole.slice(0, whole.length / 2))
    const stop = JSON.stringify({ session_id: 's6', transcript_path: session.transcriptPath, cwd: session.cwd, hook_event_name: 'Stop', stop_hook_active: false })
    expect(await runClaudeCodeHook(stop, session.options)).toEqual({ exitCode: 0 })
    expect(await counted(databasePath)).toBeUndefined()
    session.transcript.lines.push(line)
    await session.send('Stop', { stop_hook_active: false })
    expect(await counted(databasePath)).toEqual({ messages: 1, input: 100, output: 20 })
  })

  it('read a transcript cut shorter, or replaced by another file, from its start', async () => {
    const databasePath = join(tempFolder('db-'), 'tracker.lmdb')
    const session = new HookSession('s2', tempFolder('project-'), databasePath)
    session.transcript.prompt('Start.').response('msg_1', text('one')).response('msg_2', text('two')).response('msg_3', text('three'))
    await session.send('Stop', { stop_hook_active: false })
    expect((await counted(databasePath))?.messages).toBe(3)
    session.transcript.lines.splice(0)
    session.transcript.response('msg_4', text('four'))
    await session.send('Stop', { stop_hook_active: false })
    expect((await counted(databasePath))?.messages).toBe(4)
    unlinkSync(session.transcriptPath)
    session.transcript.lines.splice(0)
    for (const id of ['msg_5', 'msg_6', 'msg_7', 'msg_8']) session.transcript.prompt('Next.').response(id, text(`reply ${id}`))
    await session.send('Stop', { stop_hook_active: false })
    expect(await counted(databasePath)).toEqual({ messages: 8, input: 800, output: 160 })
  })

  it('lose nothing when the database write fails, and count nothing twice when the hook dies before saving its position', async () => {
    const folder = tempFolder('db-')
    const databasePath = join(folder, 'tracker.lmdb')
    const session = new HookSession('s3', tempFolder('project-'), databasePath)
    session.transcript.prompt('Start.').response('msg_1', text('one'))
    await session.send('Stop', { stop_hook_active: false })
    const { folder: positions } = new TranscriptReads(databasePath)
    const saved = join(positions, readdirSync(positions).at(0) ?? 'none')
    expect((await counted(databasePath))?.messages).toBe(1)
    const afterFirst = readFileSync(saved, 'utf8')
    // The next Stop cannot open the database: what it read waits in the pending folder, so its position moves on.
    renameSync(databasePath, join(folder, 'aside.lmdb'))
    writeFileSync(databasePath, 'no database'.repeat(1000))
    session.transcript.prompt('Go on.').response('msg_2', text('two'))
    expect((await session.send('Stop', { stop_hook_active: false })).exitCode).toBe(1)
    expect(waitingFacts(databasePath)).toMatchObject({ unwritten: 2, sessions: 1 }) // msg_2, and msg_1 read again from its first line (counted once)
    expect(readFileSync(saved, 'utf8')).not.toBe(afterFirst)
    renameSync(join(folder, 'aside.lmdb'), databasePath)
    session.transcript.prompt('Again.').response('msg_3', text('three'))
    await session.send('Stop', { stop_hook_active: false })
    expect(await counted(databasePath)).toEqual({ messages: 3, input: 300, output: 60 })
    // A hook that wrote its facts and died before saving its position: the next one reads them again.
    writeFileSync(saved, afterFirst)
    await session.send('Stop', { stop_hook_active: false })
    expect(await counted(databasePath)).toEqual({ messages: 3, input: 300, output: 60 })
    expect(readFileSync(saved, 'utf8')).not.toBe(afterFirst)
    // A position file that is no position (cut off by a full disk): the transcript is read whole, counted once.
    writeFileSync(saved, '{"transcript":')
    session.transcript.response('msg_4', text('four'))
    await session.send('Stop', { stop_hook_active: false })
    expect(await counted(databasePath)).toEqual({ messages: 4, input: 400, output: 80 })
  })

  it("read a subagent's transcript at SubagentStop and every transcript at SessionEnd from where they stopped, then forget the positions", async () => {
    const databasePath = join(tempFolder('db-'), 'tracker.lmdb')
    const session = new HookSession('s4', tempFolder('project-'), databasePath)
    session.transcript.prompt('Explore.').response('msg_main_1', [{ type: 'tool_use', id: 'toolu_agent', name: 'Agent', input: { subagent_type: 'Explore' } }])
    const subagentFile = join(session.transcriptPath.replace(/\.jsonl$/, ''), 'subagents', 'agent-a1.jsonl')
    const subagent = new Transcript('s4', session.cwd, { sidechain: { agentId: 'a1', agentType: 'Explore' } }).response('msg_sub_1', text('found it'), { model: 'claude-haiku-4-5' })
    subagent.write(subagentFile)
    await session.send('SubagentStop', { agent_id: 'a1', agent_type: 'Explore', agent_transcript_path: subagentFile })
    await session.send('Stop', { stop_hook_active: false })
    expect(readdirSync(new TranscriptReads(databasePath).folder)).toHaveLength(2)
    subagent.response('msg_sub_2', text('and this'), { model: 'claude-haiku-4-5' }).write(subagentFile)
    session.transcript.response('msg_main_2', text('done'))
    await session.send('SessionEnd', { reason: 'prompt_input_exit' })
    expect(await counted(databasePath)).toEqual({ messages: 2, input: 200, output: 40 })
    expect(await counted(databasePath, 'Explore@anthropic/claude-haiku-4-5')).toEqual({ messages: 2, input: 200, output: 40 })
    expect(readdirSync(new TranscriptReads(databasePath).folder)).toEqual([])
  })

  it('end a session whose transcript Claude Code never wrote with what is pending, nothing to count', async () => {
    const databasePath = join(tempFolder('db-'), 'tracker.lmdb')
    const session = new HookSession('s5', tempFolder('project-'), databasePath)
    await session.call('toolu_1', 'Read', { file_path: 'README.md' }, () => ({ response: {} }))
    unlinkSync(session.transcriptPath)
    const reply = await runClaudeCodeHook(JSON.stringify({ session_id: 's5', transcript_path: session.transcriptPath, cwd: session.cwd, hook_event_name: 'SessionEnd', reason: 'other' }), session.options)
    expect(reply).toEqual({ exitCode: 0 })
    const store = openLmdbStore({ databasePath, readOnly: true })
    try {
      expect((await store.get('setups', [SETUP]))?.state).toMatchObject({ toolCalls: 1, messages: 0 })
    } finally {
      await store.close()
    }
  })
})
