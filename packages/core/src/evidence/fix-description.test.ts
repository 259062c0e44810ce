import { describe, expect, it } from 'vitest'
import { fixDescription } from './fix-description.js'

describe('fixDescription', () => {
  it('says what the fix changed, leaving out what is not known', () => {
    const full = { subject: 'fix: totals', lines: 3, files: ['cart.js', 'totals.js'] }
    expect(fixDescription(full, { files: true })).toBe(' "fix: totals" changed 3 of its lines in cart.js, totals.js')
    expect(fixDescription(full, { files: false })).toBe(' "fix: totals" changed 3 of its lines')
    expect(fixDescription(full, { files: false, fitSubject: (subject) => `${subject.slice(0, 4)}…` })).toBe(' "fix:…" changed 3 of its lines')
    expect(fixDescription({ files: ['cart.js'] }, { files: true })).toBe(' changed its lines in cart.js')
    expect(fixDescription({ subject: '', files: [] }, { files: true })).toBe('')
    expect(fixDescription({}, { files: false })).toBe('')
  })
})
