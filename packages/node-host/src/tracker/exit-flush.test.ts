import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const CHILD = fileURLToPath(new URL('../../test/fixtures/signal-flush.mjs', import.meta.url))

function signalled(hostListener: boolean): Promise<{ code: number | null; signal: NodeJS.Signals | null; log: string }> {
  const folder = mkdtempSync(join(tmpdir(), 'signal-'))
  const log = join(folder, 'log.txt')
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CHILD, log, hostListener ? 'host-listener' : 'alone'])
    child.stdout.once('data', () => child.kill('SIGTERM'))
    child.once('exit', (code, signal) => {
      const text = readFileSync(log, 'utf8')
      rmSync(folder, { recursive: true, force: true })
      resolve({ code, signal, log: text })
    })
  })
}

describe('flushOnExit', () => {
  it('flushes on SIGTERM, then still terminates by the signal when the host had no handler', async () => {
    const { code, signal, log } = await signalled(false)
    expect(signal).toBe('SIGTERM')
    expect(code).toBeNull()
    expect(log.split('\n').filter((line) => line === 'flushed').length).toBeGreaterThanOrEqual(1)
  })

  it("flushes on SIGTERM and leaves the ending to the host's own handler", async () => {
    const { code, log } = await signalled(true)
    expect(code).toBe(7)
    expect(log).toContain('host-handler')
    expect(log).toContain('flushed')
  })
})
