import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { HungProcessError, nodeStartFaults, pageFaultCost, runBinary, runReported } from './binary-run.js'

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

  it('kills a process that does not exit in time, runs it once more, and fails, naming it, when that one hangs too', { timeout: 60_000 }, async () => {
    // Hangs the first time (it leaves a mark), exits the second.
    const mark = join(folder, 'hung-once')
    const once = "const fs = require('node:fs'); if (!fs.existsSync(process.env.MARK)) { fs.writeFileSync(process.env.MARK, ''); setInterval(() => {}, 1000) }"
    const { run, processes } = await runReported(['-e', once], { ...process.env, MARK: mark }, 1000)
    expect(existsSync(mark)).toBe(true)
    expect(run.exitCode).toBe(0)
    expect(processes).toHaveLength(1)

    const always = runReported(['-e', 'setInterval(() => {}, 1000)'], process.env, 1000)
    await expect(always).rejects.toThrow(HungProcessError)
    await expect(always).rejects.toThrow(/setInterval.* did not exit within 1 s and was killed\. .*nodejs\/node#54918/)
  })
})
