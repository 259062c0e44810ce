import { Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { threadCpuClock, watchEventLoop } from './loop-watch.js'

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('watchEventLoop', () => {
  it('counts work that keeps the loop from turning', async () => {
    const watch = watchEventLoop()
    await settle(20)
    // 60 ms of this thread's own CPU, however busy the machine (on a loaded one that takes longer).
    const clock = threadCpuClock()
    const end = clock.now() + 60
    while (clock.now() < end) {
      // busy
    }
    clock.close()
    await settle(20)
    const seen = watch.stop()
    expect(seen.maxBlockMs).toBeGreaterThanOrEqual(55)
    expect(seen.maxBlockCpuMs).toBeGreaterThanOrEqual(55)
  })

  it.runIf(process.platform === 'linux')('reads the CPU time of the loop\'s own thread, not a worker thread\'s beside it', async () => {
    const clock = threadCpuClock()
    const before = clock.now()
    const processBefore = process.cpuUsage()
    // The worker spins until its own thread has spent 100 ms on a CPU, however busy the machine.
    const worker = new Worker(`
      const { openSync, readSync } = require('node:fs')
      const fd = openSync('/proc/thread-self/schedstat', 'r')
      const bytes = Buffer.alloc(96)
      const cpu = () => Number(bytes.toString('latin1', 0, readSync(fd, bytes, 0, 96, 0)).split(' ')[0]) / 1e6
      const end = cpu() + 100
      while (cpu() < end) {}
    `, { eval: true })
    await new Promise((resolve) => worker.once('exit', resolve))
    const processMs = (({ user, system }) => (user + system) / 1000)(process.cpuUsage(processBefore))
    expect(processMs).toBeGreaterThanOrEqual(100)
    expect(clock.now() - before).toBeLessThan(50)
    clock.close()
  })
})
