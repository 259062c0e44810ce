import { describe, expect, it } from 'vitest'
import type { ActivityRecord } from '../store/records.js'
import { entriesOf, shownHits, startPriorArtSearch } from './prior-art.js'
import type { DigestedEntry } from './search-digest.js'
import { digestProblem, hashOf, readDigest, searchDigest } from './search-digest.js'

const activity = (actions: string): ActivityRecord => ({ v: 1, id: 'a1', setup: 'build@p/m', project: '/w/shop', at: '2026-03-01T09:00:00.000Z', task: 'long log', actions, outcome: 'done', decisions: '' })

describe('searchDigest', () => {
  it('keeps every word of a long text: a word after the first 65,535 is found too', () => {
    const record = activity(`${'ok '.repeat(70_000)}zebraword`)
    const digest = searchDigest('activities', record)
    // long, log, 70,000 × ok, zebraword, done.
    expect(readDigest(digest).firstCount).toBe(70_004)
    const entry: DigestedEntry = { digest, key: () => ['build@p/m', record.at, 'a1'], at: () => record.at }
    const search = startPriorArtSearch('zebraword', { retrospectives: [], activities: [entry], commits: [], bugs: [] })
    search.scan(0, search.size)
    expect(search.ranked().patterns).toHaveLength(1)
    // The same from the record itself.
    const direct = startPriorArtSearch('zebraword', entriesOf({ retrospectives: [], activities: [record], commits: [], bugs: [] }))
    direct.scan(0, direct.size)
    expect(shownHits(direct.ranked()).patterns.map((hit) => hit.title)).toEqual(['long log'])
  })

  it('holds its project as a hash, and says what is wrong with bytes that are no digest', () => {
    const digest = searchDigest('activities', activity('retry the webhook'))
    expect(readDigest(digest).projectLink).toBe(hashOf('/w/shop'))
    expect(digestProblem(digest)).toBeUndefined()
    expect(digestProblem(digest.subarray(0, digest.length - 1))).toBe(`a search digest of ${String(digest.length - 1)} bytes lists 5 words`)
    const garbled = Uint8Array.from(digest)
    garbled[0] = 7
    expect(digestProblem(garbled)).toBe(`a search digest of ${String(digest.length)} bytes is not of format 1`)
    expect(() => readDigest(garbled)).toThrow(RangeError)
  })
})
