import type { Mutable } from '../mutable.js'
import type { CountedRecord } from '../rollups/usage-rollup.js'
import { NO_GRADES, countInRollup, emptyUsage } from '../rollups/usage-rollup.js'
import type { CollectionName, UsageRecord } from '../store/records.js'
import { recordSlot } from '../store/records.js'
import type { RecordQuery, TrackerStore } from '../store/tracker-store.js'
import { toIsoTimestamp } from '../time/iso-timestamp.js'

/** Which day rollups to read: a setup, a project, a time window; each optional. */
export interface RollupScope {
  readonly setup?: string | undefined
  readonly project?: string | undefined
  readonly since?: string | undefined
  readonly until?: string | undefined
}

const DAY_MS = 86_400_000

/**
 * The day rollups in a scope, exact at the window's edges: a day wholly inside the window counts
 * as stored; on a day the window cuts, its commits, bugs and grades are counted again from that
 * day's records inside the window (tool calls, tokens and cost are only kept per day, so a cut
 * day keeps all of them, as it always did). Reads O(setups × projects × days) rollups, and the
 * events of at most two days.
 * @throws {TrackerError} INVALID_TIMESTAMP for a bad window.
 */
export async function windowRollups(store: TrackerStore, scope: RollupScope): Promise<UsageRecord[]> {
  const since = scope.since === undefined ? undefined : toIsoTimestamp(scope.since, 'since')
  const until = scope.until === undefined ? undefined : toIsoTimestamp(scope.until, 'until')
  const narrow = { ...(scope.setup === undefined ? {} : { setup: scope.setup }), ...(scope.project === undefined ? {} : { project: scope.project }) }
  const rollups = await store.find('usage', { ...narrow, ...(since === undefined ? {} : { since }), ...(until === undefined ? {} : { until }), order: 'any' })
  const cutDays = [since, until].flatMap((edge) => (edge === undefined || edge.endsWith('T00:00:00.000Z') ? [] : [edge.slice(0, 10)]))
  if (cutDays.length === 0) return rollups
  const recounted = new Map<string, Mutable<UsageRecord>>()
  const bySlot = new Map(rollups.map((rollup) => [recordSlot('usage', [rollup.setup, rollup.project, rollup.day]), rollup]))
  for (const day of new Set(cutDays)) {
    for (const rollup of rollups) {
      if (rollup.day === day) recounted.set(recordSlot('usage', [rollup.setup, rollup.project, day]), { ...rollup, commits: 0, bugs: 0, grades: NO_GRADES })
    }
    const start = `${day}T00:00:00.000Z`
    const end = new Date(Date.parse(start) + DAY_MS).toISOString()
    const query: RecordQuery = { ...narrow, since: since !== undefined && since > start ? since : start, until: until !== undefined && until < end ? until : end, order: 'any' }
    const [commits, bugs, gradeEvents] = await Promise.all([store.findCommitRefs(query), store.find('bugs', query), store.find('gradeEvents', query)])
    const count = (collection: CollectionName, record: Pick<CountedRecord, 'setup' | 'project'>): void => {
      const slot = recordSlot('usage', [record.setup, record.project, day])
      let rollup = recounted.get(slot)
      if (rollup === undefined) {
        rollup = emptyUsage(record.setup, record.project, day)
        recounted.set(slot, rollup)
      }
      countInRollup(rollup, collection, record as CountedRecord)
    }
    for (const commit of commits) count('commits', commit)
    for (const bug of bugs) count('bugs', bug)
    for (const event of gradeEvents) count('gradeEvents', event)
  }
  for (const [slot, rollup] of recounted) bySlot.set(slot, rollup)
  return [...bySlot.values()]
}
