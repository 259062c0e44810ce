import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { HookReply } from './hook-reply.js'
import { pendingFolder } from './pending-facts.js'
import { replaceFile } from '@agent-tracker/node-host/files'

/** What a detached hook that failed left for the user to see: when, at which event, and why. */
export interface DetachedFailure {
  readonly at: string
  readonly event: string
  readonly message: string
}

/**
 * Keeps word of how a hook run detached from Claude Code ended, beside the database's pending
 * facts: nobody reads such a run's output, so a failure (a full or unwritable database) is written
 * down for `doctor` to show, and a later success clears it. What the run did not write stays
 * pending (and its transcript unread) for the next one.
 */
export function recordDetachedOutcome(databasePath: string, event: string, reply: HookReply, now = new Date()): void {
  const file = failureFile(databasePath)
  if (reply.exitCode === 0 && (reply.stderr ?? '').trim() === '') {
    rmSync(file, { force: true })
    return
  }
  const message = (reply.stderr ?? '').trim().replace(/^agent-tracker:\s*/, '') || `it ended with exit code ${String(reply.exitCode)}`
  mkdirSync(pendingFolder(databasePath), { recursive: true })
  replaceFile(file, JSON.stringify({ at: now.toISOString(), event, message } satisfies DetachedFailure))
}

/** The last failure a detached hook recorded for the database, if its problem has not gone since. */
export function lastDetachedFailure(databasePath: string): DetachedFailure | undefined {
  try {
    const saved = JSON.parse(readFileSync(failureFile(databasePath), 'utf8')) as Partial<DetachedFailure>
    return typeof saved.at === 'string' && typeof saved.event === 'string' && typeof saved.message === 'string' ? { at: saved.at, event: saved.event, message: saved.message } : undefined
  } catch {
    return undefined
  }
}

function failureFile(databasePath: string): string {
  return join(pendingFolder(databasePath), 'detached-failure.json')
}
