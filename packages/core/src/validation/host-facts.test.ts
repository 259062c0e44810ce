import { describe, expect, it } from 'vitest'
import { validateFact } from '../facts/validate-fact.js'
import { checkHostFact, isAbsolutePath, isCommitHash, normalProjectPath } from './host-facts.js'

const SETUP = 'build@anthropic/claude-sonnet-4-5'
const fact = (fields: Record<string, unknown>): ReturnType<typeof validateFact> => validateFact({ id: 'f1', at: '2026-03-01T09:30:00.000Z', setup: SETUP, project: '/home/me/shop', ...fields })

describe('checkHostFact', () => {
  it('passes facts in an absolute project whose commits are git hashes', () => {
    const facts = [
      fact({ kind: 'commit', hash: 'a1b2c3d' }),
      fact({ kind: 'commit', hash: 'f'.repeat(64) }),
      fact({ kind: 'grade', commit: 'a1b2', by: 'user', userGrade: 2 }),
      fact({ kind: 'bug', by: 'user' }),
      fact({ kind: 'tool_call', tool: 'bash', ok: true, project: 'C:\\work\\shop' }),
    ]
    for (const given of facts) expect(checkHostFact(given)).toBe(given)
  })

  it('writes the project as the hosts do: one folder however its path is spelt', () => {
    for (const project of ['/home/me/shop/', '//home//me/shop', '/home/me/./shop', '/home/me/api/../shop', '/home/me/shop//']) {
      expect(checkHostFact(fact({ kind: 'commit', hash: 'a1b2c3d', project })).project, project).toBe('/home/me/shop')
    }
  })

  it('writes the setup id composed (NFC): one setup however its letters are spelt, its fact id and its project path kept', () => {
    const composed = 'build@\u00fc/\u65e5\u672c'
    const decomposed = composed.normalize('NFD')
    expect(decomposed).not.toBe(composed)
    const checked = checkHostFact(fact({ kind: 'commit', hash: 'a1b2c3d', setup: decomposed, project: '/home/me/Mu\u0308nchen' }))
    expect(checked).toMatchObject({ id: 'f1', setup: composed, project: '/home/me/Mu\u0308nchen' })
  })

  it('refuses a relative project, naming the field, the value and what is accepted', () => {
    expect(() => checkHostFact(fact({ kind: 'push', project: 'w/app' }))).toThrow('Invalid push fact: field "project" is "w/app"; accepted is an absolute path to the project folder, like /home/me/shop.')
    expect(() => checkHostFact(fact({ kind: 'push', project: '~/shop' }))).toThrow(/field "project" is "~\/shop"/)
  })

  it('refuses a commit that is no git hash, in every field naming one', () => {
    const accepted = 'accepted is a commit hash of 4 to 64 lowercase hex digits (0-9, a-f), as git prints it.'
    expect(() => checkHostFact(fact({ kind: 'commit', hash: 'HEAD' }))).toThrow(`Invalid commit fact: field "hash" is "HEAD"; ${accepted}`)
    expect(() => checkHostFact(fact({ kind: 'grade', commit: 'abc', by: 'user', userGrade: 2 }))).toThrow(`Invalid grade fact: field "commit" is "abc"; ${accepted}`)
    expect(() => checkHostFact(fact({ kind: 'bug', by: 'user', commit: 'A1B2C3D' }))).toThrow(/field "commit" is "A1B2C3D"/)
    expect(() => checkHostFact(fact({ kind: 'retrospective', commit: 'f'.repeat(65) }))).toThrow(/field "commit" is "f{57}\.\.\."/)
  })

  it('refuses a usage fact that counts part of a token, naming the count', () => {
    const tokens = { input: 1200, output: 300, reasoning: 0, cacheRead: 0, cacheWrite: 0 }
    expect(() => checkHostFact(fact({ kind: 'usage', tokens: { ...tokens, input: 0.5 }, cost: 0.01 }))).toThrow('Invalid usage fact: field "tokens.input" is 0.5; accepted is a whole number of tokens from 0 to 1000000000.')
    expect(() => checkHostFact(fact({ kind: 'usage', tokens: { ...tokens, cacheWrite: 1e-9 }, cost: 0.01 }))).toThrow(/field "tokens\.cacheWrite" is 1e-9/)
    const whole = fact({ kind: 'usage', tokens, cost: 0.015 })
    expect(checkHostFact(whole)).toBe(whole)
  })

  it('refuses a tool call said to have gone well that exited non-zero, and takes the consistent ones', () => {
    expect(() => checkHostFact(fact({ kind: 'tool_call', tool: 'bash', ok: true, exitCode: 1 }))).toThrow('Invalid tool_call fact: field "ok" is true, but "exitCode" is 1; a call that exits non-zero failed: send "ok": false (or leave "exitCode" out).')
    for (const fields of [{ ok: true, exitCode: 0 }, { ok: false, exitCode: 2 }, { ok: false }, { ok: true }]) {
      const call = fact({ kind: 'tool_call', tool: 'bash', ...fields })
      expect(checkHostFact(call)).toBe(call)
    }
  })
})

