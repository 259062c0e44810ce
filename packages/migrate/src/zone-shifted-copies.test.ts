import type { ActivityRecord } from '@agent-tracker/core'
import { createMemoryStore } from '@agent-tracker/core/testing'
import { describe, expect, it } from 'vitest'
import { withoutZoneShiftedCopies } from './zone-shifted-copies.js'

const activity = (index: number, at: string): ActivityRecord => ({
  v: 1, id: `legacy-activity-${String(index)}`, setup: 'build', project: '/p', at, task: `entry ${String(index)}`, actions: '', outcome: '', decisions: '',
})

describe('withoutZoneShiftedCopies', () => {
  it('leaves out the entries the store holds at another time less than a day away, and keeps the rest', async () => {
    const store = createMemoryStore()
    await store.importRecords({ activities: [activity(1, '2026-02-23T17:05:00.000Z'), activity(2, '2026-02-23T18:00:00.000Z')] })
    // Entry 1 read an hour earlier in another zone; entry 2 as stored; entry 3 new.
    const batch = { activities: [activity(1, '2026-02-23T18:05:00.000Z'), activity(2, '2026-02-23T18:00:00.000Z'), activity(3, '2026-02-24T09:00:00.000Z')] }
    const { batch: kept, dropped } = await withoutZoneShiftedCopies(store, batch)
    expect([dropped, kept.activities?.map((record) => record.id)]).toEqual([1, ['legacy-activity-2', 'legacy-activity-3']])
  })

  it('takes a journal of 200,000 entries of one setup in one pass (spread into Math.min, it overflowed the stack)', async () => {
    const start = Date.UTC(2020, 0, 1)
    const activities = Array.from({ length: 200_000 }, (_, index) => activity(index, new Date(start + index * 60_000).toISOString()))
    const { batch, dropped } = await withoutZoneShiftedCopies(createMemoryStore(), { activities })
    expect([dropped, batch.activities?.length]).toEqual([0, 200_000])
  })
})
