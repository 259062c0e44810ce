import type { Fact } from '@agent-tracker/core'
import { createFactScript } from '@agent-tracker/core/testing'
import { open } from 'lmdb'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import type { StoredFactBatch, StoredFactBatch1 } from './fact-log-codec.js'
import { decodeFactBatch, encodeFactBatch, packNumbers, unpackNumbers } from './fact-log-codec.js'
import { STRUCTURES_KEY } from './layout.js'

function mixedFacts(): Fact[] {
  const s = createFactScript({ setup: 'build@fake/m1', project: '/w/a', session: 'ses_1', start: '2026-02-01T10:00:00.000Z' })
  const t = createFactScript({ setup: 'plan@fake/m2', project: '/w/b', start: '2026-02-01T09:00:00.000Z' })
  return [
    s.toolCall('bash', false, 2), s.toolCall('read'), t.toolCall('edit'), s.toolCall('bash', true, 0), s.commit('c1', 'add'), s.grade('c1', { by: 'user', userGrade: 5, agentGrade: 2, userNote: 'good' }),
    t.bug('agent', 'oops', 'c1'), t.retrospective('c1', { task: 'x', extra: { sp_before: 1.5, nested: { a: [1, 2] } } }), s.activity('task'), s.usage({ input: 10, cacheRead: 3 }, 0.25),
    t.push('origin', 'main'), t.reinstate(), s.command('grade'), { ...s.toolCall('bash', false, -9), id: 'ids can be anything: ünïcödé 🚀, \n and all' },
  ]
}

/** A batch as the fact-log table stores and reads it back (msgpack with shared structures). */
function throughLmdb(batch: StoredFactBatch): StoredFactBatch {
  const root = open({ path: `${tempFolder()}/codec.lmdb`, noSubdir: true, maxDbs: 2 })
  const table = root.openDB<StoredFactBatch>({ name: 'facts', sharedStructuresKey: STRUCTURES_KEY })
  table.putSync(1, batch)
  const read = table.get(1)
  void root.close()
  if (read === undefined) throw new Error('the batch was not stored')
  return read
}

