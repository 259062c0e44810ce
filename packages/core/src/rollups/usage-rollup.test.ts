import { describe, expect, it } from 'vitest'
import { isTrackerError } from '../errors.js'
import type { UsageRecord } from '../store/records.js'
import { emptyUsage, storedRollup } from './usage-rollup.js'

describe('storedRollup', () => {
  it('passes a whole rollup through, and names a rollup that decoded without its grades or tokens as damaged', () => {
    const whole = emptyUsage('build@openai/gpt-5', '/work/shop', '2026-05-01')
    expect(storedRollup(whole)).toBe(whole)
    for (const broken of [{ ...whole, grades: undefined }, { ...whole, grades: { ...whole.grades, agent: null } }, { ...whole, tokens: 7 }]) {
      let caught: unknown
      try {
        storedRollup(broken as unknown as UsageRecord)
      } catch (error) {
        caught = error
      }
      expect(isTrackerError(caught, 'DAMAGED_RECORD')).toBe(true)
      expect((caught as Error).message).toBe('The stored day rollup of build@openai/gpt-5 in /work/shop on 2026-05-01 lacks its grades or tokens: the database file is probably damaged.')
    }
  })
})
