import { describe, expect, it } from 'vitest'
import { runBinary } from './binary-run.js'

describe('a measured command’s peak memory', () => {
  it('is the child’s own, not the high-water mark of the bench that spawned it', { timeout: 60_000 }, async () => {
    // The spawning process holds 400 MB, every page touched; the child prints its version.
    const ballast = Buffer.alloc(400 * 1024 * 1024, 1)
    const measured = await runBinary(['--version'])
    expect(ballast.at(-1)).toBe(1)
    expect(measured.code).toBe(0)
    expect(measured.maxRssMb).toBeGreaterThan(10)
    expect(measured.maxRssMb).toBeLessThan(200)
  })
})
