import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { displayWidth } from './display-width.js'

const stringWidth = (createRequire(import.meta.url)('string-width') as { default: (text: string) => number }).default

describe('displayWidth', () => {
  it('counts plain ASCII one column a character', () => {
    expect(displayWidth('')).toBe(0)
    expect(displayWidth('build@openai/gpt-5 (2 commits)')).toBe(30)
  })

  it('counts CJK characters and emoji as two columns and colour codes as none', () => {
    expect(displayWidth('漢字')).toBe(4)
    expect(displayWidth('ok 🚀')).toBe(5)
    expect(displayWidth('\u001B[31mred\u001B[39m')).toBe(3)
    expect(displayWidth('café')).toBe(4)
  })

  it('agrees with string-width on every character, and beside what changes a width', () => {
    // Every character of the Basic Multilingual Plane (but surrogate halves), between two letters:
    // whatever the fast path takes, it must count as string-width does.
    for (let code = 0x20; code <= 0xffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue
      const text = `a${String.fromCharCode(code)}b`
      const width = displayWidth(text)
      if (width !== stringWidth(text)) expect([code.toString(16), width]).toEqual([code.toString(16), stringWidth(text)])
    }
    // Beside a narrow character, what makes text wider or narrower still counts.
    for (const text of ['2.0 (1.8–2.1) 漢', '✓\uFE0F', '✔\uFE0F ok', 'e\u0301 · x', 'soft\u00ADhyphen', 'a\u200Bb', '◽ ◾', '\u001B[32m✓\u001B[39m 2–3', '\u001B[1m漢\u001B[22m', '\u001Bx'])
      expect([text, displayWidth(text)]).toEqual([text, stringWidth(text)])
  })
})
