import { describeValue } from '../describe-value.js'
import { TrackerError } from '../errors.js'

/** A grade for a commit: -1 bad, 1 neutral, 2 good, 5 excellence. */
export type Grade = -1 | 1 | 2 | 5

/** The human label of a grade. */
export type GradeLabel = 'bad' | 'neutral' | 'good' | 'excellence'

/** Every grade, lowest first. */
export const GRADES: readonly Grade[] = [-1, 1, 2, 5]

/** The label of each grade. */
export const GRADE_LABELS: Readonly<Record<Grade, GradeLabel>> = {
  [-1]: 'bad',
  1: 'neutral',
  2: 'good',
  5: 'excellence',
}

const GRADE_BY_LABEL: ReadonlyMap<string, Grade> = new Map(
  GRADES.map((grade) => [GRADE_LABELS[grade], grade]),
)

const ACCEPTED = GRADES.map((grade) => `${String(grade)} (${GRADE_LABELS[grade]})`).join(', ')

/** True when `value` is one of the four grade numbers. */
export function isGrade(value: unknown): value is Grade {
  return typeof value === 'number' && (GRADES as readonly number[]).includes(value)
}

/**
 * Reads a grade given as a number (`-1`, `1`, `2`, `5`, also as text) or a label
 * (`bad`, `neutral`, `good`, `excellence`, any case).
 * @throws {TrackerError} INVALID_GRADE naming the input and listing the accepted values.
 */
export function parseGrade(input: unknown, what = 'grade'): Grade {
  if (isGrade(input)) return input
  if (typeof input === 'string') {
    const text = input.trim().toLowerCase()
    const byLabel = GRADE_BY_LABEL.get(text)
    if (byLabel !== undefined) return byLabel
    if (/^[+-]?\d+(\.0+)?$/.test(text)) {
      const byNumber = Number(text)
      if (isGrade(byNumber)) return byNumber
    }
  }
  throw new TrackerError(
    'INVALID_GRADE',
    `Invalid ${what} ${describeValue(input)}: accepted values are ${ACCEPTED}.`,
  )
}

/** The label of a grade, e.g. `good` for 2. */
export function gradeLabel(grade: Grade): GradeLabel {
  return GRADE_LABELS[grade]
}
