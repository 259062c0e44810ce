import { renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Transcript } from '../testing/claude-code-transcript.js'
import { tempFolder } from '@agent-tracker/test-folders'
import type { FilePosition } from '../files/jsonl-lines.js'
import type { HistoryEvent } from '../history-events.js'
import { claudeCodeHistory, transcriptEvents } from './transcript-events.js'

async function events(source: AsyncIterable<HistoryEvent>): Promise<HistoryEvent[]> {
  const found: HistoryEvent[] = []
  for await (const event of source) found.push(event)
  return found
}

/** The events of a read and the position it returned. */
async function readFrom(source: AsyncGenerator<HistoryEvent, FilePosition>): Promise<{ found: HistoryEvent[]; next: FilePosition }> {
  const found: HistoryEvent[] = []
  for (let step = await source.next(); ; step = await source.next()) {
    if (step.done === true) return { found, next: step.value }
    found.push(step.value)
  }
}

/** The byte offset where a transcript's line (from 1) starts. */
function offsetOf(transcript: Transcript, line: number): number {
  return transcript.lines.slice(0, line - 1).reduce((sum, value) => sum + Buffer.byteLength(JSON.stringify(value)) + 1, 0)
}

const SESSION = '9baa4ad8-9deb-4c00-945f-d18b409f80b3'
const SETUP = 'claude-code@anthropic/claude-opus-4-8'

