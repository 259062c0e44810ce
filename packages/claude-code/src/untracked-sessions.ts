import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { replaceFile } from '@agent-tracker/node-host/files'
import type { HookInput } from './hook-input.js'
import { pendingFolder, sessionFileName } from './pending-facts.js'

/** A session the hooks saw work in but could not record, as `doctor` shows it. */
export interface UntrackedSession {
  readonly session: string
  readonly project: string
  /** When its first untracked call was seen. */
  readonly at: string
}

/** Notes older than this are of sessions long over: they are removed, and no longer shown. */
const SHOWN_FOR_MS = 30 * 24 * 60 * 60 * 1000

function folderOf(databasePath: string): string {
  return join(pendingFolder(databasePath), 'untracked')
}

/**
 * Notes, once per session, that a session's work could not be recorded: Claude Code wrote no
 * transcript (`claude -p --no-session-persistence`), and no hook input names the model, so there is
 * no setup to record it under. Kept beside the pending facts, a small file per session, for
 * `doctor` to say so rather than let the work go unseen. Never throws: it is only a note.
 */
export function noteUntrackedSession(databasePath: string, input: Pick<HookInput, 'session'>, project: string, now = new Date()): void {
  const folder = folderOf(databasePath)
  const file = join(folder, `${sessionFileName(input.session)}.json`)
  try {
    if (existsSync(file)) return
    mkdirSync(folder, { recursive: true })
    replaceFile(file, JSON.stringify({ session: input.session, project, at: now.toISOString() } satisfies UntrackedSession))
    for (const name of readdirSync(folder)) {
      const path = join(folder, name)
      if ((statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Infinity) < now.getTime() - SHOWN_FOR_MS) rmSync(path, { force: true })
    }
  } catch {
    // A note that cannot be written changes nothing for Claude Code.
  }
}

/** Whether the session is noted as untracked (see {@link noteUntrackedSession}): it writes no transcript. */
export function isUntrackedSession(databasePath: string, session: string): boolean {
  return existsSync(join(folderOf(databasePath), `${sessionFileName(session)}.json`))
}

/** The sessions noted as untracked in the last 30 days, newest first. */
export function untrackedSessions(databasePath: string, now = new Date()): UntrackedSession[] {
  const folder = folderOf(databasePath)
  let names: string[]
  try {
    names = readdirSync(folder)
  } catch {
    return []
  }
  const sessions = names.flatMap((name): UntrackedSession[] => {
    try {
      const saved = JSON.parse(readFileSync(join(folder, name), 'utf8')) as Partial<UntrackedSession>
      if (typeof saved.session !== 'string' || typeof saved.project !== 'string' || typeof saved.at !== 'string') return []
      return now.getTime() - Date.parse(saved.at) > SHOWN_FOR_MS ? [] : [{ session: saved.session, project: saved.project, at: saved.at }]
    } catch {
      return []
    }
  })
  return sessions.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
}
