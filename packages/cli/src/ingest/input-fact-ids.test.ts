import { describe, expect, it } from 'vitest'
import { canonicalJson } from './input-fact-ids.js'

describe('the canonical JSON facts are told apart by', () => {
  it('is the same for the same data whatever order its keys came in, at any depth; lists keep their order', () => {
    const parsed = JSON.parse('{"b":{"y":1,"x":[{"d":2,"c":1}]},"a":"\\u00e9","__proto__":{"z":0}}') as unknown
    const reordered = JSON.parse('{"__proto__":{"z":0},"a":"é","b":{"x":[{"c":1,"d":2}],"y":1.0}}') as unknown
    expect(canonicalJson(parsed)).toBe('{"__proto__":{"z":0},"a":"é","b":{"x":[{"c":1,"d":2}],"y":1}}')
    expect(canonicalJson(reordered)).toBe(canonicalJson(parsed))
    expect(canonicalJson({ list: [2, 1] })).not.toBe(canonicalJson({ list: [1, 2] }))
  })
})
