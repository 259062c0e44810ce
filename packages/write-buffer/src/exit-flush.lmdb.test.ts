import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { describe, expect, it } from 'vitest'

const CHILD = fileURLToPath(new URL('../test/fixtures/exit-flush-on-signal.mjs', import.meta.url))

/** Runs a buffer with 500 pending facts in a child, sends it `signal`, and counts the facts stored. */
async function pendingAtSignal(signal: NodeJS.Signals, install: boolean): Promise<{ stored: number; endedBy: NodeJS.Signals | null }> {
  const folder = mkdtempSync(join(tmpdir(), 'exit-flush-'))
  const databasePath = join(folder, 'tracker.lmdb')
  try {
    const endedBy = await new Promise<NodeJS.Signals | null>((resolve) => {
      const child = spawn(process.execPath, [CHILD, databasePath, '500', install ? 'install' : 'none'])
      child.stdout.once('data', () => child.kill(signal))
      child.once('exit', (_code, by) => { resolve(by); })
    })
    const store = openLmdbStore({ databasePath, readOnly: true })
    const stored = (await store.get('setups', ['build@fake/m1']))?.state.toolCalls ?? 0
    await store.close()
    return { stored, endedBy }
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

describe('installExitFlush', () => {
  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)('writes every pending fact on %s, and the process still ends by it', async (signal) => {
    expect(await pendingAtSignal(signal, true)).toEqual({ stored: 500, endedBy: signal })
  })

  it('is opt-in: a buffer without it loses what is pending (why hosts must install it or call flushSync)', async () => {
    expect(await pendingAtSignal('SIGTERM', false)).toEqual({ stored: 0, endedBy: 'SIGTERM' })
  })
})
