import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { nodeStartFaults, pageFaultCost, runBinary } from './binary-run.js'

const folder = mkdtempSync(join(tmpdir(), 'binary-run-test-'))
afterAll(() => {
  rmSync(folder, { recursive: true, force: true })
})

describe('a run of the binary', () => {
  it('is measured with every process of its command: a writer’s supervisor and the child doing its work, a read alone', { timeout: 60_000 }, async () => {
    const database = join(folder, 'new.lmdb')
    // export runs under a supervisor: the process started waits while its child reads and writes.
    const exported = await runBinary(['export', '--format', 'json', '--db', database, '--json'])
    expect(exported.code).toBe(0)
    expect(exported.processes).toBe(2)
    expect(exported.ms).toBeGreaterThan(0)
    expect(exported.wallMs).toBeGreaterThan(exported.ms)
    const read = await runBinary(['agents', '--db', database, '--json'])
    expect(read.processes).toBe(1)
  })

  it('counts the page faults of a command\'s processes beside those of node -e 0, and prices one', { timeout: 60_000 }, async () => {
    const database = join(folder, 'faults.lmdb')
    const start = await nodeStartFaults()
    const read = await runBinary(['agents', '--db', database, '--json'])
    expect(start).toBeGreaterThan(0)
    // Loading the commands and the database touches far more memory than Node's start does.
    expect(read.minorFaults).toBeGreaterThan(start)
    const cost = await pageFaultCost()
    expect(cost.faults).toBeGreaterThan(0)
    expect(cost.usPerFault).toBeGreaterThan(0)
  })

  it('says what failed, with what the command said', { timeout: 60_000 }, async () => {
    await expect(runBinary(['no-such-command'])).rejects.toThrow(/^agent-tracker no-such-command failed \(exit code 2\): .*no-such-command/s)
  })
})
