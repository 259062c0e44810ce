import { describe, expect, it } from 'vitest'
import { seededRandom } from '../stats/seeded-random.js'
import { MEAN_GRADE_RANGE, drawGrade, gradeChances, meanGradeOf, qualityForMeanGrade } from './grade-distribution.js'

describe('the grade distribution of generated work', () => {
  it('rises with quality from about −0.33 to 3.67, and finds the quality for a mean', () => {
    expect(MEAN_GRADE_RANGE[0]).toBeCloseTo(-1 / 3, 9)
    expect(MEAN_GRADE_RANGE[1]).toBeCloseTo(3.667, 3)
    for (let q = 0.05; q < 1; q += 0.05) expect(meanGradeOf(q)).toBeGreaterThan(meanGradeOf(q - 0.05))
    for (const mean of [0, 1.2, 2.5, 3.3]) expect(meanGradeOf(qualityForMeanGrade(mean))).toBeCloseTo(mean, 9)
    expect(gradeChances(0.7).reduce((sum, [, p]) => sum + p, 0)).toBeCloseTo(1, 12)
  })

  it('draws grades whose mean is the asked-for mean', () => {
    const random = seededRandom(11)
    const quality = qualityForMeanGrade(2.5)
    const draws = Array.from({ length: 40_000 }, () => drawGrade(random, quality))
    expect(draws.reduce((sum, g) => sum + g, 0) / draws.length).toBeCloseTo(2.5, 1)
    expect(new Set(draws)).toEqual(new Set([-1, 1, 2, 5]))
  })

  it('refuses a mean no grades can average, naming the range', () => {
    expect(() => qualityForMeanGrade(4.5)).toThrow(/A mean grade of 4.5 cannot be drawn: accepted are -0.33 to 3.67/)
  })
})
