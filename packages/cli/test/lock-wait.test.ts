import { startWriteLockHolder } from '@agent-tracker/lmdb-store/testing'
import { describe, expect, it } from 'vitest'
import { jsonData, runCli } from './run-cli.js'
import { GPT, seedHistory } from './seed.js'

/** How long the other process keeps the write lock: well past the notice's second, however loaded the machine. */
const HELD_MS = 3000

/** Logs an activity while another process holds the write lock for {@link HELD_MS}, at a terminal or not. */
async function activityWhileLocked(db: string, terminal: boolean): Promise<Awaited<ReturnType<typeof runCli>> & { readonly holder: number | undefined }> {
  const { child, exited } = await startWriteLockHolder(db, 'wait', { heldMs: HELD_MS })
  try {
    return { holder: child.pid, ...(await runCli(['activity', GPT, '--task', `logged while locked (${terminal ? 'terminal' : 'script'})`, '--db', db], { terminal })) }
  } finally {
    await exited
  }
}

describe('a write that waits for another process\'s write lock', () => {
  it('says so at a terminal, once, then writes when the lock is free', { timeout: 60_000 }, async () => {
    const { db } = await seedHistory()
    const run = await activityWhileLocked(db, true)
    expect(run.code, run.stderr).toBe(0)
    const notices = run.stderr.split('\n').filter((line) => line.startsWith('Waiting to write to'))
    expect(notices).toEqual([`Waiting to write to ${db}: another process${process.platform === 'linux' ? ` (${String(run.holder)})` : ''} holds its write lock (the OpenCode plugin or a Claude Code hook while it writes, another agent-tracker command, or one stopped with Ctrl-Z until it goes on). This command goes on once the lock is free; Ctrl-C gives up.`])
    const listed = (jsonData((await runCli(['activity', GPT, '--json', '--db', db])).stdout, 'activity') as { entries: { task: string }[] }).entries
    expect(listed.map((entry) => entry.task)).toContain('logged while locked (terminal)')
  })

  it('tells a script nothing: its stderr stays for errors', { timeout: 60_000 }, async () => {
    const { db } = await seedHistory()
    const run = await activityWhileLocked(db, false)
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' })
  })

  it('says nothing when no other process holds the lock', async () => {
    const { db } = await seedHistory()
    const run = await runCli(['activity', GPT, '--task', 'quick', '--db', db], { terminal: true })
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' })
  })
})
