import { describe, expect, it } from 'vitest'
import { isTrackerError } from '../errors.js'
import { DEFAULT_RULES, resolveRules } from './rules.js'

function messageOf(input: unknown): string {
  try {
    resolveRules(input)
  } catch (error) {
    expect(isTrackerError(error, 'INVALID_RULES')).toBe(true)
    return (error as Error).message
  }
  throw new Error('expected resolveRules to throw')
}

describe('resolveRules', () => {
  it('gives the default rules: SP 1, XP 0, CS 60, level-up at 10 × SP', () => {
    expect(resolveRules()).toEqual({
      initial: { skillPoints: 1, experience: 0, communication: 60 },
      experience: { toolCall: 0.1, command: 0, commit: 1, push: 10, gradedCommit: 1 },
      levelUp: { experiencePerSkillPoint: 10 },
      bug: { skillPointPenalty: 1 },
      communication: { minimumCap: 100, capPerSkillPoint: 100 },
      reinstate: { skillPoints: 1 },
    })
    expect(resolveRules({})).toEqual(DEFAULT_RULES)
  })

  it('merges a partial rule set over the defaults', () => {
    const rules = resolveRules({ experience: { push: 5 }, bug: { skillPointPenalty: 2 } })
    expect(rules.experience).toEqual({ ...DEFAULT_RULES.experience, push: 5 })
    expect(rules.bug.skillPointPenalty).toBe(2)
    expect(rules.levelUp).toEqual(DEFAULT_RULES.levelUp)
  })

  it('names an unknown section and lists the known ones', () => {
    expect(messageOf({ xp: {} })).toBe(
      'Invalid scoring rule rules.xp: is not a known section; known sections are initial, experience, levelUp, bug, communication, reinstate.',
    )
  })

  it('names an unknown key and lists the keys of its section', () => {
    expect(messageOf({ experience: { toolcall: 1 } })).toBe(
      'Invalid scoring rule rules.experience.toolcall: is not a known rule; known keys of rules.experience are toolCall, command, commit, push, gradedCommit.',
    )
  })

  it.each([
    [{ bug: { skillPointPenalty: -1 } }, 'rules.bug.skillPointPenalty: is -1; accepted: a finite number ≥ 0'],
    [{ experience: { push: Number.NaN } }, 'rules.experience.push: is NaN; accepted: a finite number ≥ 0'],
    [{ experience: { push: Number.POSITIVE_INFINITY } }, 'rules.experience.push: is Infinity'],
    [{ experience: { push: '10' } }, 'rules.experience.push: is "10"'],
    [{ levelUp: { experiencePerSkillPoint: 0 } }, 'rules.levelUp.experiencePerSkillPoint: is 0; accepted: a finite number greater than 0'],
    [{ reinstate: { skillPoints: 0 } }, 'rules.reinstate.skillPoints: is 0; accepted: a finite number greater than 0'],
    [{ communication: 5 }, 'rules.communication: must be an object, got 5'],
    ['strict', 'rules: must be an object, got "strict"'],
  ])('rejects %j naming the key and what is accepted', (input, expected) => {
    expect(messageOf(input)).toContain(expected)
  })
})
