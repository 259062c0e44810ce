import { describe, expect, it } from 'vitest'
import { displayWidth } from './display-width.js'

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
})
