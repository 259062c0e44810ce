import { describe, expect, it } from 'vitest'
import { generateHistory } from '../backtest/generate-history.js'
import type { HistoryScenario } from '../backtest/history-scenario.js'
import { KNOWN_TRUTH_SCENARIOS } from '../backtest/known-truth-scenarios.js'
import { playGeneratedHistory } from '../backtest/play-generated-history.js'
import { backtestFigures } from '../backtest/backtest-figures.js'
import { classifyProject } from '../projects/classify-project.js'
import { createMemoryStore } from '../testing/memory-store.js'
import { createTrackingService } from '../tracking/tracking-service.js'
import { backtest } from './backtest.js'

/** Plays a scenario through the tracking service into a memory store, profiling its projects as a host would. */
async function played(scenario: HistoryScenario, seed: number) {
  const history = generateHistory(scenario, seed)
  const store = createMemoryStore()
  let id = 0
  const service = createTrackingService({ store, now: () => new Date(history.to), newId: () => `fact-${String(id++)}` })
  const { commits } = await playGeneratedHistory(service, history)
  for (const project of history.projects) await store.saveProjectProfile(project.name, classifyProject(project.files, history.to))
  return { store, history, commits }
}

const drift = KNOWN_TRUTH_SCENARIOS.find((s) => s.name === 'drift')

describe('backtest (read service)', () => {
  it('replays a generated drift history played through the tracking path, and follows the drift', { timeout: 60_000 }, async () => {
    if (drift === undefined) throw new Error('no drift scenario')
    const { store, history, commits } = await played(drift, 505_001)
    const result = await backtest(store, { truth: history.truth })
    const figures = backtestFigures(result.summary)
    expect(result.unprofiledProjects).toEqual([])
    expect(result.summary.mode).toBe('known-truth')
    expect(result.summary.decisionPoints).toBeGreaterThan(20)
    expect(commits).toBeGreaterThan(200)
    expect(figures.coverage).toBeGreaterThan(0.75)
    expect(figures.coverage).toBeLessThanOrEqual(1)
    expect(result.summary.drift).toHaveLength(1)
    expect(result.summary.drift[0]).toMatchObject({ kind: 'web-app', at: '2026-02-16T00:00:00.000Z', from: 'build@anthropic/claude-sonnet-4-5', to: 'build@openai/gpt-5' })
    expect(result.summary.drift[0]?.commitsUntilSwitch).toBeLessThan(result.summary.drift[0]?.commitsAfter ?? 0)
    // Before the drift, whatever was named best was the true best.
    expect(result.decisions.filter((d) => d.at < '2026-02-16' && d.namedCorrect !== null).every((d) => d.namedCorrect)).toBe(true)
  })

  it('judges by realised outcomes when no truth is given, and says which projects it could not replay', async () => {
    if (drift === undefined) throw new Error('no drift scenario')
    const { store } = await played({ ...drift, days: 28 }, 1)
    await store.applyFacts([{ id: 'elsewhere', kind: 'commit', setup: 'build@openai/gpt-5', project: '/gone', at: '2026-01-06T10:00:00.000Z', hash: 'abc', message: 'm' }])
    const result = await backtest(store, { every: 5 })
    expect(result.summary.mode).toBe('realised')
    expect(result.unprofiledProjects).toEqual(['/gone'])
    expect(result.decisions.some((d) => d.intervals.length > 0)).toBe(true)
    expect(result.decisions.every((d) => d.project !== '/gone')).toBe(true)
  })
})
