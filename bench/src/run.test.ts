import { describe, expect, it } from 'vitest'
import { formatResults, runBenchmarks } from './run.js'

describe('the benchmark harness (smoke sizes)', () => {
  it('produces every figure, as finite numbers, and a table of them', async () => {
    const results = await runBenchmarks('smoke')
    const numbers = JSON.stringify(results).match(/-?\d+(\.\d+)?(e[+-]?\d+)?|null|NaN|Infinity/g) ?? []
    expect(numbers).not.toContain('null')
    expect(numbers).not.toContain('NaN')
    expect(results.hookCost.buffered.samples).toBe(200)
    expect(results.hookCost.ratio).toBeGreaterThan(0)
    expect(results.flush.records).toBeGreaterThan(0)
    expect(results.scale.report.ms).toBeGreaterThan(0)
    expect(results.scale.report.processMs).toBeGreaterThan(results.scale.report.ms)
    expect(results.scale.recommend.maxRssMb).toBeGreaterThan(0)
    expect(results.alternatives.sqlite.ratio).toBeGreaterThan(0)
    expect(results.alternatives.sqliteBuffered.ratio).toBeGreaterThan(0)
    expect(results.startup.bun.hooksReadyMs).toBeGreaterThan(0)
    expect(results.startup.bun.databaseOpenMs).toBeGreaterThanOrEqual(results.startup.bun.hooksReadyMs)
    expect(results.startup.bun.startupWorkMs).toBeGreaterThanOrEqual(results.startup.bun.databaseOpenMs)
    expect(results.guard.guard.samples).toBe(120)
    expect(results.guard.blocked).toBe(20)
    expect(results.historyImport.facts).toBeGreaterThan(0)
    expect(results.historyImport.importMs).toBeGreaterThan(0)
    expect(results.hookProcesses.events.map((e) => e.event)).toHaveLength(3)
    const table = formatResults(results)
    for (const section of ['1. hook', '2. flush', '3. status read', '4. report', '5. ', '6. plugin start-up', '7. tool-call guard', '8. import claude-code', '9. a Claude Code hook']) expect(table).toContain(section)
  })
})
