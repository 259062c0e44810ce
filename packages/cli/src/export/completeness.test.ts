import { describe, expect, it } from 'vitest'
import { describeShortCollections, shortCollections } from './completeness.js'

const STORED = { setups: 2, projects: 1, commits: 288, retrospectives: 0, gradeEvents: 5, bugs: 31, activities: 0, usage: 4, evidence: 0 }

describe('shortCollections', () => {
  it('names the collections of the export holding fewer records than stored, and only those asked about', () => {
    const exported = new Map([['setups', 2], ['projects', 1], ['commits', 279], ['gradeEvents', 5], ['usage', 4]] as const)
    expect(shortCollections(exported, STORED, ['setups', 'projects', 'commits', 'retrospectives', 'gradeEvents', 'bugs', 'usage'])).toEqual([
      { collection: 'commits', exported: 279, stored: 288 },
      { collection: 'bugs', exported: 0, stored: 31 },
    ])
    expect(shortCollections(exported, STORED, ['setups'])).toEqual([])
  })

  it('finds nothing short in a whole export', () => {
    expect(shortCollections(new Map(Object.entries(STORED)) as never, STORED, Object.keys(STORED) as never)).toEqual([])
  })

  it('says it by collection', () => {
    expect(describeShortCollections([{ collection: 'commits', exported: 279, stored: 288 }, { collection: 'bugs', exported: 0, stored: 31 }])).toBe('commits: 279 of 288 records, bugs: 0 of 31 records')
  })
})
