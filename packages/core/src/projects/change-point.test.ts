import { describe, expect, it } from 'vitest'
import { drawGrade, qualityForMeanGrade } from '../backtest/grade-distribution.js'
import { seededRandom } from '../stats/seeded-random.js'
import type { TimedGrade } from './change-point.js'
import { MAX_RUNS, currentLevel } from './change-point.js'

function grades(means: readonly number[], seed: number): TimedGrade[] {
  const random = seededRandom(seed)
  return means.map((mean, index) => ({ grade: drawGrade(random, qualityForMeanGrade(mean)), weight: 1, at: `2026-01-01T00:${String(Math.floor(index / 60)).padStart(2, '0')}:${String(index % 60).padStart(2, '0')}.000Z` }))
}

const OPTIONS = { hazard: 0.004, spread: 1.7, prior: { mean: 2, sd: 1.5 } }

describe('currentLevel (change-point detection)', () => {
  it('keeps the mass on the whole history while a setup stays the same (about its prior, 0.996⁸⁰ ≈ 0.73)', () => {
    const steady = grades(Array.from({ length: 80 }, () => 2.8), 3)
    const level = currentLevel(steady, OPTIONS)
    const whole = level.runs.find((run) => run.start === 0)
    expect(whole?.probability).toBeGreaterThan(0.6)
    expect(level.mean).toBeCloseTo(steady.reduce((sum, g) => sum + g.grade, 0) / steady.length, 0)
    expect(level.relevance(steady[0]?.at ?? '')).toBeGreaterThan(0.6)
  })

  it('moves to the recent run after a drop of a grade and a half, and forgets the old level', () => {
    const dropped = grades([...Array.from({ length: 60 }, () => 3.3), ...Array.from({ length: 25 }, () => 1.8)], 5)
    const level = currentLevel(dropped, OPTIONS)
    const recent = level.runs.filter((run) => run.start >= 50).reduce((sum, run) => sum + run.probability, 0)
    expect(recent).toBeGreaterThan(0.7)
    expect(level.mean).toBeLessThan(2.6)
    expect(level.relevance(dropped[10]?.at ?? '')).toBeLessThan(0.3)
  })

  it('never changes level with a hazard of 0', () => {
    const level = currentLevel(grades([3, 3, 3, 0, 0, 0], 1), { ...OPTIONS, hazard: 0 })
    expect(level.runs).toHaveLength(1)
    expect(level.runs[0]?.probability).toBe(1)
  })
})

describe('currentLevel over a long history', () => {
  const graded = (grades: readonly number[]): TimedGrade[] => grades.map((grade, i) => ({ grade, weight: 1, at: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString() }))
  const options = { hazard: 0.01, spread: 1.2, prior: { mean: 3, sd: 1.5 } }
  const histories = {
    steady: graded(Array.from({ length: 1300 }, (_, i) => [5, 4, 3, 4, 5, 2][i % 6] ?? 0)),
    'a late change': graded(Array.from({ length: 1050 }, (_, i) => (i < 1000 ? [3, 2, 4][i % 3] : [5, 4, 5][i % 3]) ?? 0)),
  }

  it.each(Object.entries(histories))('keeps at most MAX_RUNS hypotheses and stays within 0.01 grade points of the full posterior (%s)', (_, grades) => {
    const full = currentLevel(grades, { ...options, maxRuns: Infinity })
    const bounded = currentLevel(grades, options)
    expect(full.runs.length).toBeGreaterThan(MAX_RUNS)
    expect(bounded.runs.length).toBeLessThanOrEqual(MAX_RUNS)
    expect(Math.abs(bounded.mean - full.mean)).toBeLessThan(0.01)
    expect(bounded.variance / full.variance).toBeGreaterThan(0.9)
    expect(bounded.variance / full.variance).toBeLessThan(1.1)
    expect(bounded.runs.reduce((sum, run) => sum + run.probability, 0)).toBeCloseTo(1, 9)
  })
})

describe('currentLevel with a very narrow spread', () => {
  it('still weighs the hypotheses when every grade is far less likely than the floating-point range', () => {
    const at = (i: number): string => new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString()
    const history = [3, 3, 3, 3, -1, -1, -1].map((grade, i) => ({ grade, weight: 1, at: at(i) }))
    const level = currentLevel(history, { hazard: 0.01, spread: 0.01, prior: { mean: 3, sd: 0.01 } })
    expect(level.runs.reduce((sum, run) => sum + run.probability, 0)).toBeCloseTo(1, 9)
    // The drop to −1 is certain: the current level is the new one.
    expect(level.mean).toBeCloseTo(-1, 6)
  })

  it('gives the exact posterior when the best fit of a grade is a run that had all but vanished', () => {
    // After the 5s the newest run holds next to nothing, yet it fits the 4 best: taking its exponent
    // out of every density underflowed all the others (and gave NaN) before the step fell back to logarithms.
    const history = [5, 5, 5, 5, 5, 5, 4].map((grade, i) => ({ grade, weight: 1, at: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString() }))
    const level = currentLevel(history, { hazard: 0.01, spread: 0.01, prior: { mean: 3, sd: 0.01 } })
    expect(level.runs.reduce((sum, run) => sum + run.probability, 0)).toBeCloseTo(1, 9)
    // What the posterior computed in logarithms gives: the whole history's mean, 34/7.
    expect(level.mean).toBeCloseTo(34 / 7, 9)
  })
})
