import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { locateDataFile } from './data-file.js'

/** What was found wrong with a database, and when: kept beside its data file until a deep check finds it intact. */
export interface DamageMark {
  readonly at: string
  readonly problem: string
}

/** The file beside the data file that remembers it was found damaged. */
export function damageMarkFile(path: string): string {
  return `${locateDataFile(path).dataFile}.damaged`
}

/** Remembers that the database at `path` was found damaged: writers refuse it until {@link clearDamage}. Never throws. */
export function markDamaged(path: string, problem: string, at: Date = new Date()): void {
  try {
    writeFileSync(damageMarkFile(path), `${JSON.stringify({ at: at.toISOString(), problem } satisfies DamageMark)}\n`)
  } catch {
    // A folder we cannot write to: the next open's own checks still run.
  }
}

/** The damage last found in the database at `path`, if it has not been cleared. */
export function damageMark(path: string): DamageMark | undefined {
  try {
    const mark = JSON.parse(readFileSync(damageMarkFile(path), 'utf8')) as Partial<DamageMark>
    return { at: String(mark.at), problem: String(mark.problem) }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
    return { at: 'unknown', problem: 'its damage mark is unreadable' }
  }
}

/** Forgets earlier damage (after a deep check found the database intact). */
export function clearDamage(path: string): void {
  rmSync(damageMarkFile(path), { force: true })
}
