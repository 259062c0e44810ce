import { describe, expect, it } from 'vitest'
import { timeOrderedId } from './fact-id.js'

describe('timeOrderedId', () => {
  it('is a version-7 UUID that sorts by time, unique within one millisecond', () => {
    const first = timeOrderedId(Date.UTC(2026, 0, 1))
    const later = timeOrderedId(Date.UTC(2026, 0, 1, 0, 0, 1))
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(first.slice(0, 13)).toBe('019b76da-a800')
    expect(first < later).toBe(true)
    const same = new Set(Array.from({ length: 1000 }, () => timeOrderedId(Date.UTC(2026, 0, 1))))
    expect(same.size).toBe(1000)
  })
})
