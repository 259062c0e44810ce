import { describe, expect, it } from 'vitest'
import { formatResults, runBenchmarks } from './run.js'

describe('the benchmark harness (smoke sizes)', () => {
  it('produces every figure, as finite numbers, and a table of them with a mark against every target', { timeout: 600_000 }, async () => {
    const results = await runBenchmarks('smoke')
    const numbers = JSON.stringify(results).match(/-?\d+(\.\d+)?(e[+-]?\d+)?|null|NaN|Infinity/g) ?? []
    expect(numbers).not.toContain('null')
    expect(numbers).not.toContain('NaN')
    expect(results.hookCost.buffered.samples).toBe(200)
    expect(results.hookCost.bufferedWithFlushUs).toBeGreaterThan(results.hookCost.buffered.medianUs)
    expect(results.flush.entries).toBeGreaterThan(results.flush.records)
    expect(results.flush.factLogBytesPerFact).toBeGreaterThan(0)
    expect(results.scale.commands.report.process.median).toBeGreaterThan(results.scale.commands.report.commandMs)
    expect(results.scale.commands.search.maxRssMb).toBeGreaterThan(0)
    expect(results.scale.export.maxRssMb).toBeGreaterThan(0)
    expect(results.scale.eventLoop.bun.callMs).toBeGreaterThan(0)
    expect(results.upgrade.drift).toBe(0)
    expect(results.upgrade.bytesPerRecord.schema2).toBeLessThan(results.upgrade.bytesPerRecord.schema1)
    expect(results.alternatives.sqliteBuffered.ratio).toBeGreaterThan(0)
    expect(results.startup.bun.databaseOpenMs).toBeGreaterThanOrEqual(results.startup.bun.hooksReadyMs)
    expect(results.guard.guard.samples).toBe(120)
    expect(results.guard.blocked).toBe(20)
    const table = formatResults(results)
    for (const section of ['1. hook', '2. flush', '3. status read', '4. ', '5. upgrade', '6. ', '7. plugin start-up', '8. tool-call guard']) expect(table).toContain(section)
    expect((table.match(/[✓✗]/g) ?? []).length).toBeGreaterThanOrEqual(20)
  })
})
