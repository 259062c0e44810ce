import { describe, expect, it } from 'vitest'
import { resolveRules } from '../scoring/rules.js'
import { LIMITS } from './limits.js'
import { validateRecord } from './validate-record.js'

const ACTIVITY = {
  v: 1, id: 'legacy-journal-1', setup: 'build', project: '/home/dev/shop', at: '2026-02-23T18:00:00.000Z',
  task: 'Stripe webhooks', actions: 'added idempotency keys', outcome: 'shipped', decisions: 'store event ids', notes: 'Bug #2: late commit',
}

const GRADE_EVENT = {
  v: 1, id: 'grade-1', setup: 'build@openai/gpt-5', project: '/home/dev/shop', commit: 'a1b2c3d', at: '2026-02-23T18:00:00.000Z',
  by: 'user', userGrade: 2, channel: 'cli-script', vouched: true,
}

const RETROSPECTIVE = {
  v: 1, setup: 'build@openai/gpt-5', commit: 'a1b2c3d', project: '/home/dev/shop', at: '2026-02-23T18:00:00.000Z', updatedAt: '2026-02-23T18:05:00.000Z',
  agentGrade: 2, userGrade: 5, agentGradeChannel: 'agent-tool', userGradeChannel: 'slash-command',
}

const ROLLUP = {
  v: 2, setup: 'build@openai/gpt-5', project: '/home/dev/shop', day: '2026-02-23', toolCalls: 3, toolFailures: 0, commands: 0, pushes: 0, messages: 1,
  tokens: { input: 10, output: 5, reasoning: 0, cacheRead: 0, cacheWrite: 0 }, cost: 0.01, commits: 1, bugs: 0,
  grades: { agent: { count: 0, sum: 0, squares: 0 }, user: { count: 1, sum: 2, squares: 4 }, userByChannel: { 'cli-terminal': { grades: 1, counted: 1, sum: 2 }, unrecorded: { grades: 1, counted: 1, sum: 1 } }, communication: 2 },
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

  it('takes grade channels and a vouched grade as they are recorded', () => {
    expect(validateRecord('gradeEvents', GRADE_EVENT, resolveRules())).toEqual(GRADE_EVENT)
    expect(validateRecord('retrospectives', RETROSPECTIVE, resolveRules())).toEqual(RETROSPECTIVE)
    expect(validateRecord('usage', ROLLUP, resolveRules())).toEqual(ROLLUP)
    const { channel: _channel, vouched: _vouched, ...unrecorded } = GRADE_EVENT
    expect(validateRecord('gradeEvents', unrecorded, resolveRules())).toEqual(unrecorded)
  })

  it('refuses a grade event whose channel or vouched is not one a grade can have, naming the field and what is accepted', () => {
    const accepted = 'one of slash-command, cli-terminal, cli-script, ingest, agent-tool, import'
    expect(() => validateRecord('gradeEvents', { ...GRADE_EVENT, channel: 'terminal' }, resolveRules())).toThrow(expect.objectContaining({
      code: 'INVALID_RECORD',
      message: `Invalid gradeEvents record: field "channel" is "terminal"; accepted is ${accepted}.`,
    }))
    expect(() => validateRecord('gradeEvents', { ...GRADE_EVENT, channel: 3 }, resolveRules())).toThrow(`field "channel" is 3; accepted is ${accepted}`)
    expect(() => validateRecord('gradeEvents', { ...GRADE_EVENT, vouched: 'yes' }, resolveRules())).toThrow('field "vouched" is "yes"; accepted is true, or no field at all (a grade not vouched for)')
    expect(() => validateRecord('gradeEvents', { ...GRADE_EVENT, vouched: false }, resolveRules())).toThrow('field "vouched" is false; accepted is true')
  })

  it('refuses a retrospective whose grade channels are not grade channels', () => {
    expect(() => validateRecord('retrospectives', { ...RETROSPECTIVE, userGradeChannel: 'cli' }, resolveRules())).toThrow(expect.objectContaining({
      code: 'INVALID_RECORD',
      message: 'Invalid retrospectives record: field "userGradeChannel" is "cli"; accepted is one of slash-command, cli-terminal, cli-script, ingest, agent-tool, import.',
    }))
    expect(() => validateRecord('retrospectives', { ...RETROSPECTIVE, agentGradeChannel: null }, resolveRules())).toThrow('field "agentGradeChannel" is null; accepted is one of slash-command')
  })

  it('refuses a day rollup whose day is no day of the calendar, though it has the shape of one', () => {
    expect(() => validateRecord('usage', { ...ROLLUP, day: '2026-02-30' }, resolveRules())).toThrow('Invalid usage record: field "day" is "2026-02-30"; accepted is a day of the calendar like 2026-03-01.')
    expect(() => validateRecord('usage', { ...ROLLUP, day: '2026-13-01' }, resolveRules())).toThrow('field "day" is "2026-13-01"')
    expect(() => validateRecord('usage', { ...ROLLUP, day: '2026-3-1' }, resolveRules())).toThrow('field "day" is "2026-3-1"')
    expect(validateRecord('usage', { ...ROLLUP, day: '2028-02-29' }, resolveRules())).toMatchObject({ day: '2028-02-29' })
  })

  it('refuses a day rollup whose user grades by channel name no channel or hold no sums', () => {
    const byChannel = (userByChannel: unknown): object => ({ ...ROLLUP, grades: { ...ROLLUP.grades, userByChannel } })
    expect(() => validateRecord('usage', byChannel({ terminal: { grades: 1, counted: 1, sum: 2 } }), resolveRules())).toThrow('Invalid usage record: field "grades.userByChannel key" is "terminal"; accepted is one of slash-command, cli-terminal, cli-script, ingest, agent-tool, import, unrecorded.')
    expect(() => validateRecord('usage', byChannel({ ingest: { grades: -1, counted: 0, sum: 2 } }), resolveRules())).toThrow('field "grades.userByChannel.ingest.grades" is -1; accepted is a whole number')
    expect(() => validateRecord('usage', byChannel([]), resolveRules())).toThrow('field "grades.userByChannel" is')
  })
})
