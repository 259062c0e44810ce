/** Summary statistics of timings in microseconds. */
export interface Timing {
  readonly samples: number
  readonly medianUs: number
  readonly p99Us: number
  readonly meanUs: number
}

/** The q-quantile (0..1) of sorted values, nearest rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN
}

/** Median, p99 and mean of durations given in nanoseconds (as bigint deltas), in microseconds. */
export function summarise(nanoseconds: readonly bigint[]): Timing {
  const micros = nanoseconds.map((ns) => Number(ns) / 1000).sort((a, b) => a - b)
  return {
    samples: micros.length,
    medianUs: round(quantile(micros, 0.5)),
    p99Us: round(quantile(micros, 0.99)),
    meanUs: round(micros.reduce((sum, value) => sum + value, 0) / Math.max(1, micros.length)),
  }
}

/** Times each call of `body`, in nanoseconds. */
export async function timeEach(count: number, body: (index: number) => unknown): Promise<bigint[]> {
  const times: bigint[] = []
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint()
    await body(i)
    times.push(process.hrtime.bigint() - start)
  }
  return times
}

/** Wall time of `body` in milliseconds. */
export async function timeMs(body: () => unknown): Promise<number> {
  const start = process.hrtime.bigint()
  await body()
  return round(Number(process.hrtime.bigint() - start) / 1e6)
}

/** The median of numbers. */
export function median(values: readonly number[]): number {
  return quantile([...values].sort((a, b) => a - b), 0.5)
}

/** Rounds to three significant decimals. */
export function round(value: number): number {
  return Math.round(value * 1000) / 1000
}

/** Median and range of repeated measurements. */
export interface Spread {
  readonly median: number
  readonly min: number
  readonly max: number
  readonly runs: number
}

/** The median and range of measurements. */
export function spread(values: readonly number[]): Spread {
  return { median: round(median(values)), min: round(Math.min(...values)), max: round(Math.max(...values)), runs: values.length }
}

/** Milliseconds of CPU (user + system) in a `process.cpuUsage` delta. */
export function cpuMs(usage: NodeJS.CpuUsage): number {
  return round((usage.user + usage.system) / 1000)
}
