import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const MEASURE_COMMAND = fileURLToPath(new URL('../dist/measure-command.js', import.meta.url))

describe('a measured command’s peak memory', () => {
  it('is the child’s own, not the high-water mark of the bench that spawned it', { timeout: 60_000 }, async () => {
    // The spawning process holds 400 MB, every page touched; the child prints its version.
    const ballast = Buffer.alloc(400 * 1024 * 1024, 1)
    const { stdout } = await run(process.execPath, [MEASURE_COMMAND, '', '--version'])
    const measured = JSON.parse(stdout) as { code: number; maxRssMb: number }
    expect(ballast.at(-1)).toBe(1)
    expect(measured.code).toBe(0)
    expect(measured.maxRssMb).toBeGreaterThan(10)
    expect(measured.maxRssMb).toBeLessThan(200)
  })
})