describe('checkHostFact given the time now', () => {
  it('takes a time up to a day ahead of it (a clock running ahead), and refuses one further on', () => {
    const now = new Date('2026-03-01T09:30:00.000Z')
    const at = (iso: string): ReturnType<typeof validateFact> => fact({ kind: 'push', at: iso })
    expect(checkHostFact(at('2026-03-02T09:30:00.000Z'), now).at).toBe('2026-03-02T09:30:00.000Z')
    expect(checkHostFact(at('2099-01-01T00:00:00.000Z')).at).toBe('2099-01-01T00:00:00.000Z')
    expect(() => checkHostFact(at('2026-03-02T09:30:00.001Z'), now)).toThrow('Invalid push fact: field "at" is "2026-03-02T09:30:00.001Z"; accepted is a time from 1970-01-01T00:00:00.000Z to a day after now (2026-03-02T09:30:00.000Z).')
    expect(() => checkHostFact(at('2099-01-01T00:00:00.000Z'), now)).toThrow(/field "at" is "2099-01-01T00:00:00.000Z"/)
  })

  it('refuses a time before 1970 with or without it, and a setup id with a control character', () => {
    const at = (iso: string): ReturnType<typeof validateFact> => fact({ kind: 'push', at: iso })
    expect(checkHostFact(at('1970-01-01T00:00:00.000Z')).at).toBe('1970-01-01T00:00:00.000Z')
    expect(() => checkHostFact(at('0001-01-01T00:00:00.000Z'))).toThrow('Invalid push fact: field "at" is "0001-01-01T00:00:00.000Z"; accepted is a time from 1970-01-01T00:00:00.000Z.')
    expect(() => checkHostFact(at('1969-12-31T23:59:59.999Z'), new Date('2026-03-01T09:30:00.000Z'))).toThrow(/accepted is a time from 1970-01-01T00:00:00\.000Z to a day after now/)
    for (const setup of ['bu\nild', 'build@x/y\u001b[31m', 'build\u009b']) {
      expect(() => checkHostFact(fact({ kind: 'push', setup }))).toThrow(/field "setup" is ".*"; accepted is a setup id without control characters/)
    }
  })
})

describe('isCommitHash and isAbsolutePath', () => {
  it('take git hashes and absolute paths only', () => {
    expect(['abcd', '0123456789abcdef0123456789abcdef01234567'].map(isCommitHash)).toEqual([true, true])
    expect(['abc', 'abcg', ' abcd', 'abcd\n', ''].map(isCommitHash)).toEqual([false, false, false, false, false])
    expect(['/', '/w/app', 'D:/w', '\\\\server\\share'].map(isAbsolutePath)).toEqual([true, true, true, true])
    expect(['w/app', './app', '', 'C:app'].map(isAbsolutePath)).toEqual([false, false, false, false])
  })
})

describe('normalProjectPath', () => {
  it('keeps a path as a host gives it, and writes any other spelling of it so', () => {
    for (const path of ['/', '/w/app', 'C:\\', 'C:\\w\\app', '\\\\server\\share\\', '\\\\server\\share\\w']) expect(normalProjectPath(path), path).toBe(path)
    expect(['/w/app/', '//w///app', '/./w/app/.', '/w/x/../app', '/../../w/app', '/w/..'].map(normalProjectPath)).toEqual(['/w/app', '/w/app', '/w/app', '/w/app', '/w/app', '/'])
    expect(['C:\\w\\app\\', 'C:/w/app', 'D:\\w\\\\x\\..\\app', 'C:\\..'].map(normalProjectPath)).toEqual(['C:\\w\\app', 'C:\\w\\app', 'D:\\w\\app', 'C:\\'])
    expect(['\\\\server\\share\\w\\', '\\\\server/share/w', '\\\\server\\share\\..\\..\\w', '\\\\server'].map(normalProjectPath)).toEqual(['\\\\server\\share\\w', '\\\\server\\share\\w', '\\\\server\\share\\w', '\\\\server\\'])
  })
})
