import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { FilePosition } from '@agent-tracker/host-import/claude-code'
import { pendingFolder } from './pending-facts.js'
import { replaceFile } from '@agent-tracker/node-host/files'

/**
 * How far the usage hooks have counted each transcript into a database, so that the hook at the
 * end of a turn reads only what Claude Code wrote since: a small JSON file per transcript in
 * `<database>.pending/transcripts/`. A position is saved only once what was read before it is
 * kept — in the pending folder, whence the next write that succeeds takes it — and atomically (a
 * file renamed over the old one): a hook that dies in between leaves the older position, and
 * reading those lines again counts nothing twice (fact ids). Hooks running at once each save a
 * position they kept up to; whichever lands last is safe.
 * Positions of sessions that never ended (Claude Code killed) go after {@link STALE_AFTER_MS}.
 */
/** A position not written for this long belongs to a session that is over. */
const STALE_AFTER_MS = 30 * 24 * 60 * 60 * 1000

export class TranscriptReads {
  readonly folder: string

  /** The positions of the database at `databasePath`, beside its pending facts. */
  constructor(databasePath: string) {
    this.folder = join(pendingFolder(databasePath), 'transcripts')
  }

  /** Where the last read of `transcript` stopped; undefined when none is recorded or the record is unreadable (the transcript is then read whole). */
  from(transcript: string): FilePosition | undefined {
    let saved: unknown
    try {
      saved = JSON.parse(readFileSync(this.#file(transcript), 'utf8'))
    } catch {
      return undefined
    }
    if (typeof saved !== 'object' || saved === null) return undefined
    const { transcript: path, inode, offset, line, before } = saved as Record<string, unknown>
    if (path !== resolve(transcript) || typeof before !== 'string' || ![inode, offset, line].every((value) => Number.isSafeInteger(value) && (value as number) >= 0)) return undefined
    return { inode: inode as number, offset: offset as number, line: line as number, before }
  }

  /** Records where to go on reading `transcript` from, replacing the last record in one rename. */
  save(transcript: string, position: FilePosition): void {
    mkdirSync(this.folder, { recursive: true })
    replaceFile(this.#file(transcript), JSON.stringify({ transcript: resolve(transcript), ...position }))
    this.#forgetStale(Date.now() - STALE_AFTER_MS)
  }

  /** Removes the positions (and leftover temporary files) not written since `before`: a session that old is over, and read whole if resumed. */
  #forgetStale(before: number): void {
    for (const name of readdirSync(this.folder)) {
      const path = join(this.folder, name)
      try {
        if (statSync(path).mtimeMs < before) rmSync(path, { force: true })
      } catch {
        // Removed meanwhile by another hook.
      }
    }
  }

  /** Forgets a transcript whose session ended (a session resumed later is read whole once). */
  forget(transcript: string): void {
    rmSync(this.#file(transcript), { force: true })
  }

  #file(transcript: string): string {
    // The same file named two ways (a subagent's by SubagentStop, then found by SessionEnd) has one position.
    return join(this.folder, `${createHash('sha256').update(resolve(transcript)).digest('hex').slice(0, 32)}.json`)
  }
}