describe('a fact-log batch', () => {
  it('gives back every fact field for field, through the fact-log table, keeping repeated strings once', () => {
    const facts = mixedFacts()
    const batch = encodeFactBatch(facts)
    expect(decodeFactBatch(throughLmdb(batch))).toEqual(facts)
    expect(decodeFactBatch(structuredClone(batch))).toEqual(facts)
    expect(batch.strings.filter((text) => text === 'build@fake/m1')).toHaveLength(1)
    // Only the facts that are not tool calls keep an object of their own.
    expect(batch.rest).toHaveLength(facts.filter((fact) => fact.kind !== 'tool_call').length)
    expect(decodeFactBatch(encodeFactBatch([]))).toEqual([])
  })

  it('encodes as a few strings and byte arrays, whatever the number of facts', () => {
    const s = createFactScript({ setup: 'build@fake/m1', project: '/w/a', session: 'ses_1' })
    const facts = Array.from({ length: 3000 }, (_, i) => s.toolCall(i % 2 === 0 ? 'bash' : 'read', i % 7 !== 0))
    const batch = encodeFactBatch(facts)
    expect(typeof batch.ids).toBe('string')
    for (const column of [batch.idLengths, batch.at, batch.setup, batch.session, batch.tool, batch.ok]) expect(column).toBeInstanceOf(Uint8Array)
    expect(batch.rest).toEqual([])
    expect(decodeFactBatch(throughLmdb(batch))).toEqual(facts)
  })

  it('keeps every time to the millisecond, across minutes, hours, days, years and a leap day', () => {
    const times = ['2026-12-31T23:59:59.999Z', '2027-01-01T00:00:00.000Z', '2027-01-01T00:00:00.001Z', '2027-01-01T00:00:59.400Z', '2027-01-01T00:01:00.000Z', '2024-02-29T12:34:56.789Z', '2027-01-01T00:00:30.050Z', '1999-12-31T23:59:59.000Z']
    const s = createFactScript({ setup: 'build@fake/m1', project: '/w/a' })
    const facts = times.map((at) => ({ ...s.toolCall('bash'), at }))
    const batch = encodeFactBatch(facts)
    expect(decodeFactBatch(throughLmdb(batch)).map((fact) => fact.at)).toEqual(times)
    expect(batch.start).toBe(Date.parse('1999-12-31T23:59:59.000Z'))
  })

  it('lays out each column byte for byte as layout 2 says: stored batches stay readable by every release', () => {
    const base = { setup: 'build@fake/m1', project: '/w/a', kind: 'tool_call', tool: 'bash' } as const
    const facts: Fact[] = [
      { ...base, id: 'a', at: '2026-01-01T00:00:00.000Z', ok: true, session: 's1' },
      { ...base, id: 'bb', at: '2026-01-01T00:00:00.300Z', ok: false, exitCode: 2, session: 's1' },
      { ...base, id: 'ccc', at: '2026-01-01T00:01:05.000Z', ok: true, project: '/w/b' },
      { id: 'd', at: '2026-01-01T00:00:00.001Z', setup: 'build@fake/m1', project: '/w/a', kind: 'commit', hash: 'h1', message: 'm' },
    ]
    const [first] = facts as [Fact]
    const batch = encodeFactBatch(facts)
    expect(batch.strings).toEqual(['build@fake/m1', '/w/a', 's1', 'tool_call', 'bash', '/w/b', 'commit'])
    expect(batch.ids).toBe('abbcccd')
    expect(batch.start).toBe(Date.parse('2026-01-01T00:00:00.000Z'))
    expect([...batch.idLengths]).toEqual([1, 1, 2, 3, 1])
    // 65,000 ms needs two bytes a value, little-endian.
    expect([...batch.at]).toEqual([2, 0, 0, 44, 1, 232, 253, 1, 0])
    expect([...batch.setup]).toEqual([1, 0, 0, 0, 0])
    expect([...batch.project]).toEqual([1, 1, 1, 5, 1])
    expect([...batch.session]).toEqual([1, 3, 3, 0, 0])
    expect([...batch.kind]).toEqual([1, 3, 3, 3, 6])
    expect([...batch.tool]).toEqual([1, 5, 5, 5, 0])
    expect([...batch.ok]).toEqual([1, 1, 2, 1, 4])
    expect(batch.exitCodes).toEqual([2])
    expect(batch.rest).toEqual([{ hash: 'h1', message: 'm' }])
    // Four and eight bytes a value: a batch spanning more than 65 seconds, and more than seven weeks.
    expect([...encodeFactBatch([first, { ...base, id: 'e', ok: true, at: '2026-01-01T01:00:00.000Z' }]).at]).toEqual([4, 0, 0, 0, 0, 128, 238, 54, 0])
    const far = encodeFactBatch([first, { ...base, id: 'f', ok: true, at: '2026-03-01T00:00:00.000Z' }]).at
    expect(far[0]).toBe(8)
    expect(new DataView(far.buffer, far.byteOffset + 9).getFloat64(0, true)).toBe(Date.parse('2026-03-01T00:00:00.000Z') - Date.parse('2026-01-01T00:00:00.000Z'))
  })

  it('still reads layout 1, as the first schema-2 databases hold it', () => {
    const [toolCall, commit] = [createFactScript({ setup: 'build@fake/m1', project: '/w/a', session: 'ses_1' }).toolCall('bash', false, 1), createFactScript({ setup: 'build@fake/m1', project: '/w/a' }).commit('c1', 'add')]
    const layout1: StoredFactBatch1 = {
      v: 1, strings: ['build@fake/m1', '/w/a', 'ses_1', 'tool_call', 'bash', 'commit'], id: [toolCall.id, commit.id], start: Date.parse(toolCall.at), at: [0, Date.parse(commit.at) - Date.parse(toolCall.at)],
      setup: [0, 0], project: [1, 1], session: [2, -1], kind: [3, 5], tool: [4, -1], ok: [0, -1], exitCode: [1, null], rest: [null, { hash: 'c1', message: 'add' }],
    }
    expect(decodeFactBatch(throughLmdb(layout1))).toEqual([toolCall, commit])
  })

  it('refuses a layout it does not know, naming it', () => {
    expect(() => decodeFactBatch({ v: 3 } as unknown as StoredFactBatch)).toThrow(/layout 3.*layouts 1 and 2/)
  })
})

describe('packed numbers', () => {
  it('take the fewest bytes per value that hold the largest, and come back the same', () => {
    for (const [values, width] of [[[], 1], [[0, 255], 1], [[256, 3], 2], [[65_536], 4], [[2 ** 32 - 1], 4], [[2 ** 32, 1], 8], [[Date.parse('2026-01-01T00:00:00.000Z')], 8]] as const) {
      const bytes = packNumbers(values)
      expect(bytes[0]).toBe(width)
      expect(bytes).toHaveLength(1 + width * values.length)
      expect(unpackNumbers(bytes)).toEqual(values)
      // Read back from an odd offset, as a stored value may sit in a larger buffer.
      const shifted = new Uint8Array(bytes.length + 1)
      shifted.set(bytes, 1)
      expect(unpackNumbers(shifted.subarray(1))).toEqual(values)
    }
  })

  it('refuses what would not come back as given, and bytes no packing gives', () => {
    for (const value of [-1, 1.5, Number.NaN, 2 ** 53]) expect(() => packNumbers([3, value]), String(value)).toThrow(RangeError)
    expect(() => unpackNumbers(Uint8Array.of(3, 1, 2, 3))).toThrow(/damaged: a column of 4 bytes with width 3/)
    expect(() => unpackNumbers(Uint8Array.of(2, 1, 2, 3))).toThrow(/damaged/)
    expect(() => unpackNumbers(new Uint8Array(0))).toThrow(/damaged/)
  })
})
