import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Fact } from '@agent-tracker/core/host'

/** The folder beside a database where its Claude Code hooks keep what waits for the next flush. */
export function pendingFolder(databasePath: string): string {
  return `${databasePath}.pending`
}

/** A session id as a file name: what a file name cannot hold (or would read as a path) turned to `_`; never `~`. */
export function sessionFileName(session: string): string {
  return session.replace(/[^\w.-]/g, '_')
}

/** What waits in the pending folder of the database at `databasePath` (see {@link PendingFacts.waiting}). */
export function waitingFacts(databasePath: string): WaitingFacts {
  return new PendingFacts(databasePath).waiting()
}

/**
 * Facts the tool hooks recorded and the next flush writes. Claude Code runs a process per hook, so
 * the write buffer every host keeps in memory is a folder of JSON-lines files here: a tool hook
 * appends to its session's file (no database opened), and the hooks at a turn's end (Stop), a
 * session's end, a push or a user command take every file and write its facts in one transaction.
 * A tracker that could not write its pending facts at its exit keeps them here too, and every
 * tracker's flush takes the folder (see `Tracker.flush`).
 * A file stays until its facts are written, so what a failed write could not store waits for the
 * next hook that writes, whichever session that is. Fact ids make a file written twice (a flush
 * that failed half-way) count once.
 */
export class PendingFacts {
  readonly folder: string

  /** The pending facts of the database at `databasePath`, beside it. */
  constructor(databasePath: string) {
    this.folder = pendingFolder(databasePath)
  }

  /**
   * Adds facts as a file of their own, written whole under a name no take looks at and then renamed
   * in. Appending to one file per session raced a take: a hook that opened the file before another
   * renamed it away could write after that one read it, into a file then removed unread.
   */
  add(session: string, facts: readonly Fact[]): void {
    if (facts.length === 0) return
    addedHere += 1
    const name = join(this.folder, `${sessionFileName(session)}${SESSION_END}${String(process.pid)}-${String(Date.now())}-${String(addedHere)}`)
    try {
      mkdirSync(this.folder, { recursive: true })
      writeFileSync(`${name}.part`, facts.map((fact) => `${JSON.stringify(fact)}\n`).join(''), { flag: 'wx' })
      renameSync(`${name}.part`, `${name}.jsonl`)
    } catch (error) {
      try {
        rmSync(`${name}.part`, { force: true })
      } catch {
        // Nothing was written there.
      }
      const code = (error as NodeJS.ErrnoException).code
      const why = code === 'EACCES' || code === 'EPERM' ? 'it is not writable for you' : code === 'ENOSPC' ? 'the disk is full' : code === 'EROFS' ? 'it is on a read-only file system' : (error as Error).message
      throw new Error(`could not keep ${String(facts.length)} fact${facts.length === 1 ? '' : 's'} of this session for the database, which are lost: the folder ${this.folder}, where the hooks keep facts until they are written, cannot be written (${why}). Make it writable; agent-tracker doctor checks the database and its folder.`, { cause: error })
    }
  }

