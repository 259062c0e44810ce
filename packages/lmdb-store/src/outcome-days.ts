import type { OutcomeDay, RecordKey, UsageRecord } from '@agent-tracker/core'
import { TrackerError, countsWork, outcomeDayFrom, outcomeDayMove, outcomeDayOf, outcomeNumbers } from '@agent-tracker/core'
import type { Database, Key } from 'lmdb'
import { OUTCOME_DAYS_KEY, fullKeyPart, keyPart, prefixRange, toLmdbKey } from './layout.js'
import type { QueryTables } from './record-queries.js'
import { DAY_TEXTS, dayNumber } from './day-numbers.js'

/**
 * A project's outcome days of one month (see `OutcomeDay`), as stored under `[project, 'YYYY-MM']`:
 * the setups that worked in the project that month, and one entry per day rollup of theirs — the
 * setup's place in `setups`, the day (days since 1970-01-01, UTC) and the outcome's numbers in the
 * order of `OUTCOME_FIELDS` — each setup's entries in time order. Numbers in one flat array decode
 * at a fraction of the cost of as many records.
 */
export type StoredOutcomeMonth = readonly [setups: readonly string[], entries: readonly number[]]

/** Numbers per entry of a {@link StoredOutcomeMonth}: the setup's place, the day, then the outcome's nine. */
const ENTRY = 11

/**
 * Keeps the outcome days in step with the day rollups one call of `putRecords` or `deleteRecords`
 * writes, inside its write transaction: each project's month is read once, changed by every
 * rollup of it, and written once by {@link write}. A rollup put over one with the same outcome
 * (tool calls and tokens alone moved) changes nothing here (see `outcomeDayMove`).
 */
export class OutcomeDaysInStep {
  readonly #db: QueryTables
  /** The months changed, by `project \0 month`: their key and entries by `setup \0 day`. */
  readonly #moved = new Map<string, { key: Key; entries: Map<string, OutcomeDay> }>()

  constructor(db: QueryTables) {
    this.#db = db
  }

  /** A rollup put over `previous` (undefined for a new one), or removed (`next` undefined). */
  move(previous: UsageRecord | undefined, next: UsageRecord | undefined): void {
    const rollup = next ?? previous
    const move = outcomeDayMove(previous, next)
    if (rollup === undefined || move === 'keep') return
    const month = this.#month(rollup.project, rollup.day.slice(0, 7))
    const slot = `${rollup.setup}\u0000${rollup.day}`
    if (move === 'remove') month.entries.delete(slot)
    else month.entries.set(slot, move)
  }

