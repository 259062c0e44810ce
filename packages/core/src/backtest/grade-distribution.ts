import type { Grade } from '../facts/grade.js'
import type { RandomSource } from '../stats/seeded-random.js'

/**
 * The chances of each grade for work of a quality in [0, 1]: mostly excellent or good near 1,
 * mostly bad or neutral near 0 — weights 1.5q³ (excellence), 1.2q (good), 1 − q (neutral),
 * 2(1 − q)² (bad).
 */
export function gradeChances(quality: number): readonly (readonly [Grade, number])[] {
  const q = Math.min(1, Math.max(0, quality))
  const weights: readonly (readonly [Grade, number])[] = [[5, 1.5 * q ** 3], [2, 1.2 * q], [1, 1 - q], [-1, 2 * (1 - q) ** 2]]
  const total = weights.reduce((sum, [, w]) => sum + w, 0)
  return weights.map(([grade, w]) => [grade, w / total] as const)
}

/** The mean grade of work of the given quality: from −1/3 at 0 to 3.67 at 1, rising all the way. */
export function meanGradeOf(quality: number): number {
  return gradeChances(quality).reduce((sum, [grade, p]) => sum + grade * p, 0)
}

/** The lowest and highest mean grade {@link gradeChances} can give. */
export const MEAN_GRADE_RANGE = [meanGradeOf(0), meanGradeOf(1)] as const

/**
 * The quality whose grades have the given mean (by bisection).
 * @throws {RangeError} for a mean outside {@link MEAN_GRADE_RANGE}.
 */
export function qualityForMeanGrade(mean: number): number {
  const [low, high] = MEAN_GRADE_RANGE
  if (!(mean >= low && mean <= high)) throw new RangeError(`A mean grade of ${String(mean)} cannot be drawn: accepted are ${low.toFixed(2)} to ${high.toFixed(2)}.`)
  let a = 0
  let b = 1
  for (let i = 0; i < 60; i++) {
    const middle = (a + b) / 2
    if (meanGradeOf(middle) < mean) a = middle
    else b = middle
  }
  return (a + b) / 2
}

/** Draws a grade for work of the given quality. */
export function drawGrade(random: RandomSource, quality: number): Grade {
  let roll = random()
  for (const [grade, p] of gradeChances(quality)) {
    roll -= p
    if (roll < 0) return grade
  }
  return 1
}
