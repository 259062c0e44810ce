import { describe, expect, it } from 'vitest'
import { classifyProject } from '../projects/classify-project.js'
import { isSimilarProject } from '../projects/project-similarity.js'
import { generateHistory } from './generate-history.js'
import type { HistoryScenario } from './history-scenario.js'
import { KNOWN_TRUTH_SCENARIOS } from './known-truth-scenarios.js'
import { truthAt } from './known-truth.js'

const scenario = (name: string): HistoryScenario => {
  const found = KNOWN_TRUTH_SCENARIOS.find((s) => s.name === name)
  if (found === undefined) throw new Error(`no scenario ${name}`)
  return found
}

describe('generateHistory', () => {
  it('gives the same history for the same seed, step for step, and another for another seed', () => {
    const drift = scenario('drift')
    const once = generateHistory(drift, 7)
    expect(generateHistory(drift, 7)).toEqual(once)
    expect(generateHistory(drift, 8).sessions).not.toEqual(once.sessions)
    expect(once.sessions.length).toBeGreaterThan(100)
    for (const session of once.sessions) expect(session.steps.map((s) => s.at)).toEqual(session.steps.map((s) => s.at).sort())
    const starts = once.sessions.map((s) => s.steps[0]?.at ?? '')
    expect(starts).toEqual([...starts].sort())
    const steps = once.sessions.flatMap((s) => s.steps)
    expect(new Set(steps.filter((s) => s.kind === 'commit').map((s) => s.hash)).size).toBe(steps.filter((s) => s.kind === 'commit').length)
  })

  it('pins the first history of every scenario, so that the figures measured on them stay reproducible', () => {
    // `backtest --scenario` plays seeds scenario.seed × 1000 + 1, + 2, …; docs/recommendation.md quotes figures measured on them.
    // A change here changes every measured figure: rerun `pnpm backtest:scenarios` and update the docs.
    const fingerprint = (scenario: HistoryScenario) => {
      const history = generateHistory(scenario, scenario.seed * 1000 + 1)
      const steps = history.sessions.flatMap((s) => s.steps)
      const grades = steps.flatMap((s) => (s.kind === 'user-grade' ? [s.grade] : []))
      const firstCommit = steps.find((s) => s.kind === 'commit')
      return [scenario.name, history.sessions.length, steps.filter((s) => s.kind === 'commit').length, grades.length, grades.reduce((sum, g) => sum + g, 0), steps.filter((s) => s.kind === 'bug').length, firstCommit?.kind === 'commit' ? firstCommit.hash : '', history.to]
    }
    expect(KNOWN_TRUTH_SCENARIOS.map(fingerprint)).toEqual([
      ['clear-winner', 107, 257, 218, 510, 17, '8ceb55727838ddedf272c510c72e3570eb2b90e8', '2026-03-27T14:28:49.882Z'],
      ['closer-than-noise', 122, 285, 231, 554, 22, '6b6c7a67c25e312162f3b2de18cd146130d5f659', '2026-03-27T16:33:32.567Z'],
      ['web-vs-api', 188, 454, 393, 1019, 27, '185fefce2cb54fc7c15e500d7c4f0c34e00cb2b6', '2026-03-27T17:44:42.643Z'],
      ['newcomer', 122, 293, 250, 604, 21, 'd2c7a68763c1d96aab81b4590ce2ee390ddf14a9', '2026-03-27T16:28:28.008Z'],
      ['drift', 121, 305, 260, 520, 30, 'b5e61ab99d6d06c4898eec786ba7f076bc5e1df8', '2026-03-27T17:23:36.256Z'],
    ])
  })

  it('has the five scenarios the backtest is judged on, each with distinct names and seeds', () => {
    expect(KNOWN_TRUTH_SCENARIOS.map((s) => s.name)).toEqual(['clear-winner', 'closer-than-noise', 'web-vs-api', 'newcomer', 'drift'])
    expect(new Set(KNOWN_TRUTH_SCENARIOS.map((s) => s.seed)).size).toBe(5)
  })

  it('draws grades around each setup\'s true mean, bugs at its true rate and costs around its true cost per commit', () => {
    const history = generateHistory(scenario('clear-winner'), 3)
    for (const setup of scenario('clear-winner').setups) {
      const steps = history.sessions.filter((s) => s.setup === setup.id).flatMap((s) => s.steps)
      const grades = steps.flatMap((s) => (s.kind === 'user-grade' ? [s.grade] : []))
      const commits = steps.filter((s) => s.kind === 'commit').length
      const truth = setup.outcomes['web-app']
      expect(grades.length).toBeGreaterThan(40)
      expect(Math.abs(grades.reduce((sum, g) => sum + g, 0) / grades.length - (truth?.meanGrade ?? 0)), setup.id).toBeLessThan(0.6)
      expect(steps.filter((s) => s.kind === 'bug').length / commits).toBeLessThan((truth?.bugRate ?? 0) + 0.1)
      const cost = steps.reduce((sum, s) => sum + (s.kind === 'usage' ? s.cost : 0), 0)
      // A commit's cost varies by about a third (its tokens are drawn); over a hundred commits the mean is within a tenth.
      expect(Math.abs(cost / commits / (truth?.costPerCommit ?? Number.NaN) - 1), setup.id).toBeLessThan(0.12)
    }
  })

  it('changes the truth at the drift, keeps a newcomer out until its first day, and records the truth per project', () => {
    const drift = generateHistory(scenario('drift'), 1)
    const sonnet = 'build@anthropic/claude-sonnet-4-5'
    expect(truthAt(drift.truth, sonnet, 'web-1', '2026-02-01T00:00:00.000Z')).toEqual({ setup: sonnet, kind: 'web-app', from: '2026-01-05T00:00:00.000Z', meanGrade: 3.3, bugRate: 0.05, costPerCommit: 0.3 })
    expect(truthAt(drift.truth, sonnet, 'web-1', '2026-02-16T09:00:00.000Z')).toMatchObject({ from: '2026-02-16T00:00:00.000Z', meanGrade: 1.8, bugRate: 0.1, costPerCommit: 0.36 })
    expect(truthAt(drift.truth, sonnet, 'elsewhere', '2026-02-16T09:00:00.000Z')).toBeUndefined()
    const newcomer = generateHistory(scenario('newcomer'), 1)
    const first = newcomer.sessions.find((s) => s.setup === 'build@moonshot/kimi-k2')?.steps[0]?.at ?? ''
    expect(first >= '2026-03-02').toBe(true)
  })

  it('gives web apps profiles alike each other and unlike the APIs, so outcomes stay with their kind', () => {
    const history = generateHistory(scenario('web-vs-api'), 1)
    const profiles = new Map(history.projects.map((p) => [p.name, { kind: p.kind, profile: classifyProject(p.files, history.from) }]))
    for (const [a, left] of profiles) {
      for (const [b, right] of profiles) {
        if (a !== b) expect(isSimilarProject(left.profile, right.profile), `${a} ~ ${b}`).toBe(left.kind === right.kind)
      }
    }
  })
})