  /**
   * What waits to be written: the facts of a turn still running (its session's file), and those a
   * write that failed left behind (taken files; also, for a moment, those of a write under way),
   * with the time the oldest file was last written; in all, and apart for Claude Code's hooks and
   * for what a tracker kept at its exit.
   */
  waiting(): WaitingFacts {
    let names: string[]
    try {
      names = readdirSync(this.folder)
    } catch {
      return { ...NOTHING_WAITING, fromHooks: NOTHING_WAITING, keptAtExit: NOTHING_WAITING }
    }
    const hooks = new WaitingCount()
    const kept = new WaitingCount()
    for (const name of names) {
      // Kept at a tracker's exit: a write that could not be made, as a taken file is.
      const keptAtExit = name.startsWith(`${KEPT_AT_EXIT}${SESSION_END}`)
      const taken = name.endsWith('.taken') || keptAtExit
      if (!taken && !name.endsWith('.jsonl')) continue
      let lines: number
      let written: number
      try {
        const file = join(this.folder, name)
        lines = readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '').length
        written = statSync(file).mtimeMs
      } catch {
        // Written and removed meanwhile.
        continue
      }
      const share = keptAtExit ? kept : hooks
      share.count(sessionOf(name), lines, taken, written)
    }
    const fromHooks = hooks.result()
    const keptAtExit = kept.result()
    const oldest = Math.min(fromHooks.since?.getTime() ?? Infinity, keptAtExit.since?.getTime() ?? Infinity)
    return {
      facts: fromHooks.facts + keptAtExit.facts,
      unwritten: fromHooks.unwritten + keptAtExit.unwritten,
      sessions: fromHooks.sessions + keptAtExit.sessions,
      since: oldest === Infinity ? undefined : new Date(oldest),
      fromHooks,
      keptAtExit,
    }
  }

  /** The facts every file holds now — those a write has taken too — without taking them (a user command reads them). */
  read(): unknown[] {
    let names: string[]
    try {
      names = readdirSync(this.folder)
    } catch {
      return []
    }
    return readFacts(names.filter((name) => name.endsWith('.jsonl') || name.endsWith('.taken')).map((name) => join(this.folder, name)))
  }

  /**
   * Takes every file (renamed first, so hooks running meanwhile start new ones), with files a flush
   * that failed left behind; `done` removes them once their facts are written.
   */
  take(): { facts: unknown[]; done: () => void } {
    let names: string[]
    try {
      names = readdirSync(this.folder)
    } catch {
      return { facts: [], done: () => undefined }
    }
    const taken: string[] = []
    for (const name of names) {
      const from = join(this.folder, name)
      if (name.endsWith('.taken')) {
        taken.push(from)
        continue
      }
      if (!name.endsWith('.jsonl')) continue
      const to = `${from}.${String(process.pid)}.${String(Date.now())}.taken`
      try {
        renameSync(from, to)
        taken.push(to)
      } catch {
        // Another hook took it first.
      }
    }
    const facts = readFacts(taken)
    return { facts, done: () => {
      for (const file of taken) rmSync(file, { force: true })
    } }
  }
}

/** The facts of pending files, one JSON value a line; a line that is no JSON (cut off), or a file gone meanwhile, gives none. */
function readFacts(files: readonly string[]): unknown[] {
  return files.flatMap((file) => {
    try {
      return readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '').flatMap((line) => {
        try {
          return [JSON.parse(line) as unknown]
        } catch {
          return []
        }
      })
    } catch {
      return []
    }
  })
}

/** The name a tracker keeps what its exit could not write under (see `Tracker`), where Claude Code's hooks name a session. */
export const KEPT_AT_EXIT = 'kept-at-exit'

/** Where a pending file's name leaves its session's (`<session>~<pid>-<time>-<n>.jsonl`; a session's name never holds `~`). */
const SESSION_END = '~'

/** Files this process added: with its pid and the time, a name no other add takes. */
let addedHere = 0

/** The session of a pending file (one an earlier version wrote is `<session>.jsonl`). */
function sessionOf(name: string): string {
  const end = name.indexOf(SESSION_END)
  return name.slice(0, end >= 0 ? end : name.indexOf('.jsonl'))
}

/** What waits in a database's pending folder, or a share of it. */
export interface WaitingShare {
  /** Facts waiting. */
  readonly facts: number
  /** Of them, those a write took and did not store (it failed, or is under way), and those a tracker kept at its exit. */
  readonly unwritten: number
  /** The sessions they come from (those kept at a tracker's exit count as one). */
  readonly sessions: number
  /** When the oldest waiting file was last written. */
  readonly since: Date | undefined
}

/**
 * What waits in a database's pending folder: in all, and apart by who left it there — Claude Code's
 * hooks, or a tracker (the OpenCode plugin's, the CLI's) that could not write at its exit. doctor
 * names them apart: facts a tracker kept are no sign of Claude Code at all.
 */
export interface WaitingFacts extends WaitingShare {
  /** What Claude Code's hooks read and left for a write. */
  readonly fromHooks: WaitingShare
  /** What a tracker could not write at its exit (see {@link KEPT_AT_EXIT}). */
  readonly keptAtExit: WaitingShare
}

const NOTHING_WAITING: WaitingShare = { facts: 0, unwritten: 0, sessions: 0, since: undefined }

/** Counts pending files into a {@link WaitingShare}. */
class WaitingCount {
  #facts = 0
  #unwritten = 0
  #since: number | undefined
  readonly #sessions = new Set<string>()

  /** Counts a file of `session` holding `lines` facts, last written at `written` (ms); `taken`: no write stored them. */
  count(session: string, lines: number, taken: boolean, written: number): void {
    this.#facts += lines
    if (taken) this.#unwritten += lines
    this.#since = Math.min(this.#since ?? Infinity, written)
    this.#sessions.add(session)
  }

  result(): WaitingShare {
    return { facts: this.#facts, unwritten: this.#unwritten, sessions: this.#sessions.size, since: this.#since === undefined ? undefined : new Date(this.#since) }
  }
}
