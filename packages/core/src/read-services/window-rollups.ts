import type { Mutable } from '../mutable.js'
import type { CountedRecord } from '../rollups/usage-rollup.js'
import { NO_GRADES, countInRollup, emptyUsage, hasCounters } from '../rollups/usage-rollup.js'
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
 * A UTC day a time window cuts (its start or end falls inside the day) on which the work in scope
 * has tool calls, commands, pushes, messages, tokens or cost. Those are kept only per day, so on
 * such a day they count whole or not at all — unlike commits, bugs and grades, which are counted
 * from their records at their own time.
 */
export interface CutDay {
  /** The UTC day, `YYYY-MM-DD`. */
  readonly day: string
  /** True when the whole day's tool calls, tokens and cost count (its noon, UTC, falls inside the window); false when none do. */
  readonly counted: boolean
}

/**
 * Whether a day rollup's tool calls, commands, pushes, messages, tokens and cost count in a window:
 * they are kept per UTC day, so a day the window cuts counts them when its noon (UTC) falls inside
 * the window — the nearer of "all" and "none" for most of a day — and every day does without a window.
 * @throws {TrackerError} INVALID_TIMESTAMP for a bad window.
 */
export function countersCountIn(window: Pick<RollupScope, 'since' | 'until'>): (rollup: Pick<UsageRecord, 'day'>) => boolean {
  if (window.since === undefined && window.until === undefined) return () => true
  const since = window.since === undefined ? undefined : toIsoTimestamp(window.since, 'since')
  const until = window.until === undefined ? undefined : toIsoTimestamp(window.until, 'until')
  return (rollup) => {
    const noon = `${rollup.day}T12:00:00.000Z`
    return (since === undefined || noon >= since) && (until === undefined || noon < until)
  }
}

/**
 * The days a window cuts on which the rollups given (those of the setups a report shows) hold per-day counters,
 * oldest first, each with whether they count (see {@link countersCountIn}): what a report says so
 * that its tool calls and cost near the window's edges are read as whole days, not as exact.
 * @throws {TrackerError} INVALID_TIMESTAMP for a bad window.
 */
export function cutDaysOf(window: Pick<RollupScope, 'since' | 'until'>, rollups: readonly UsageRecord[]): CutDay[] {
  const edges = new Set(edgeDays(window))
  if (edges.size === 0) return []
  const counts = countersCountIn(window)
  const days = new Set(rollups.filter((rollup) => edges.has(rollup.day) && hasCounters(rollup)).map((rollup) => rollup.day))
  return [...days].sort().map((day) => ({ day, counted: counts({ day }) }))
}

/** The UTC days a window's edges fall inside. */
function edgeDays(window: Pick<RollupScope, 'since' | 'until'>): string[] {
  const since = window.since === undefined ? undefined : toIsoTimestamp(window.since, 'since')
  const until = window.until === undefined ? undefined : toIsoTimestamp(window.until, 'until')
  return daysCutBy(since, until)
}

/** The UTC days that window edges (canonical timestamps) fall inside: an edge at midnight, UTC, cuts none. */
function daysCutBy(...edges: readonly (string | undefined)[]): string[] {
  return edges.flatMap((edge) => (edge === undefined || edge.endsWith('T00:00:00.000Z') ? [] : [edge.slice(0, 10)]))
}

/**
 * The day rollups in a scope, exact at the window's edges: a day wholly inside the window counts
 * as stored; on a day the window cuts, its commits, bugs and grades are counted again from that
 * day's records inside the window (see {@link cutDayRollups}). Tool calls, tokens and cost are only
 * kept per day, so a cut day's rollup keeps all of them: a report counts them by
 * {@link countersCountIn} and says which days it counted so ({@link cutDaysOf}). Reads
 * O(setups × projects × days) rollups, and the events of at most two days.
 * @throws {TrackerError} INVALID_TIMESTAMP for a bad window.
 */
export async function windowRollups(store: TrackerStore, scope: RollupScope): Promise<UsageRecord[]> {
  const { since, until, narrow } = canonicalScope(scope)
  const rollups = await store.find('usage', { ...narrow, ...(since === undefined ? {} : { since }), ...(until === undefined ? {} : { until }), order: 'any' })
  const recounted = await cutDayRollups(store, scope, rollups)
  if (recounted.size === 0) return rollups
  const bySlot = new Map(rollups.map((rollup) => [recordSlot('usage', [rollup.setup, rollup.project, rollup.day]), rollup]))
  for (const [slot, rollup] of recounted) bySlot.set(slot, rollup)
  return [...bySlot.values()]
}

