import { describe, expect, it } from 'vitest'
import { isTrackerError } from '../errors.js'
import { GRADES, gradeLabel, isGrade, parseGrade } from './grade.js'

describe('parseGrade', () => {
  it.each([
    [-1, -1], [1, 1], [2, 2], [5, 5],
    ['-1', -1], ['+2', 2], [' 5 ', 5], ['5.0', 5],
    ['bad', -1], ['Neutral', 1], ['GOOD', 2], ['excellence', 5], [' Excellence ', 5],
  ])('reads %j as %d', (input, expected) => {
    expect(parseGrade(input)).toBe(expected)
  })

  it.each([0, 3, 4, 10, -2, 2.5, NaN, '', 'great', 'excellent', '3', null, undefined, {}, [2]])(
    'rejects %j with a message listing the accepted values',
    (input) => {
      let caught: unknown
      try {
        parseGrade(input, 'user grade')
      } catch (error) {
        caught = error
      }
      expect(isTrackerError(caught, 'INVALID_GRADE')).toBe(true)
      const message = (caught as Error).message
      expect(message).toMatch(/^Invalid user grade /)
      expect(message).toContain('-1 (bad), 1 (neutral), 2 (good), 5 (excellence)')
    },
  )

  it('accepts excellence (5) everywhere a grade is accepted', () => {
    expect(GRADES).toContain(5)
    expect(isGrade(5)).toBe(true)
    expect(gradeLabel(5)).toBe('excellence')
  })
})
