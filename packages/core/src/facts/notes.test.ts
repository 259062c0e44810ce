import { describe, expect, it } from 'vitest'
import { createFactScript } from '../testing/fact-script.js'
import { createMemoryStore } from '../testing/memory-store.js'
import { LIMITS } from '../validation/limits.js'
import { gradeNote, noteTooLong, withNote } from './notes.js'

const SETUP = 'build@fake/m1'
const PROJECT = '/work/shop'

describe("the user's notes on a commit", () => {
  it('keeps earlier notes, adds a new one on a line of its own, and a repeat once', () => {
    expect(withNote(undefined, 'exactly right')).toBe('exactly right')
    expect(withNote('exactly right', 'ask first')).toBe('exactly right\nask first')
    expect(withNote('exactly right\nask first', 'ask first')).toBe('exactly right\nask first')
    expect(withNote('exactly right\nask first', ' exactly right ')).toBe('exactly right\nask first')
    expect(withNote('one\ntwo', 'one\ntwo')).toBe('one\ntwo')
    // A note of several lines already given, not the last one: still once.
    expect(withNote('one\ntwo\nthree', 'one\ntwo')).toBe('one\ntwo\nthree')
    expect(withNote('one\ntwo\nthree', 'ne\ntw')).toBe('one\ntwo\nthree\nne\ntw')
    expect(withNote('right', 'exactly right')).toBe('right\nexactly right')
  })

  it('refuses a note that would take the notes past the limit of a stored text', () => {
    const long = 'x'.repeat(LIMITS.textBytes - 10)
    expect(noteTooLong(long, 'short')).toBeUndefined()
    expect(noteTooLong(long, 'a note of twenty chars')).toContain('would pass 256 KiB')
    expect(noteTooLong(long, 'x'.repeat(LIMITS.textBytes - 10))).toBeUndefined()
  })

  it('a grade and narratives add their notes to the retrospective; one that does not fit changes nothing', async () => {
    const store = createMemoryStore()
    const s = createFactScript({ setup: SETUP, project: PROJECT })
    await store.applyFacts([s.commit('c0ffee1'), s.grade('c0ffee1', { by: 'user', userGrade: 5, userNote: 'exactly right' })])
    await store.applyFacts([s.retrospective('c0ffee1', { userNote: 'ask before changing the schema' }), s.retrospective('c0ffee1', { userNote: 'exactly right', agentNote: 'kept it small' })])
    expect(await store.get('retrospectives', [SETUP, 'c0ffee1'])).toMatchObject({ userGrade: 5, userNote: 'exactly right\nask before changing the schema', agentNote: 'kept it small' })
    const big = await store.applyFacts([s.retrospective('c0ffee1', { userNote: 'y'.repeat(LIMITS.textBytes - 20) })])
    expect(big).toMatchObject({ applied: 0, skipped: [{ reason: expect.stringContaining('would pass 256 KiB') as unknown }] })
    expect((await store.get('retrospectives', [SETUP, 'c0ffee1']))?.userNote).toBe('exactly right\nask before changing the schema')
  })

  it("keeps the agent's lessons: a later self-grade note or retrospective adds to them, never replaces them", async () => {
    const store = createMemoryStore()
    const s = createFactScript({ setup: SETUP, project: PROJECT })
    await store.applyFacts([s.commit('c0ffee1'), s.retrospective('c0ffee1', { agentNote: 'learned to test totals', task: 'cart' })])
    await store.applyFacts([s.grade('c0ffee1', { by: 'agent', agentGrade: 2, agentNote: 'tested' })])
    await store.applyFacts([s.retrospective('c0ffee1', { agentNote: 'second lesson' }), s.retrospective('c0ffee1', { agentNote: 'tested' })])
    expect(await store.get('retrospectives', [SETUP, 'c0ffee1'])).toMatchObject({ agentGrade: 2, agentNote: 'learned to test totals\ntested\nsecond lesson' })
    const big = await store.applyFacts([s.retrospective('c0ffee1', { agentNote: 'z'.repeat(LIMITS.textBytes - 20) })])
    expect(big).toMatchObject({ applied: 0, skipped: [{ reason: expect.stringContaining('would pass 256 KiB') as unknown }] })
  })
})

describe('the note a grade event keeps', () => {
  it("is the grader's own, then the other's on a line of its own; the grader's alone when both would pass the limit", () => {
    expect(gradeNote({ by: 'user' })).toBeUndefined()
    expect(gradeNote({ by: 'user', userNote: 'mine' })).toBe('mine')
    expect(gradeNote({ by: 'user', agentNote: 'its' })).toBe('its')
    expect(gradeNote({ by: 'user', userNote: 'mine', agentNote: 'its' })).toBe('mine\nits')
    expect(gradeNote({ by: 'agent', userNote: 'mine', agentNote: 'its' })).toBe('its\nmine')
    const long = 'x'.repeat(LIMITS.textBytes - 10)
    expect(gradeNote({ by: 'user', userNote: long, agentNote: 'a note of twenty chars' })).toBe(long)
  })
})
