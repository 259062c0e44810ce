import { closeSync, openSync, readSync } from 'node:fs'

/** What a {@link watchEventLoop} saw: the longest stretch between two 1 ms ticks, less the period, and the most CPU the event loop's thread spent in one. */
export interface LoopStretch {
  readonly maxBlockMs: number
  readonly maxBlockCpuMs: number
}

/**
 * Watches the event loop with a 1 ms timer until `stop`: the longest gap between ticks (what the
 * loop saw, which on a busy machine includes time the OS gave other processes) and the most CPU
 * the loop's own thread spent between two ticks (the longest stretch of its own work). That is the
 * thread's CPU where the system tells it (Linux: `/proc/thread-self/schedstat`), so that a worker
 * thread's work beside the loop — which does not keep it from turning — is not counted as the
 * loop's; elsewhere the whole process's. `restart` forgets what came before, for a measure that
 * starts later.
 */
export function watchEventLoop(): { restart(): void; stop(): LoopStretch } {
  const clock = threadCpuClock()
  const cpuMs = clock.now
  let longest = 0
  let longestCpu = 0
  let last = performance.now()
  let lastCpu = cpuMs()
  const timer = setInterval(() => {
    const now = performance.now()
    const cpu = cpuMs()
    longest = Math.max(longest, now - last - 1)
    longestCpu = Math.max(longestCpu, cpu - lastCpu)
    last = now
    lastCpu = cpu
  }, 1)
  return {
    restart() {
      last = performance.now()
      lastCpu = cpuMs()
    },
    stop() {
      clearInterval(timer)
      clock.close()
      return { maxBlockMs: longest, maxBlockCpuMs: longestCpu }
    },
  }
}

/**
 * A clock of the CPU time, in ms, of the thread that calls it: the first field of
 * `/proc/thread-self/schedstat` (nanoseconds on the CPU), read again in place each time; where that
 * cannot be read, the process's CPU time (every thread's). `close` lets its file go.
 */
export function threadCpuClock(): { readonly now: () => number; close(): void } {
  const processCpu = (): number => {
    const usage = process.cpuUsage()
    return (usage.user + usage.system) / 1000
  }
  let fd: number
  try {
    fd = openSync('/proc/thread-self/schedstat', 'r')
  } catch {
    return { now: processCpu, close: () => undefined }
  }
  const bytes = Buffer.alloc(96)
  const read = (): number => Number(bytes.toString('latin1', 0, readSync(fd, bytes, 0, bytes.length, 0)).split(' ')[0]) / 1e6
  const close = (): void => {
    closeSync(fd)
  }
  if (Number.isFinite(read())) return { now: read, close }
  close()
  return { now: processCpu, close: () => undefined }
}
