/** What a {@link watchEventLoop} saw: the longest stretch between two 1 ms ticks, less the period, and the most CPU the process spent in one. */
export interface LoopStretch {
  readonly maxBlockMs: number
  readonly maxBlockCpuMs: number
}

/**
 * Watches the event loop with a 1 ms timer until `stop`: the longest gap between ticks (what the
 * loop saw, which on a busy machine includes time the OS gave other processes) and the most CPU
 * the process spent between two ticks (the longest stretch of its own work). `restart` forgets what
 * came before, for a measure that starts later.
 */
export function watchEventLoop(): { restart(): void; stop(): LoopStretch } {
  let longest = 0
  let longestCpu = 0
  let last = performance.now()
  let lastCpu = process.cpuUsage()
  const timer = setInterval(() => {
    const now = performance.now()
    const cpu = process.cpuUsage(lastCpu)
    longest = Math.max(longest, now - last - 1)
    longestCpu = Math.max(longestCpu, (cpu.user + cpu.system) / 1000)
    last = now
    lastCpu = process.cpuUsage()
  }, 1)
  return {
    restart() {
      last = performance.now()
      lastCpu = process.cpuUsage()
    },
    stop() {
      clearInterval(timer)
      return { maxBlockMs: longest, maxBlockCpuMs: longestCpu }
    },
  }
}
