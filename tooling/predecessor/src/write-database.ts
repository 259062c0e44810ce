import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** Which release of the predecessor's central database to write. */
export type CentralVersion = 'final' | 'm3'

/** Entries by sub-database name (`''`: the unnamed database of the per-project format), as `[key, value]` pairs. */
export type PredecessorEntries = Readonly<Record<string, readonly (readonly [string, unknown])[]>>

/** What the predecessor's code managed to do at a path. */
export interface PredecessorWrite {
  /** False when its `open` failed (it then ran with the database unavailable). */
  readonly available: boolean
  readonly problem?: string
}

const WRITER = fileURLToPath(new URL('./write-database.mjs', import.meta.url))

/**
 * Writes the predecessor's central database at `path` (its default was
 * `~/.config/opencode/agent-tracker.lmdb`): lmdb 3.5.1, `compression: true`, 512 MiB map,
 * `maxDbs: 10`, one sub-database per record kind with `sharedStructuresKey`. `m3` is the commit that
 * introduced the central path (five sub-databases, the path created as a folder); `final` its last
 * commit (seven sub-databases). Runs in a child process.
 */
export function writePredecessorCentralDatabase(path: string, entries: PredecessorEntries, version: CentralVersion = 'final'): PredecessorWrite {
  return runWriter({ path, format: 'central', version, entries })
}

/**
 * Writes the predecessor's per-project database at `path`: lmdb 3.5.1, `compression: true`, one
 * unnamed database with `agent:`, `commit:` and `communication:` keys. Runs in a child process.
 */
export function writePredecessorProjectDatabase(path: string, entries: readonly (readonly [string, unknown])[]): PredecessorWrite {
  return runWriter({ path, format: 'project', version: 'final', entries: { '': entries } })
}

function runWriter(spec: Record<string, unknown>): PredecessorWrite {
  const input = JSON.stringify(spec, function replacer(this: Record<string, unknown>, key) {
    // JSON.stringify calls toJSON on Dates before the replacer sees them: look at the holder.
    const original = this[key]
    return original instanceof Date ? { $date: original.toISOString() } : original
  })
  const output = execFileSync(process.execPath, [WRITER], { input, encoding: 'utf8' })
  return JSON.parse(output) as PredecessorWrite
}
