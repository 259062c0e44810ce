import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { lastDetachedFailure, waitingFacts } from '@agent-tracker/claude-code'
import { Transcript } from '@agent-tracker/host-import/testing'
import { startWriteLockHolder } from '@agent-tracker/lmdb-store/testing'
import { describe, expect, it } from 'vitest'
import { factLine, jsonData, runBuiltCli, tempFolder } from '../run-cli.js'

const SETUP = 'claude-code@anthropic/claude-opus-4-8'
/** How long a hook Claude Code waits for may take with the lock held: its 4 s wait for the write, and two Node start-ups on a loaded machine. */
const HOOK_BOUND_MS = 12_000
/** How long the write-lock holder stays stopped unless the test lets it go on: long past every bound here. */
const HELD_MS = 60_000

/** Runs the built hook and how long it took. */
async function timedHook(args: readonly string[], options: Parameters<typeof runBuiltCli>[1]): Promise<Awaited<ReturnType<typeof runBuiltCli>> & { readonly ms: number }> {
  const started = Date.now()
  const run = await runBuiltCli(['hook', 'claude-code', ...args], options)
  return { ...run, ms: Date.now() - started }
}

/** Waits until `done` holds, looking every 200 ms, `ms` at most. */
async function eventually(done: () => Promise<boolean> | boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms
  while (Date.now() < until) {
    if (await done()) return true
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return done()
}

describe('Claude Code hooks while another process holds the write lock', () => {
  it('answer within a bound — a session end, a user command, a detached Stop — keeping the facts for the write that follows', { timeout: 180_000 }, async () => {
    const home = tempFolder('home-')
    const cwd = tempFolder('project-')
    const database = join(home, 'tracker.lmdb')
    const created = await runBuiltCli(['ingest', '--db', database], { home, input: `${factLine({ kind: 'activity', setup: SETUP, project: cwd, task: 'start' })}\n` })
    expect(created.code, created.stderr).toBe(0)
    const transcript = join(home, 's1.jsonl')
    writeFileSync(transcript, new Transcript('s1', cwd).prompt('Start.').response('msg_1', [{ type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } }]).lines.map((line) => `${JSON.stringify(line)}\n`).join(''))
    const event = (name: string, fields: object = {}): string => JSON.stringify({ session_id: 's1', transcript_path: transcript, cwd, hook_event_name: name, ...fields })
    const { child: holder, exited } = await startWriteLockHolder(database, 'stop', { watchdogMs: HELD_MS })
    try {
      // A tool call waits in the pending folder: no database opened.
      expect((await timedHook(['--db', database], { home, cwd, input: event('PostToolUse', { tool_name: 'Bash', tool_input: { command: 'ls' }, tool_use_id: 'toolu_1', tool_response: { stdout: '' } }) })).code).toBe(0)
      const ended = await timedHook(['--db', database], { home, cwd, input: event('SessionEnd', { reason: 'other' }) })
      expect({ code: ended.code, stderr: ended.stderr }).toEqual({ code: 0, stderr: '' })
      expect(ended.ms).toBeLessThan(HOOK_BOUND_MS)
      expect(waitingFacts(database).facts).toBeGreaterThanOrEqual(1)

      const bug = await timedHook(['--db', database], { home, cwd, input: event('UserPromptSubmit', { prompt: '/bug it broke the build' }) })
      expect(bug.code, bug.stderr).toBe(0)
      expect(bug.ms).toBeLessThan(HOOK_BOUND_MS)
      const reason = (JSON.parse(bug.stdout) as { decision: string; reason: string }).reason
      expect(reason).toMatch(/^\[agent-tracker\] /)
      expect(reason).toContain(`(Not in the database yet: another process holds its write lock — an agent-tracker merge, import or doctor --repair, or a command stopped with Ctrl-Z. It waits in ${database}.pending and is written with the next write that succeeds, counted once.)`)

      // The end of a turn, in its detached process, is stopped once its time is up, saying why.
      const stop = await timedHook(['--db', database, '--detached'], { home, cwd, input: event('Stop', { stop_hook_active: false }), env: { AGENT_TRACKER_HOOK_WORKER_MS: '3000' } })
      expect(stop.signal).toBe('SIGKILL')
      expect(stop.ms).toBeLessThan(HOOK_BOUND_MS)
      expect(lastDetachedFailure(database)).toMatchObject({ event: 'Stop', work: 'hook', message: expect.stringContaining('it waited 3 s for the database\'s write lock, which another process held') as unknown })
      expect(waitingFacts(database).facts).toBeGreaterThanOrEqual(2)
    } finally {
      holder.kill('SIGCONT')
    }
    await exited
    // The writers the hooks started write what they took once the lock is free: the session's call and the bug report.
    const state = async (): Promise<{ toolCalls: number; bugs: number }> => {
      const status = await runBuiltCli(['status', SETUP, '--db', database, '--json'], { home })
      expect(status.code, status.stderr).toBe(0)
      return (jsonData(status.stdout, 'status') as { state: { toolCalls: number; bugs: number } }).state
    }
    expect(await eventually(async () => (await state()).bugs === 1, 30_000)).toBe(true)
    expect(await state()).toMatchObject({ toolCalls: 1, bugs: 1 })
    // What the stopped Stop had taken waits for the next hook that writes, which writes it once.
    expect(waitingFacts(database).unwritten).toBeGreaterThanOrEqual(1)
    expect((await timedHook(['--db', database, '--detached'], { home, cwd, input: event('Stop', { stop_hook_active: false }) })).code).toBe(0)
    expect(waitingFacts(database).facts).toBe(0)
    expect(await state()).toMatchObject({ toolCalls: 1, bugs: 1, messages: 1 })
  })
})
