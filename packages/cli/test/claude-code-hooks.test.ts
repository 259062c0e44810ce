import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Transcript } from '@agent-tracker/host-import/testing'
import { describe, expect, it } from 'vitest'
import { jsonData, runBuiltCli, runCli, tempFolder } from './run-cli.js'

describe('agent-tracker hooks install claude-code', () => {
  it("writes the hooks into the project's .claude/settings.json, or the user's with --global, naming the database given", async () => {
    const home = tempFolder('home-')
    const project = tempFolder('project-')
    const installed = await runCli(['hooks', 'install', 'claude-code', '--json'], { home, cwd: project })
    expect(installed.code).toBe(0)
    expect(jsonData(installed.stdout, 'install')).toMatchObject({ settingsFile: join(project, '.claude', 'settings.json'), changed: true, command: 'agent-tracker hook claude-code' })
    const global = await runCli(['hooks', 'install', 'claude-code', '--global', '--db', 'tracker.lmdb', '--command', 'npx agent-tracker'], { home, cwd: project })
    expect(global.stdout).toContain(`Installed agent-tracker's Claude Code hooks in ${join(home, '.claude', 'settings.json')} (command: npx agent-tracker hook claude-code --db "${join(project, 'tracker.lmdb')}").`)
    const settings = JSON.parse(readFileSync(join(home, '.claude', 'settings.json'), 'utf8')) as { hooks: Record<string, { hooks: { command: string }[] }[]> }
    expect(settings.hooks.PostToolUse?.[0]?.hooks[0]?.command).toBe(`npx agent-tracker hook claude-code --db "${join(project, 'tracker.lmdb')}"`)
    expect(await runCli(['hooks', 'install', 'cursor'], { home })).toMatchObject({ code: 2, stderr: expect.stringContaining('agent-tracker installs hooks for claude-code, not "cursor".') as unknown })
  })
})

describe('agent-tracker hook claude-code', () => {
  it('handles an event given on stdin, in process and as the built binary (which loads only the hook)', async () => {
    const home = tempFolder('home-')
    const cwd = tempFolder('project-')
    const transcript = new Transcript('s1', cwd).response('msg_1', [{ type: 'tool_use', id: 'toolu_1', name: 'Read', input: { file_path: '.env' } }]).write(join(home, 't.jsonl'))
    const event = JSON.stringify({ session_id: 's1', transcript_path: transcript, cwd, hook_event_name: 'PreToolUse', tool_name: 'Read', tool_input: { file_path: join(cwd, '.env') }, tool_use_id: 'toolu_1' })
    const inProcess = await runCli(['hook', 'claude-code'], { home, input: event })
    expect(inProcess.code).toBe(0)
    expect(JSON.parse(inProcess.stdout)).toMatchObject({ hookSpecificOutput: { permissionDecision: 'deny' } })
    const built = await runBuiltCli(['hook', 'claude-code'], { home, input: event })
    expect(built.stdout).toBe(inProcess.stdout)
    const recorded = await runBuiltCli(['hook', 'claude-code', '--db', join(home, 'x.lmdb')], { home, input: JSON.stringify({ session_id: 's1', transcript_path: transcript, cwd, hook_event_name: 'PostToolUse', tool_name: 'Read', tool_input: {}, tool_use_id: 'toolu_1', tool_response: {} }) })
    expect(recorded).toMatchObject({ code: 0, stdout: '', stderr: '' })
    expect(existsSync(join(home, 'x.lmdb'))).toBe(false)
    const stopped = await runBuiltCli(['hook', 'claude-code', '--db', join(home, 'x.lmdb')], { home, input: JSON.stringify({ session_id: 's1', transcript_path: transcript, cwd, hook_event_name: 'Stop', stop_hook_active: false }) })
    expect(stopped).toMatchObject({ code: 0, stdout: '', stderr: '' })
    expect(jsonData((await runCli(['status', '--db', join(home, 'x.lmdb'), '--json'], { home })).stdout, 'status')).toEqual([expect.objectContaining({ setup: 'claude-code@anthropic/claude-opus-4-8', state: expect.objectContaining({ toolCalls: 1, messages: 1 }) as unknown })])
  })

  it('reads at each Stop, a process of its own, only what the transcript gained since the last, counting each response once', async () => {
    const home = tempFolder('home-')
    const cwd = tempFolder('project-')
    const database = join(home, 'x.lmdb')
    const file = join(home, 's1.jsonl')
    const lines = (transcript: Transcript): string => transcript.lines.map((line) => `${JSON.stringify(line)}\n`).join('')
    const stop = async (): Promise<object> => {
      expect(await runBuiltCli(['hook', 'claude-code', '--db', database], { home, input: JSON.stringify({ session_id: 's1', transcript_path: file, cwd, hook_event_name: 'Stop', stop_hook_active: false }) })).toMatchObject({ code: 0, stderr: '' })
      const [row] = jsonData((await runCli(['status', '--db', database, '--json'], { home })).stdout, 'status') as { state: { messages: number; tokens: object } }[]
      return { messages: row?.state.messages, tokens: row?.state.tokens }
    }
    writeFileSync(file, lines(new Transcript('s1', cwd).prompt('Start.').response('msg_1', [{ type: 'text', text: 'one' }]).response('msg_2', [{ type: 'thinking', thinking: 'hm' }])))
    expect(await stop()).toEqual({ messages: 2, tokens: expect.objectContaining({ input: 200, output: 40 }) as unknown })
    // msg_2's second content block lands after that Stop; a response counted already is changed in place.
    writeFileSync(file, readFileSync(file, 'utf8').replace('"id":"msg_1"', '"id":"msg_X"'))
    appendFileSync(file, lines(new Transcript('s1', cwd).response('msg_2', [{ type: 'text', text: 'two' }]).prompt('Go on.').response('msg_3', [{ type: 'text', text: 'three' }])))
    expect(await stop()).toEqual({ messages: 3, tokens: expect.objectContaining({ input: 300, output: 60 }) as unknown })
    expect(await stop()).toEqual({ messages: 3, tokens: expect.objectContaining({ input: 300, output: 60 }) as unknown })
  })

  it('says what is wrong with its arguments or input, as a hook error that never stops Claude Code', async () => {
    expect(await runCli(['hook', 'cursor'], { input: '{}' })).toMatchObject({ code: 1, stderr: expect.stringContaining('agent-tracker hook serves claude-code, got "cursor"') as unknown })
    expect(await runCli(['hook', 'claude-code', '--enforce-halt', 'maybe'], { input: '{}' })).toMatchObject({ code: 1, stderr: expect.stringContaining('Invalid --enforce-halt "maybe": accepted are block, warn, off.') as unknown })
    expect(await runCli(['hook', 'claude-code'], { input: '{"session_id":"s"}' })).toMatchObject({ code: 1, stderr: expect.stringContaining('has no "hook_event_name"') as unknown })
  })
})