  /** Writes the months that changed; a month left without outcome days keeps no entry. */
  write(): void {
    if (this.#moved.size === 0) return
    const months = table(this.#db)
    for (const { key, entries } of this.#moved.values()) {
      if (entries.size === 0) months.removeSync(key)
      else months.putSync(key, storedMonth(entries.values()))
    }
    this.#moved.clear()
  }

  #month(project: string, month: string): { key: Key; entries: Map<string, OutcomeDay> } {
    const slot = `${project}\u0000${month}`
    let found = this.#moved.get(slot)
    if (found === undefined) {
      const key = toLmdbKey([project, month])
      const entries = new Map<string, OutcomeDay>()
      for (const day of this.#storedMonth(project, month, key)) entries.set(`${day.setup}\u0000${day.day}`, day)
      found = { key, entries }
      this.#moved.set(slot, found)
    }
    return found
  }

  /**
   * A month's outcome days as stored; one that cannot be read (a damaged file) is taken from the
   * day rollups of that project and month instead, as they stand in this transaction, so that a
   * damaged month never stops a write.
   */
  #storedMonth(project: string, month: string, key: Key): OutcomeDay[] {
    const stored = table(this.#db).get(key)
    if (stored === undefined) return []
    try {
      return outcomeDaysOfMonth(project, stored)
    } catch (error) {
      if (!(error instanceof TrackerError && error.code === 'DAMAGED_RECORD')) throw error
      const days: OutcomeDay[] = []
      for (const { value } of this.#db.tables.usage.getRange()) if (value.project === project && value.day.startsWith(month) && countsWork(value)) days.push(outcomeDayOf(value))
      return days
    }
  }
}

/**
 * Writes every outcome day again from the day rollups, replacing what was kept, and marks them
 * complete: for a database written before they existed, after an upgrade rewrote the rollups, and
 * when a repair found them off.
 */
export function rebuildOutcomeDays(db: QueryTables): void {
  const months = table(db)
  for (const key of [...months.getKeys()]) months.removeSync(key)
  const byMonth = new Map<string, { key: Key; days: OutcomeDay[] }>()
  for (const { value } of db.tables.usage.getRange()) {
    if (!countsWork(value)) continue
    const slot = `${value.project}\u0000${value.day.slice(0, 7)}`
    let month = byMonth.get(slot)
    if (month === undefined) {
      month = { key: toLmdbKey([value.project, value.day.slice(0, 7)]), days: [] }
      byMonth.set(slot, month)
    }
    month.days.push(outcomeDayOf(value))
  }
  for (const { key, days } of byMonth.values()) months.putSync(key, storedMonth(days))
  db.meta.putSync(OUTCOME_DAYS_KEY, 1)
}

/** Bytes an entry of a stored month takes at most: eleven numbers, nine bytes each. */
const ENTRY_BYTES = ENTRY * 9

/**
 * What writing the rollups under `keys` (`[setup, project, day]`) writes into the outcome days at
 * most, for the size limit (see `ensureRoomByPages`): each project's month they fall in, rewritten
 * whole — its stored bytes, an entry more per rollup and its setup's name.
 */
export function outcomeMonthWrites(db: QueryTables, keys: readonly RecordKey[]): { entries: number; bytes: number } {
  const months = new Set<string>()
  let bytes = 0
  for (const [setup = '', project = '', day = ''] of keys) {
    const slot = `${project}\u0000${day.slice(0, 7)}`
    if (!months.has(slot)) {
      months.add(slot)
      bytes += db.outcomeDays?.getBinaryFast(toLmdbKey([project, day.slice(0, 7)]))?.length ?? 0
    }
    bytes += ENTRY_BYTES + 5 + 3 * setup.length
  }
  return { entries: months.size, bytes }
}

/**
 * The stored outcome days of the `projects` given, or of every project (see
 * `TrackerStore.outcomeDays` for their order); undefined where a database written before them has
 * none yet (read-only).
 * @throws {TrackerError} DAMAGED_RECORD for a stored month that is not one.
 */
export function readOutcomeDays(db: QueryTables, projects?: readonly string[]): OutcomeDay[] | undefined {
  if (db.outcomeDays === undefined || db.outcomeDayValues === undefined || db.meta.get(OUTCOME_DAYS_KEY) === undefined) return undefined
  const days: OutcomeDay[] = []
  if (projects === undefined) {
    for (const { key, value } of db.outcomeDays.getRange()) outcomeDaysOfMonth(fullKeyPart(db.meta, (key as [string, string])[0]), value, days)
    return days
  }
  // In the order of the keys, as the rollups of each setup are: by the bytes of each project's key part.
  const ordered = [...new Set(projects)].map((project) => ({ project, part: Buffer.from(keyPart(project)) })).sort((a, b) => Buffer.compare(a.part, b.part))
  for (const { project } of ordered) {
    for (const { value } of db.outcomeDayValues.getRange(prefixRange([project]))) outcomeDaysOfMonth(project, value, days)
  }
  return days
}

/**
 * {@link readOutcomeDays} of every project for a repair: `'damaged'` when a stored month cannot be
 * read (the repair then writes them all again).
 */
export function readableOutcomeDays(db: QueryTables): OutcomeDay[] | undefined | 'damaged' {
  try {
    return readOutcomeDays(db)
  } catch (error) {
    if (error instanceof TrackerError && error.code === 'DAMAGED_RECORD') return 'damaged'
    throw error
  }
}

/**
 * A month's outcome days from its stored entries, each setup's in time order, added to `days`
 * (given: a recommendation reads thousands, and each month's own array would be copied again).
 */
function outcomeDaysOfMonth(project: string, stored: StoredOutcomeMonth, days: OutcomeDay[] = []): OutcomeDay[] {
  // What is read is checked as what it may be: bytes of a damaged file decode to anything.
  const setups: unknown = Array.isArray(stored) ? stored[0] : undefined
  const entries: unknown = Array.isArray(stored) ? stored[1] : undefined
  if (!Array.isArray(setups) || !Array.isArray(entries) || entries.length % ENTRY !== 0) throw damaged(project)
  const names = setups as readonly unknown[]
  const numbers = entries as readonly unknown[]
  for (let at = 0; at < numbers.length; at += ENTRY) {
    for (let field = at; field < at + ENTRY; field++) if (typeof numbers[field] !== 'number') throw damaged(project)
    const setup = names[numbers[at] as number]
    const day = numbers[at + 1] as number
    // Days a date can hold: ±100,000,000 days from 1970.
    if (typeof setup !== 'string' || !Number.isInteger(day) || Math.abs(day) > 1e8) throw damaged(project)
    days.push(outcomeDayFrom(setup, project, DAY_TEXTS.of(day), numbers as readonly number[], at + 2))
  }
  return days
}

/** A month's outcome days as stored: setup by setup, each one's days in time order. */
function storedMonth(days: Iterable<OutcomeDay>): StoredOutcomeMonth {
  const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
  const sorted = [...days].sort((a, b) => order(a.setup, b.setup) || order(a.day, b.day))
  const setups: string[] = []
  const entries: number[] = []
  for (const day of sorted) {
    if (setups.at(-1) !== day.setup) setups.push(day.setup)
    entries.push(setups.length - 1, dayNumber(day.day), ...outcomeNumbers(day))
  }
  return [setups, entries]
}

function damaged(project: string): TrackerError {
  return new TrackerError('DAMAGED_RECORD', `The stored outcome days of ${project} are not readable: the database file is probably damaged. agent-tracker doctor --repair writes them again from the day rollups.`)
}

function table(db: QueryTables): Database<StoredOutcomeMonth> {
  // Only a read-only open of an older file lacks it, and nothing is written there.
  if (db.outcomeDays === undefined) throw new Error('the outcome days are not open for writing')
  return db.outcomeDays
}
