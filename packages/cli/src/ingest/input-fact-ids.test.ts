import { describe, expect, it } from 'vitest'
import type { Fact } from '@agent-tracker/core'
import { checkHostFact, validateFact } from '@agent-tracker/core'
import { InputFactIds, canonicalJson } from './input-fact-ids.js'

describe('the canonical JSON facts are told apart by', () => {
  it('is the same for the same data whatever order its keys came in, at any depth; lists keep their order', () => {
    const parsed = JSON.parse('{"b":{"y":1,"x":[{"d":2,"c":1}]},"a":"\\u00e9","__proto__":{"z":0}}') as unknown
    const reordered = JSON.parse('{"__proto__":{"z":0},"a":"é","b":{"x":[{"c":1,"d":2}],"y":1.0}}') as unknown
    expect(canonicalJson(parsed)).toBe('{"__proto__":{"z":0},"a":"é","b":{"x":[{"c":1,"d":2}],"y":1}}')
    expect(canonicalJson(reordered)).toBe(canonicalJson(parsed))
    expect(canonicalJson({ list: [2, 1] })).not.toBe(canonicalJson({ list: [1, 2] }))
  })
})

describe('the ids of facts whose lines spell their project in several ways', () => {
  const call = (project: string): Fact => validateFact({ kind: 'tool_call', id: 'unnamed', setup: 'build@fake/m1', project, tool: 'bash', ok: true, at: '2026-03-01T10:00:00Z' })
  /** The fact as ingest stores it: its project as the hosts write one. */
  const stored = (spelt: string): Fact => checkHostFact(call(spelt))
  const spellings = ['/w/app/', '/w/app', '/w/x/../app', '/w/app', '/w/app/', '/w/app', '//w//app']

  it('derives each from the path as stored, so every spelling is the same fact, counted by its order', () => {
    const ids = new InputFactIds()
    const derived = spellings.map((spelt) => ids.idsOf(stored(spelt), { project: spelt, setup: 'build@fake/m1' }, true).id)
    const plain = new InputFactIds()
    expect(derived).toEqual(spellings.map(() => plain.idOf(call('/w/app'), true)))
  })

  it('gives, where it differs, the id an earlier release derived from the path as spelt, counted among the lines spelt alike', () => {
    const ids = new InputFactIds()
    const earlierRule = new InputFactIds()
    for (const spelt of spellings) {
      const { id, earlier } = ids.idsOf(stored(spelt), { project: spelt, setup: 'build@fake/m1' }, true)
      const before = earlierRule.idOf(call(spelt), true)
      // A line spelt as stored gets its own id only: its earlier one could be the id this run gives an earlier line.
      if (spelt === stored(spelt).project) expect(earlier).toBeUndefined()
      else expect(earlier).toBe(before)
      expect(id).not.toBe(earlier)
    }
  })

  it('gives no second id for an input that spells every path as stored', () => {
    const ids = new InputFactIds()
    expect([1, 2].map(() => ids.idsOf(call('/w/app'), { project: '/w/app', setup: 'build@fake/m1' }, true).earlier)).toEqual([undefined, undefined])
  })

  it('gives, for a line whose setup id is decomposed (stored composed now), the id an earlier release derived from it as spelt', () => {
    const decomposed = 'build@\u00fc/m1'.normalize('NFD')
    const line = validateFact({ kind: 'tool_call', id: 'unnamed', setup: decomposed, project: '/w/app', tool: 'bash', ok: true, at: '2026-03-01T10:00:00Z' })
    const fact = checkHostFact(line)
    expect(fact.setup).toBe('build@\u00fc/m1')
    const { id, earlier } = new InputFactIds().idsOf(fact, { project: '/w/app', setup: decomposed }, true)
    expect(earlier).toBe(new InputFactIds().idOf(line, true))
    expect(id).toBe(new InputFactIds().idOf(fact, true))
  })
})
