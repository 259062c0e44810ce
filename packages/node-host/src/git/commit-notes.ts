import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CommitNote } from './commit-watch.js'

/** How long a note waits for the hook after its call: a call that never ended (Claude Code killed) leaves one behind. */
const NOTE_KEPT_MS = 24 * 60 * 60 * 1000

/**
 * The notes taken before shell calls (see `noteCommitFolders`), kept between the hooks of a host
 * that runs a process per hook (Claude Code's PreToolUse and PostToolUse): a JSON file a call in
 * `folder`, taken (read and removed) by the hook after the call. Never throws: a note that could
 * not be kept or read leaves the hook after the call to find the call's commits by the time it
 * ran, as it does without one.
 */
export class CommitNotes {
  constructor(readonly folder: string) {}

  /** Keeps the note of call `callId`, and drops notes older than a day (of calls that never ended). */
  save(callId: string, note: CommitNote): void {
    const file = this.#fileOf(callId)
    const part = `${file}.${String(process.pid)}.part`
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        mkdirSync(this.folder, { recursive: true })
        writeFileSync(part, JSON.stringify(note))
        renameSync(part, file)
        break
      } catch {
        // The folder was removed as it emptied (see take): made again once.
        rmSync(part, { force: true })
      }
    }
    this.#dropStale()
  }

  /** The note of call `callId`, removed; undefined when there is none (no git commit, or the hook before the call did not run). */
  take(callId: string): CommitNote | undefined {
    const file = this.#fileOf(callId)
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch {
      return undefined
    }
    rmSync(file, { force: true })
    try {
      // Gone once empty, as the pending folder's other parts leave nothing behind.
      rmdirSync(this.folder)
    } catch {
      // Other notes wait there.
    }
    try {
      const note = JSON.parse(text) as unknown
      return isCommitNote(note) ? note : undefined
    } catch {
      return undefined
    }
  }

  #fileOf(callId: string): string {
    return join(this.folder, `${callId.replace(/[^\w.-]/g, '_')}.json`)
  }

  #dropStale(): void {
    try {
      const now = Date.now()
      for (const name of readdirSync(this.folder)) {
        const file = join(this.folder, name)
        if (now - statSync(file).mtimeMs > NOTE_KEPT_MS) rmSync(file, { force: true })
      }
    } catch {
      // Another hook dropped it first.
    }
  }
}

/** True for what {@link CommitNotes.save} wrote: folders, each a path and a noted reflog end. */
function isCommitNote(value: unknown): value is CommitNote {
  if (typeof value !== 'object' || value === null || !Array.isArray((value as { folders?: unknown }).folders)) return false
  return (value as { folders: unknown[] }).folders.every((entry) => Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'object' && entry[1] !== null && typeof (entry[1] as { end?: { size?: unknown } }).end?.size === 'number')
}
