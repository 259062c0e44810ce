import { describe, expect, it } from 'vitest'
import { resolveRules } from '../scoring/rules.js'
import { LIMITS } from './limits.js'
import { validateRecord } from './validate-record.js'

const ACTIVITY = {
  v: 1, id: 'legacy-journal-1', setup: 'build', project: '/home/dev/shop', at: '2026-02-23T18:00:00.000Z',
  task: 'Stripe webhooks', actions: 'added idempotency keys', outcome: 'shipped', decisions: 'store event ids', notes: 'Bug #2: late commit',
}

describe('validateRecord', () => {
  it('takes an activity with its notes', () => {
    expect(validateRecord('activities', ACTIVITY, resolveRules())).toEqual(ACTIVITY)
  })

  it('holds an activity\'s notes to the free-text limit, as its other text', () => {
    const notes = 'x'.repeat(LIMITS.textBytes + 1)
    expect(() => validateRecord('activities', { ...ACTIVITY, notes }, resolveRules())).toThrow(expect.objectContaining({
      code: 'INVALID_RECORD',
      message: expect.stringMatching(/^Invalid activities record: field "notes" is "x+\.\.\."; accepted is a string of at most 262144 bytes\.$/) as unknown,
    }))
    expect(() => validateRecord('activities', { ...ACTIVITY, notes: 7 }, resolveRules())).toThrow('field "notes" is 7; accepted is a string')
  })
})
