import { describe, expect, it } from 'vitest'
import { mixtureInterval } from '../stats/normal-mixture.js'
import type { SetupEvidence } from './grade-model.js'
import { fitGradeModel } from './grade-model.js'
import { gradeBatch } from './change-point.js'

const OPTIONS = { bugWeight: 2, bugPriorStrength: 5, changeHazard: 0.004 }

function evidence(setup: string, values: readonly number[], bugs = 0): SetupEvidence {
  const at = (index: number): string => `2026-01-01T00:00:${String(index).padStart(2, '0')}.000Z`
  return {
    setup,
    grades: values.map((grade, index) => gradeBatch({ grade, weight: 1, at: at(index) })),
    commits: values.map((_, index) => ({ weight: 1, at: at(index) })),
    bugs: Array.from({ length: bugs }, (_, index) => ({ weight: 1, at: at(index) })),
  }
}

const cycle = (values: readonly number[], length: number): number[] => Array.from({ length }, (_, index) => values[index % values.length] ?? 0)

describe('fitGradeModel', () => {
  it('centres a well-sampled setup on its mean with an interval of about 1.645 σ/√n', () => {
    const grades = cycle([5, 2, 2, 1, 5, 2], 60)
    const model = fitGradeModel([evidence('a', grades)], OPTIONS)
    const a = model.setups[0]
    if (a === undefined) throw new Error('no posterior')
    const mean = grades.reduce((sum, g) => sum + g, 0) / grades.length
    expect(a.expectedGrade).toBeCloseTo(mean, 1)
    const [low, high] = mixtureInterval(a.grade, 0.9)
    expect((high - low) / 2).toBeGreaterThan(1.645 * a.spread / Math.sqrt(60))
    expect((high - low) / 2).toBeLessThan(1.3 * 1.645 * a.spread / Math.sqrt(60))
  })

  it('pulls a setup with three grades towards the others, and less so when the others differ widely', () => {
    const few = evidence('new', [5, 2, 5])
    const alike = fitGradeModel([few, evidence('x', cycle([5, 2, 1, -1, 2], 40)), evidence('y', cycle([2, 1, 5, 2, -1], 40))], OPTIONS)
    const apart = fitGradeModel([few, evidence('x', cycle([-1, 1, -1, 2], 40)), evidence('y', cycle([5, 5, 2, 5], 40))], OPTIONS)
    const newcomer = (model: ReturnType<typeof fitGradeModel>) => model.setups.find((s) => s.setup === 'new')?.expectedGrade ?? Number.NaN
    expect(newcomer(alike)).toBeLessThan(4 - 0.3)
    expect(newcomer(alike)).toBeGreaterThan(1.8)
    expect(newcomer(apart)).toBeGreaterThan(newcomer(alike) + 0.2)
  })

  it('gives complementary pairwise chances and chances of being best that sum to one', () => {
    const model = fitGradeModel([evidence('good', cycle([5, 2, 2], 30)), evidence('fair', cycle([2, 1, 2], 30)), evidence('poor', cycle([1, -1, 1], 30))], OPTIONS)
    expect(model.chanceAtLeast('good', 'fair') + model.chanceAtLeast('fair', 'good')).toBeCloseTo(1, 6)
    expect(model.chanceAtLeast('good', 'poor')).toBeLessThan(0.01)
    // Asked whether a chance reaches a threshold, it may stop adding early, and answers the same.
    const names = ['good', 'fair', 'poor']
    let stoppedEarly = 0
    for (const leader of names) {
      for (const challenger of names.filter((name) => name !== leader)) {
        const whole = model.chanceAtLeast(leader, challenger)
        for (const enough of [1e-9, 0.001, 0.025, 0.5, whole, 0.999]) {
          const partial = model.chanceAtLeast(leader, challenger, enough)
          expect(partial >= enough, `${leader} ${challenger} ${String(enough)}`).toBe(whole >= enough)
          expect(partial).toBeLessThanOrEqual(whole)
          if (partial < whole) stoppedEarly += 1
        }
      }
    }
    expect(stoppedEarly).toBeGreaterThan(0)
    const chances = [...model.chanceBest.values()]
    expect(chances.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 9)
    expect(model.chanceBest.get('good')).toBeGreaterThan(0.9)
    expect(fitGradeModel([evidence('good', cycle([5, 2, 2], 30)), evidence('fair', cycle([2, 1, 2], 30))], OPTIONS).chanceBest)
      .toEqual(fitGradeModel([evidence('good', cycle([5, 2, 2], 30)), evidence('fair', cycle([2, 1, 2], 30))], OPTIONS).chanceBest)
  })

  it('charges bugs: the same grades with many bugs score lower', () => {
    const model = fitGradeModel([evidence('clean', cycle([5, 2], 20)), evidence('buggy', cycle([5, 2], 20), 10)], OPTIONS)
    const [clean, buggy] = ['clean', 'buggy'].map((name) => model.setups.find((s) => s.setup === name))
    expect(buggy?.bugRate.mean).toBeGreaterThan(clean?.bugRate.mean ?? 1)
    expect(buggy?.expectedScore).toBeLessThan(clean?.expectedScore ?? 0)
  })
})
