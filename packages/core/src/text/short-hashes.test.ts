import { describe, expect, it } from 'vitest'
import { distinctShortHashes } from './short-hashes.js'

describe('distinctShortHashes', () => {
  it('keeps 8 characters when they tell the hashes apart', () => {
    expect(distinctShortHashes(['5a1b0c0ffee', '9e2d00dbeef'])).toEqual(['5a1b0c0f', '9e2d00db'])
  })

  it('lengthens every hash until the different ones differ, and leaves a repeated one the same', () => {
    expect(distinctShortHashes(['00000000a1', '00000000b2', '00000000a1'])).toEqual(['00000000a', '00000000b', '00000000a'])
    expect(distinctShortHashes(['0000000000c1', '0000000000c2'])).toEqual(['0000000000c1', '0000000000c2'])
  })

  it('never goes past a hash’s end, nor below the minimum', () => {
    expect(distinctShortHashes(['abc', 'abcd'])).toEqual(['abc', 'abcd'])
    expect(distinctShortHashes([])).toEqual([])
  })
})
