import { spawn } from 'node:child_process'
import { closeSync, openSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startWriteLockHolder } from '@agent-tracker/lmdb-store/testing'
import { describe, expect, it } from 'vitest'
import { factLine, jsonData, runBuiltCli, tempFolder } from '../run-cli.js'

const SETUP = 'build@anthropic/claude-sonnet-4-5'
const PACKAGE = fileURLToPath(new URL('../..', import.meta.url))
const HELD_MS = 3000
/** How long the command may take in all: the lock's 3 s and a loaded machine's start-ups; a hang is for good. */
const BOUND_MS = 20_000

/**
 * A CLI command run in a process of its own with the process's real streams (the built CLI), which
 * prints a line once its write is under way — waiting for the lock another process holds — as a
 * command that reports as it goes does. No command prints before its last write today: the line
 * stands for the first one that will. (Printed at a fixed time instead, on a loaded machine it could
 * come before the write began: the command then stops at once, with nothing to wait for.)
 */
const COMMAND = `
import { main, processIo } from '@agent-tracker/cli'
import { writesUnderWay } from '@agent-tracker/lmdb-store/writes-under-way'
const [databasePath, input] = process.argv.slice(1)
const watch = setInterval(() => {
  if (writesUnderWay().count === 0) return
  clearInterval(watch)
  process.stdout.write('ingesting\\n')
}, 10)
process.exitCode = await main(['ingest', '--db', databasePath, '--file', input], processIo())
clearInterval(watch)
`

/** Runs {@link COMMAND} with `stdout`; its exit code (null: it had not ended within {@link BOUND_MS}, and was killed) and stderr. */
async function runWhileLocked(databasePath: string, input: string, stdout: 'closed pipe' | number): Promise<{ code: number | null; stderr: string; ms: number }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', COMMAND, databasePath, input], { cwd: PACKAGE, stdio: ['ignore', stdout === 'closed pipe' ? 'pipe' : stdout, 'pipe'], env: { ...process.env, NO_COLOR: '1' } })
  // The reader is gone before the line is written: that write fails with EPIPE.
  if (stdout === 'closed pipe') child.stdout?.destroy()
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const started = Date.now()
  const timer = setTimeout(() => child.kill('SIGKILL'), BOUND_MS)
  const code = await new Promise<number | null>((resolve) => child.on('close', (exitCode) => { resolve(exitCode) }))
  clearTimeout(timer)
  return { code, stderr, ms: Date.now() - started }
}

/** A database holding one commit, and a file of one more to ingest. */
async function databaseAndInput(): Promise<{ databasePath: string; input: string }> {
  const folder = tempFolder()
  const databasePath = join(folder, 'locked.lmdb')
  const first = await runBuiltCli(['ingest', '--db', databasePath], { input: `${factLine({ kind: 'commit', setup: SETUP, project: '/w/app', hash: 'abcd1234', message: 'one' })}\n` })
  expect(first.code, first.stderr).toBe(0)
  const input = join(folder, 'more.jsonl')
  writeFileSync(input, `${factLine({ kind: 'commit', setup: SETUP, project: '/w/app', hash: 'abcd5678', message: 'two' })}\n`)
  return { databasePath, input }
}

async function commitsOf(databasePath: string): Promise<unknown> {
  const status = await runBuiltCli(['status', SETUP, '--db', databasePath, '--json'])
  expect(status.code, status.stderr).toBe(0)
  return (jsonData(status.stdout, 'status') as { state: { commits: number } }).state.commits
}

describe('a command whose output fails while its write waits for another process\'s write lock', () => {
  it('stops with status 0 once its write is in when the reader went away, instead of hanging for good', { timeout: 60_000 }, async () => {
    const { databasePath, input } = await databaseAndInput()
    const { exited } = await startWriteLockHolder(databasePath, 'wait', { heldMs: HELD_MS })
    const run = await runWhileLocked(databasePath, input, 'closed pipe')
    await exited
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' })
    // It ended after the lock was let go, with the command's write in.
    expect(await commitsOf(databasePath)).toBe(2)
  })

  it('stops with status 1 and says so once its write is in when the output cannot be written (a full disk)', { timeout: 60_000 }, async () => {
    const { databasePath, input } = await databaseAndInput()
    const { exited } = await startWriteLockHolder(databasePath, 'wait', { heldMs: HELD_MS })
    const full = openSync('/dev/full', 'w')
    let run: Awaited<ReturnType<typeof runWhileLocked>>
    try {
      run = await runWhileLocked(databasePath, input, full)
    } finally {
      closeSync(full)
    }
    await exited
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 1, stderr: 'error: could not write the output: the disk is full.\n' })
    expect(await commitsOf(databasePath)).toBe(2)
  })
})