describe("Claude Code's transcripts", () => {
  it('read the calls that ran as the live hooks see them, and each response’s usage once', async () => {
    const projects = tempFolder()
    const file = new Transcript(SESSION, '/work/shop')
      .prompt('COMMIT-TASK: commit a file')
      .call('toolu_1', 'Bash', { command: "git commit -m 'add a' && git push origin HEAD" }, { content: '[main bb48aff] add a', toolUseResult: { stdout: '[main bb48aff] add a\n', stderr: '', gitOperation: { commit: { sha: 'bb48aff', kind: 'committed' }, push: { branch: 'main' } } } })
      .call('toolu_2', 'Bash', { command: 'ls /nonexistent-dir' }, { content: "Exit code 2\nls: cannot access '/nonexistent-dir'", isError: true })
      .call('toolu_3', 'Bash', { command: 'cat .env' }, { content: 'agent-tracker blocked this Bash call: it reads .env', isError: true })
      .call('toolu_4', 'Write', { file_path: '/work/shop/a.txt' }, { content: '<tool_use_error>File has not been read yet. Read it first before writing to it.</tool_use_error>', isError: true })
      .response('msg_end', [{ type: 'text', text: 'Committed' }, { type: 'text', text: 'and pushed.' }])
      .write(join(projects, '-work-shop', `${SESSION}.jsonl`))
    const found = await events(claudeCodeHistory([projects]))
    const context = { host: 'claude-code', session: SESSION, project: '/work/shop', setup: SETUP }
    expect(found.filter((event) => event.kind === 'tool_call')).toEqual([
      { kind: 'tool_call', source: { file, line: 4 }, context: { ...context, at: expect.any(String) as unknown }, callId: 'toolu_1', tool: 'Bash', ok: true, shell: { command: "git commit -m 'add a' && git push origin HEAD", workdir: '/work/shop', startedAt: expect.any(String) as unknown, output: '[main bb48aff] add a\n', reportedHashes: ['bb48aff'] } },
      expect.objectContaining({ callId: 'toolu_2', ok: false, exitCode: 2 }),
    ])
    const usage = found.filter((event) => event.kind === 'usage')
    expect(usage.map((event) => event.responseIds)).toEqual([['msg_toolu_1', 'req_msg_toolu_1'], ['msg_toolu_2', 'req_msg_toolu_2'], ['msg_toolu_3', 'req_msg_toolu_3'], ['msg_toolu_4', 'req_msg_toolu_4'], ['msg_end', 'req_msg_end']])
    // Where each was read: a call at its result's line, a response at its first line.
    expect(usage[0]).toMatchObject({ source: { file, line: 3 }, context, tokens: { input: 100, output: 20, reasoning: 0, cacheRead: 30, cacheWrite: 50 }, provider: 'anthropic', model: 'claude-opus-4-8' })
    expect(usage[0]).not.toHaveProperty('hostCost')
    expect(found.at(-1)).toEqual({ kind: 'progress', done: 1, total: 1 })
    expect(await events(transcriptEvents(file, { only: 'usage' }))).toHaveLength(5)
  })

  it("name a subagent by the type its meta file gives, in the parent's session", async () => {
    const folder = join(tempFolder(), '-p', SESSION, 'subagents')
    const file = new Transcript(SESSION, '/p', { sidechain: { agentId: 'ac39', agentType: 'general-purpose' } })
      .prompt('SUBAGENT-WORK: list files')
      .call('toolu_9', 'Bash', { command: 'ls' }, { content: 'README.md' })
      .write(join(folder, 'agent-ac39.jsonl'))
    writeFileSync(join(folder, 'agent-ac39.meta.json'), JSON.stringify({ agentType: 'Explore', description: 'sub work', toolUseId: 'toolu_1', spawnDepth: 1 }))
    const found = await events(transcriptEvents(file))
    expect(found.map((event) => (event.kind === 'tool_call' || event.kind === 'usage' ? [event.kind, event.context.setup, event.context.session] : event.kind))).toEqual([
      ['tool_call', 'Explore@anthropic/claude-opus-4-8', SESSION],
      ['usage', 'Explore@anthropic/claude-opus-4-8', SESSION],
    ])
  })

  it('keep the highest output count of a response written over several lines, and a cost an older version recorded', async () => {
    const transcript = new Transcript(SESSION, '/p').response('msg_1', [{ type: 'text', text: 'a' }], { usage: { input_tokens: 5, output_tokens: 1 } }).response('msg_1', [{ type: 'text', text: 'b' }], { usage: { input_tokens: 5, output_tokens: 9 } })
    ;(transcript.lines[0] as Record<string, unknown>).costUSD = 0.5
    const found = await events(transcriptEvents(transcript.write(join(tempFolder(), 't.jsonl'))))
    expect(found).toEqual([expect.objectContaining({ kind: 'usage', tokens: { input: 5, output: 9, reasoning: 0, cacheRead: 0, cacheWrite: 0 }, hostCost: 0.5 })])
  })

  it('report a bad line and a line cut off mid-write by file and line, and read the rest; skip synthetic messages; honour since', async () => {
    const transcript = new Transcript(SESSION, '/p').response('msg_1', [{ type: 'text', text: 'a' }]).response('msg_2', [{ type: 'text', text: 'error' }], { model: '<synthetic>' })
    const file = transcript.write(join(tempFolder(), 't.jsonl'), 'not json\n{"type":"assistant","mess')
    const found = await events(transcriptEvents(file))
    expect(found).toEqual([
      { kind: 'problem', file, line: 3, reason: expect.stringMatching(/^not valid JSON/) as unknown },
      { kind: 'problem', file, line: 4, reason: 'the last line is incomplete (the file may still be being written); it was left out' },
      expect.objectContaining({ kind: 'usage', responseIds: ['msg_1', 'req_msg_1'] }),
    ])
    expect((await events(transcriptEvents(file, { since: '2030-01-01T00:00:00Z' }))).filter((event) => event.kind === 'usage')).toEqual([])
  })

  it('report a line that is JSON but no object, and a response whose token counts are no numbers, instead of reading them as nothing', async () => {
    const transcript = new Transcript(SESSION, '/p').response('msg_1', [{ type: 'text', text: 'a' }]).response('msg_2', [{ type: 'text', text: 'b' }], { usage: { input_tokens: 'lots', output_tokens: 3 } })
    const file = transcript.write(join(tempFolder(), 't.jsonl'), '[1,2,3]\n')
    const found = await events(transcriptEvents(file))
    expect(found).toEqual([
      { kind: 'problem', file, line: 2, reason: 'a response whose usage field "input_tokens" is "lots", no count of tokens; it was left out' },
      { kind: 'problem', file, line: 3, reason: 'a line that is no JSON object; it was left out' },
      expect.objectContaining({ kind: 'usage', responseIds: ['msg_1', 'req_msg_1'] }),
    ])
  })

  it('go on from where an earlier read stopped: the first line of the last response, which later lines may complete, so each response counts whole', async () => {
    const file = join(tempFolder(), 't.jsonl')
    const transcript = new Transcript(SESSION, '/p').response('msg_1', [{ type: 'text', text: 'a' }]).response('msg_2', [{ type: 'thinking', thinking: 'hm' }], { usage: { input_tokens: 5, output_tokens: 1 } })
    transcript.write(file, '{"type":"assistant","mess')
    const first = await readFrom(transcriptEvents(file, { only: 'usage' }))
    expect(first.found.map((event) => event.kind === 'usage' && [event.message, event.tokens.output])).toEqual([false, ['msg_1', 20], ['msg_2', 1]])
    expect(first.next).toMatchObject({ offset: offsetOf(transcript, 2), line: 1 })
    transcript.response('msg_2', [{ type: 'text', text: 'b' }], { usage: { input_tokens: 5, output_tokens: 9 } }).response('msg_3', [{ type: 'text', text: 'c' }]).write(file)
    const second = await readFrom(transcriptEvents(file, { only: 'usage', from: first.next }))
    expect(second.found.map((event) => event.kind === 'usage' && [event.message, event.tokens.output])).toEqual([['msg_2', 9], ['msg_3', 20]])
    expect(second.next).toMatchObject({ offset: offsetOf(transcript, 4), line: 3 })
    expect(await readFrom(transcriptEvents(file, { only: 'usage', from: second.next }))).toEqual({ found: [expect.objectContaining({ message: 'msg_3' })], next: second.next })
  })

  it('go on from a call still waiting for its result when reading the calls, and read a transcript replaced since from its start', async () => {
    const folder = tempFolder()
    const file = join(folder, 't.jsonl')
    const transcript = new Transcript(SESSION, '/p').call('toolu_1', 'Bash', { command: 'ls' }, { content: 'a' }).response('msg_toolu_2', [{ type: 'tool_use', id: 'toolu_2', name: 'Bash', input: { command: 'make' } }])
    transcript.write(file)
    const first = await readFrom(transcriptEvents(file))
    expect(first.next).toMatchObject({ offset: offsetOf(transcript, 3), line: 2 })
    transcript.lines.push({ ...transcript.lines[1], uuid: 'u', message: { role: 'user', content: [{ tool_use_id: 'toolu_2', type: 'tool_result', content: 'built', is_error: false }] } })
    transcript.write(file)
    const second = await readFrom(transcriptEvents(file, { from: first.next }))
    expect(second.found.filter((event) => event.kind === 'tool_call').map((event) => event.callId)).toEqual(['toolu_2'])
    expect(second.next).toMatchObject({ offset: offsetOf(transcript, 3), line: 2 })
    new Transcript(SESSION, '/p').response('msg_9', [{ type: 'text', text: 'z' }]).write(join(folder, 'new.jsonl'))
    renameSync(join(folder, 'new.jsonl'), file)
    expect((await readFrom(transcriptEvents(file, { only: 'usage', from: second.next }))).found).toEqual([expect.objectContaining({ message: 'msg_9' })])
  })
})
