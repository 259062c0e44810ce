import { readdirSync, utimesSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { TranscriptReads } from './transcript-reads.js'

const POSITION = { inode: 1, offset: 10, line: 2, before: 'x' }

describe('TranscriptReads', () => {
  it('forgets the position of a session not read for a month when it saves another, and keeps the rest', () => {
    const reads = new TranscriptReads(join(tempFolder(), 'tracker.lmdb'))
    reads.save('/tmp/old-session.jsonl', POSITION)
    const [old] = readdirSync(reads.folder)
    const monthAgo = new Date(Date.now() - 31 * 24 * 60 * 60 * 1000)
    utimesSync(join(reads.folder, old ?? ''), monthAgo, monthAgo)
    reads.save('/tmp/recent-session.jsonl', POSITION)
    reads.save('/tmp/today.jsonl', POSITION)
    expect(reads.from('/tmp/old-session.jsonl')).toBeUndefined()
    expect(reads.from('/tmp/recent-session.jsonl')).toEqual(POSITION)
    expect(reads.from('/tmp/today.jsonl')).toEqual(POSITION)
    expect(readdirSync(reads.folder)).toHaveLength(2)
  })
})