/**
 * The day rollups of the days a window cuts, in its scope, recounted (see {@link windowRollups}),
 * by slot (`recordSlot('usage', …)`): the stored rollups of those days with their commits, bugs and
 * grades counted again from the records inside the window, and a rollup of its own for a setup and
 * project with such records on such a day but no stored rollup. Reads the rollups and the events of
 * at most two days, however long the window: what a streamed read of a window's rollups puts in
 * place of the stored ones on those days. Empty for a window that cuts no day. `windowRead`: the
 * window's rollups in the same scope, when the caller has read them, so that they are not read again.
 * @throws {TrackerError} INVALID_TIMESTAMP for a bad window.
 */
export async function cutDayRollups(store: TrackerStore, scope: RollupScope, windowRead?: readonly UsageRecord[]): Promise<Map<string, UsageRecord>> {
  const { since, until, narrow } = canonicalScope(scope)
  const recounted = new Map<string, Mutable<UsageRecord>>()
  for (const day of new Set(daysCutBy(since, until))) {
    const start = `${day}T00:00:00.000Z`
    const end = new Date(Date.parse(start) + DAY_MS).toISOString()
    // The day's rollups: among the window's when the caller read them (a store may read every rollup
    // to answer a window), else read: a day matches a window it overlaps, and [start, end) that day alone.
    for (const rollup of windowRead ?? await store.find('usage', { ...narrow, since: start, until: end, order: 'any' })) {
      if (rollup.day === day) recounted.set(recordSlot('usage', [rollup.setup, rollup.project, day]), { ...rollup, commits: 0, bugs: 0, grades: NO_GRADES })
    }
    await countDayRecords(store, { since, until, narrow }, day, (record) => {
      const slot = recordSlot('usage', [record.setup, record.project, day])
      let rollup = recounted.get(slot)
      if (rollup === undefined) {
        rollup = emptyUsage(record.setup, record.project, day)
        recounted.set(slot, rollup)
      }
      return rollup
    })
  }
  return recounted
}

/**
 * Counts the commits, bugs and grade events of one UTC day that fall inside a window (canonical, see
 * {@link canonicalScope}) and its narrowing, each into the rollup `into` gives for it (see `countInRollup`).
 */
export async function countDayRecords(store: TrackerStore, window: ReturnType<typeof canonicalScope>, day: string, into: (record: Pick<CountedRecord, 'setup' | 'project' | 'at'>) => Mutable<UsageRecord>): Promise<void> {
  const { since, until, narrow } = window
  const start = `${day}T00:00:00.000Z`
  const end = new Date(Date.parse(start) + DAY_MS).toISOString()
  const query: RecordQuery = { ...narrow, since: since !== undefined && since > start ? since : start, until: until !== undefined && until < end ? until : end, order: 'any' }
  const [commits, bugs, gradeEvents] = await Promise.all([store.findCommitRefs(query), store.find('bugs', query), store.find('gradeEvents', query)])
  const count = (collection: CollectionName, record: Pick<CountedRecord, 'setup' | 'project' | 'at'>): void => {
    countInRollup(into(record), collection, record as CountedRecord)
  }
  for (const commit of commits) count('commits', commit)
  for (const bug of bugs) count('bugs', bug)
  for (const event of gradeEvents) count('gradeEvents', event)
}

/** A rollup scope's window as canonical timestamps, and its setup and project as a query's. */
export function canonicalScope(scope: RollupScope): { since: string | undefined; until: string | undefined; narrow: Pick<RecordQuery, 'setup' | 'project'> } {
  return {
    since: scope.since === undefined ? undefined : toIsoTimestamp(scope.since, 'since'),
    until: scope.until === undefined ? undefined : toIsoTimestamp(scope.until, 'until'),
    narrow: { ...(scope.setup === undefined ? {} : { setup: scope.setup }), ...(scope.project === undefined ? {} : { project: scope.project }) },
  }
}
