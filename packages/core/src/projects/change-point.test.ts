import { describe, expect, it } from 'vitest'
import { drawGrade, qualityForMeanGrade } from '../backtest/grade-distribution.js'
import { seededRandom } from '../stats/seeded-random.js'
import type { GradeBatch } from './change-point.js'
import { MAX_RUNS, currentLevel, gradeBatch } from './change-point.js'

function grades(means: readonly number[], seed: number): GradeBatch[] {
  const random = seededRandom(seed)
  return means.map((mean, index) => gradeBatch({ grade: drawGrade(random, qualityForMeanGrade(mean)), weight: 1, at: `2026-01-01T00:${String(Math.floor(index / 60)).padStart(2, '0')}:${String(index % 60).padStart(2, '0')}.000Z` }))
}

const OPTIONS = { hazard: 0.004, spread: 1.7, prior: { mean: 2, sd: 1.5 } }

describe('currentLevel (change-point detection)', () => {
  it('keeps the mass on the whole history while a setup stays the same (about its prior, 0.996⁸⁰ ≈ 0.73)', () => {
    const steady = grades(Array.from({ length: 80 }, () => 2.8), 3)
    const level = currentLevel(steady, OPTIONS)
    const whole = level.runs.find((run) => run.start === 0)
    expect(whole?.probability).toBeGreaterThan(0.6)
    expect(level.mean).toBeCloseTo(steady.reduce((sum, g) => sum + g.sum, 0) / steady.length, 0)
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
  const graded = (grades: readonly number[]): GradeBatch[] => grades.map((grade, i) => gradeBatch({ grade, weight: 1, at: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString() }))
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
    const history = [3, 3, 3, 3, -1, -1, -1].map((grade, i) => gradeBatch({ grade, weight: 1, at: at(i) }))
    const level = currentLevel(history, { hazard: 0.01, spread: 0.01, prior: { mean: 3, sd: 0.01 } })
    expect(level.runs.reduce((sum, run) => sum + run.probability, 0)).toBeCloseTo(1, 9)
    // The drop to −1 is certain: the current level is the new one.
    expect(level.mean).toBeCloseTo(-1, 6)
  })

  it('gives the exact posterior when the best fit of a grade is a run that had all but vanished', () => {
    // After the 5s the newest run holds next to nothing, yet it fits the 4 best: taking its exponent
    // out of every density underflowed all the others (and gave NaN) before the step fell back to logarithms.
    const history = [5, 5, 5, 5, 5, 5, 4].map((grade, i) => gradeBatch({ grade, weight: 1, at: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString() }))
    const level = currentLevel(history, { hazard: 0.01, spread: 0.01, prior: { mean: 3, sd: 0.01 } })
    expect(level.runs.reduce((sum, run) => sum + run.probability, 0)).toBeCloseTo(1, 9)
    // What the posterior computed in logarithms gives: the whole history's mean, 34/7.
    expect(level.mean).toBeCloseTo(34 / 7, 9)
  })
})

describe('currentLevel over a day at a time', () => {
  /** Grades drawn around the given daily means, `perDay` a day, as a batch per day. */
  function days(means: readonly number[], perDay: number, seed: number): { batches: GradeBatch[]; singles: GradeBatch[] } {
    const random = seededRandom(seed)
    const batches: GradeBatch[] = []
    const singles: GradeBatch[] = []
    for (const [day, mean] of means.entries()) {
      const date = new Date(Date.UTC(2026, 0, 1 + day)).toISOString()
      const grades = Array.from({ length: perDay }, () => drawGrade(random, qualityForMeanGrade(mean)))
      singles.push(...grades.map((grade) => gradeBatch({ grade, weight: 1, at: date })))
      batches.push({ at: date, count: perDay, weight: perDay, weightSquares: perDay, sum: grades.reduce((s, g) => s + g, 0), squares: grades.reduce((s, g) => s + g * g, 0) })
    }
    return { batches, singles }
  }

  it('gives the posterior of the grades one by one when the level cannot change', () => {
    const { batches, singles } = days([3, 2.5, 3.5, 2, 3], 7, 2)
    const byDay = currentLevel(batches, { ...OPTIONS, hazard: 0 })
    const oneByOne = currentLevel(singles, { ...OPTIONS, hazard: 0 })
    expect(byDay.mean).toBeCloseTo(oneByOne.mean, 12)
    expect(byDay.variance).toBeCloseTo(oneByOne.variance, 12)
  })

  it('takes the prior chance of a change per grade, not per day: 0.996^(8 × 9) ≈ 0.75 on the whole history of ten steady days', () => {
    const { batches } = days(Array.from({ length: 10 }, () => 2.8), 8, 3)
    const whole = currentLevel(batches, OPTIONS).runs.find((run) => run.start === 0)?.probability ?? 0
    expect(whole).toBeGreaterThan(0.6)
    // Were a day's change as likely as one grade's, it would keep 0.996⁹ ≈ 0.96.
    expect(whole).toBeLessThan(0.9)
  })

  it('moves to the days after a drop, and dates the current level to the day it began', () => {
    const { batches } = days([...Array.from({ length: 12 }, () => 3.3), ...Array.from({ length: 5 }, () => 1.8)], 6, 5)
    const level = currentLevel(batches, OPTIONS)
    const recent = level.runs.filter((run) => run.start >= 10).reduce((sum, run) => sum + run.probability, 0)
    expect(recent).toBeGreaterThan(0.7)
    expect(level.mean).toBeLessThan(2.6)
    expect(level.relevance(batches[3]?.at ?? '')).toBeLessThan(0.3)
    expect(level.relevance(batches[16]?.at ?? '')).toBeGreaterThan(0.9)
  })

  it('sees a day of grades through their effective number (Σw)²/Σw²: one heavy grade among light ones says little more than one grade', () => {
    const day = (date: number, grade: number, weights: readonly number[]): GradeBatch => {
      const weight = weights.reduce((s, w) => s + w, 0)
      return { at: new Date(Date.UTC(2026, 0, date)).toISOString(), count: weights.length, weight, weightSquares: weights.reduce((s, w) => s + w * w, 0), sum: weight * grade, squares: weight * grade * grade }
    }
    const even = Array<number>(10).fill(1)
    const oneHeavy = [1, ...Array<number>(9).fill(0.01)]
    const changed = (weights: readonly number[]): number => {
      const level = currentLevel([day(1, 4, weights), day(2, 4, weights), day(3, 0, weights)], OPTIONS)
      return level.runs.filter((run) => run.start === 2).reduce((sum, run) => sum + run.probability, 0)
    }
    // Ten grades of a drop to 0 are a change beyond doubt; as good as one grade, they are not.
    expect(changed(even)).toBeGreaterThan(0.99)
    expect(changed(oneHeavy)).toBeLessThan(0.5)
  })
})
