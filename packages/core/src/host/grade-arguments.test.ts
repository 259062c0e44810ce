import { describe, expect, it } from 'vitest'
import { parseGradeArguments, unquoteArguments } from './grade-arguments.js'

describe('/grade arguments', () => {
  it.each([
    ['excellence', { userGrade: 5 }],
    ['good excellence', { agentGrade: 2, userGrade: 5 }],
    ['"good excellence clean and tested"', { agentGrade: 2, userGrade: 5, note: 'clean and tested' }],
    ['good excellence "clean and tested"', { agentGrade: 2, userGrade: 5, note: 'clean and tested' }],
    ['"good excellence \\"clean and tested\\""', { agentGrade: 2, userGrade: 5, note: 'clean and tested' }],
    ['-1 needs work', { userGrade: -1, note: 'needs work' }],
    ['2 5', { agentGrade: 2, userGrade: 5 }],
  ])('reads %s', (text, expected) => {
    expect(parseGradeArguments(text)).toEqual(expected)
  })

  it.each([['', '""'], ['great', '"great"'], ['"superb work"', '"superb"'], ['4 nice', '"4"']])('rejects %j with the value, the accepted values and the usage', (text, value) => {
    expect(() => parseGradeArguments(text)).toThrow(`Invalid grade ${value}: accepted values are -1 (bad), 1 (neutral), 2 (good), 5 (excellence). Usage: /grade [agent-grade] <your-grade> [note].`)
  })

  it('unquotes what opencode run --command passes', () => {
    expect(unquoteArguments('"broke the build"')).toBe('broke the build')
    expect(unquoteArguments("'x'")).toBe('x')
    expect(unquoteArguments('plain')).toBe('plain')
  })
})
