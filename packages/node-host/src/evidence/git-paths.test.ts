import { describe, expect, it } from 'vitest'
import { gitPath } from './git-paths.js'

describe('gitPath', () => {
  it('reads a name as git prints it: as it is, or C-quoted with escapes and octal bytes', () => {
    expect(gitPath('src/cart.ts')).toBe('src/cart.ts')
    expect(gitPath('a/with space.ts')).toBe('a/with space.ts')
    expect(gitPath('"a/q\\"uote.txt"')).toBe('a/q"uote.txt')
    expect(gitPath('"tab\\there\\\\back\\nline"')).toBe('tab\there\\back\nline')
    expect(gitPath('"\\303\\274n\\303\\257.txt"')).toBe('ünï.txt')
    expect(gitPath('"\\360\\237\\230\\200 \\"😀\\".txt"')).toBe('😀 "😀".txt')
  })

  it('gives nothing for a name that is no UTF-8, quoted or as decoded output shows it', () => {
    expect(gitPath('"caf\\351.txt"')).toBeUndefined()
    expect(gitPath('caf\uFFFD.txt')).toBeUndefined()
  })
})
