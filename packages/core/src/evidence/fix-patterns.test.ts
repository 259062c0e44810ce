import { describe, expect, it } from 'vitest'
import { matchFixPattern } from './fix-patterns.js'

describe('matchFixPattern with the default patterns', () => {
  it('takes fix words and issue references for fixes', () => {
    expect(matchFixPattern('fix(api): handle empty carts')).toBe('fix')
    expect(matchFixPattern('Hotfix for the login page')).toBe('hotfix')
    expect(matchFixPattern('Handle a missing card (closes #12)')).toBe('issue-reference')
    expect(matchFixPattern('#7 totals rounded wrong')).toBe('issue-reference')
    expect(matchFixPattern('Totals rounded wrong, PROJ-42')).toBe('issue-reference')
    expect(matchFixPattern('See SEC2-301 for the details')).toBe('issue-reference')
  })

  it('does not take a standard, an encoding, an algorithm, a licence or a zone written like an issue key for one', () => {
    for (const message of ['Read config files as UTF-8', 'Switch checksums to SHA-256', 'Format dates as ISO-8601', 'Follow RFC-7231 for redirects', 'Relicense under GPL-3', 'Show times in UTC-5', 'Serve HTTP-2 where we can']) {
      expect([message, matchFixPattern(message)]).toEqual([message, undefined])
    }
    // A key that only starts like one of them is an issue key.
    expect(matchFixPattern('Done in ISOL-12')).toBe('issue-reference')
  })

  it('never takes a revert for a fix', () => {
    expect(matchFixPattern('Revert "fix: totals"\n\nThis reverts commit 1a2b3c4d.')).toBeUndefined()
  })
})
