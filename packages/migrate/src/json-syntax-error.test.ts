import { describe, expect, it } from 'vitest'
import { jsonErrorPosition } from './json-positions.js'
import { jsonSyntaxErrorOffset } from './json-syntax-error.js'

const DOCUMENT = '[\n  {"commit": "a1b2\\u00e9\\n", "grade": -1.5e+2, "ok": true, "none": null, "no": false, "list": [0, {}, []]}\n]\n'

function parses(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

describe('jsonSyntaxErrorOffset', () => {
  it('finds the first offending character, whatever the engine message says', () => {
    expect(jsonSyntaxErrorOffset(DOCUMENT)).toBeUndefined()
    expect(jsonSyntaxErrorOffset('[\n  {"a": 1},\n  oops\n]')).toBe(16)
    expect(jsonSyntaxErrorOffset('{"a": 2,,}')).toBe(8)
    expect(jsonSyntaxErrorOffset('[1, tru]')).toBe(7)
    expect(jsonSyntaxErrorOffset('[1] x')).toBe(4)
    expect(jsonSyntaxErrorOffset('[1, 2')).toBe(5)
    expect(jsonSyntaxErrorOffset('')).toBe(0)
    expect(jsonErrorPosition('[\n  {"a": 1},\n  oops\n]', new SyntaxError("Unexpected token 'o'"))).toBe('line 3, column 3')
  })

  it('agrees with JSON.parse on every truncation and every single-character deletion of a document', () => {
    const variants = [
      ...Array.from({ length: DOCUMENT.length }, (_, end) => DOCUMENT.slice(0, end)),
      ...Array.from({ length: DOCUMENT.length }, (_, cut) => DOCUMENT.slice(0, cut) + DOCUMENT.slice(cut + 1)),
    ]
    for (const text of variants) expect([text, jsonSyntaxErrorOffset(text) === undefined]).toEqual([text, parses(text)])
  })
})
