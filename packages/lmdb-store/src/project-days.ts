import type { ProjectDayRecord, UsageRecord } from '@agent-tracker/core'
import { projectDayMove, projectDaySlot, projectDaysOfRollups } from '@agent-tracker/core'
import type { Database, Key } from 'lmdb'
import { PROJECT_DAYS_KEY, fullKeyPart, prefixRange, toLmdbKey } from './layout.js'
import type { QueryTables, StoredProjectDay } from './record-queries.js'
import { DAY_TEXTS, dayNumber } from './day-numbers.js'

/**
 * Keeps the project days in step with the day rollups one call of `putRecords` or `deleteRecords`
 * writes, inside its write transaction: each project's day is read once, moved by every rollup of
 * that project and day, and written once by {@link write} (removed when no rollup of it counts work).
 */
export class ProjectDaysInStep {
  readonly #db: QueryTables
  readonly #moved = new Map<string, { key: Key; day: number; rollups: number; commits: number }>()

  constructor(db: QueryTables) {
    this.#db = db
  }

  /** A rollup put over `previous` (undefined for a new one), or removed (`next` undefined). */
  move(previous: UsageRecord | undefined, next: UsageRecord | undefined): void {
    const rollup = next ?? previous
    if (rollup === undefined) return
    const { rollups, commits } = projectDayMove(previous, next)
    if (rollups === 0 && commits === 0) return
    const slot = projectDaySlot(rollup.project, rollup.day)
    let day = this.#moved.get(slot)
    if (day === undefined) {
      const key = toLmdbKey([rollup.project, rollup.day])
      const stored = table(this.#db).get(key)
      day = { key, day: dayNumber(rollup.day), rollups: stored?.[1] ?? 0, commits: stored?.[2] ?? 0 }
      this.#moved.set(slot, day)
    }
    day.rollups += rollups
    day.commits += commits
  }

  /** Writes the days that moved; a day no rollup counts work on keeps no entry. */
  write(): void {
    if (this.#moved.size === 0) return
    const days = table(this.#db)
    for (const { key, day, rollups, commits } of this.#moved.values()) {
      if (rollups > 0) days.putSync(key, [day, rollups, commits])
      else days.removeSync(key)
    }
    this.#moved.clear()
  }
}

/**
 * Adds up every day rollup again into the project days, replacing what they held, and marks them
 * complete: for a database written before they existed, after an upgrade rewrote the rollups, and
 * when a repair found them off.
 */
export function rebuildProjectDays(db: QueryTables): void {
  const days = table(db)
  for (const key of [...days.getKeys()]) days.removeSync(key)
  const rollups = db.tables.usage.getRange().map(({ value }) => value)
  for (const day of projectDaysOfRollups(rollups).values()) days.putSync(toLmdbKey([day.project, day.day]), [dayNumber(day.day), day.rollups, day.commits])
  db.meta.putSync(PROJECT_DAYS_KEY, 1)
}

/**
 * The stored days of work of `project` (a prefix range, its keys left undecoded), or of every
 * project; undefined where a database written before them has none yet (read-only).
 */
export function readProjectDays(db: QueryTables, project?: string): ProjectDayRecord[] | undefined {
  if (db.projectDays === undefined || db.projectDayValues === undefined || db.meta.get(PROJECT_DAYS_KEY) === undefined) return undefined
  const days: ProjectDayRecord[] = []
  if (project !== undefined) {
    for (const { value } of db.projectDayValues.getRange(prefixRange([project]))) days.push({ project, day: DAY_TEXTS.of(value[0]), rollups: value[1], commits: value[2] })
    return days
  }
  for (const { key, value } of db.projectDays.getRange()) {
    days.push({ project: fullKeyPart(db.meta, (key as [string, string])[0]), day: DAY_TEXTS.of(value[0]), rollups: value[1], commits: value[2] })
  }
  return days
}

function table(db: QueryTables): Database<StoredProjectDay> {
  // Only a read-only open of an older file lacks it, and nothing is written there.
  if (db.projectDays === undefined) throw new Error('the project days are not open for writing')
  return db.projectDays
}
