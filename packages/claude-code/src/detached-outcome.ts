import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { HookReply } from './hook-reply.js'
import { pendingFolder } from './pending-facts.js'
import { replaceFile } from '@agent-tracker/node-host/files'

/** What a detached hook that failed left for the user to see: when, at which event, what failed, and why. */
export interface DetachedFailure {
  readonly at: string
  readonly event: string
  /**
   * What failed: the hook's own work (`hook`: the end of the turn is not recorded, what it read
   * waits for the next), or the search-index build it carries on after that work (`search-index
   * build`: the turn is recorded, and the next detached run goes on with the build).
   */
  readonly work: 'hook' | 'search-index build'
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
  if (succeeded(reply)) {
    rmSync(file, { force: true })
    return
  }
  const message = (reply.stderr ?? '').trim().replace(/^agent-tracker:\s*/, '') || `it ended with exit code ${String(reply.exitCode)}`
  writeFailure(databasePath, { at: now.toISOString(), event, work: 'hook', message })
}

/** Whether a hook run succeeded: exit code 0 and nothing said on stderr (what {@link recordDetachedOutcome} takes for a success). */
export function succeeded(reply: HookReply): boolean {
  return reply.exitCode === 0 && (reply.stderr ?? '').trim() === ''
}

/**
 * Keeps word of a search-index build that a detached hook run carried on after its own work (which
 * {@link recordDetachedOutcome} recorded) and that failed — a full database, say: its reason, for
 * `doctor` to show until a later run succeeds.
 */
export function recordSearchBuildFailure(databasePath: string, event: string, error: unknown, now = new Date()): void {
  writeFailure(databasePath, { at: now.toISOString(), event, work: 'search-index build', message: error instanceof Error ? error.message : String(error) })
}

/**
 * The last failure a detached hook recorded for the database, if its problem has not gone since;
 * with `since`, only one recorded then or later (what a write started then could have met, not an
 * older run's failure).
 */
export function lastDetachedFailure(databasePath: string, since?: Date): DetachedFailure | undefined {
  try {
    const saved = JSON.parse(readFileSync(failureFile(databasePath), 'utf8')) as Partial<DetachedFailure>
    if (typeof saved.at !== 'string' || typeof saved.event !== 'string' || typeof saved.message !== 'string') return undefined
    if (since !== undefined && !(Date.parse(saved.at) >= since.getTime())) return undefined
    // A failure written before the search-index build was carried on here names no work: the hook's.
    return { at: saved.at, event: saved.event, work: saved.work === 'search-index build' ? saved.work : 'hook', message: saved.message }
  } catch {
    return undefined
  }
}

function writeFailure(databasePath: string, failure: DetachedFailure): void {
  mkdirSync(pendingFolder(databasePath), { recursive: true })
  replaceFile(failureFile(databasePath), JSON.stringify(failure))
}

function failureFile(databasePath: string): string {
  return join(pendingFolder(databasePath), 'detached-failure.json')
}

const WORK_RECORDED = Symbol.for('@agent-tracker/claude-code/hook-work-recorded')

/**
 * Notes that this worker's own work (a detached hook's, a write of the pending facts) is done and
 * its outcome written down: what it does after (carrying a search-index build on) may be cut short
 * at the worker's time limit without that being a failure of the hook. Kept on `globalThis`, so that
 * every copy of this package in the process sees it.
 */
export function noteHookWorkRecorded(): void {
  ;(globalThis as unknown as Record<symbol, boolean | undefined>)[WORK_RECORDED] = true
}

/** Whether {@link noteHookWorkRecorded} was called in this process. */
export function hookWorkRecorded(): boolean {
  return (globalThis as unknown as Record<symbol, boolean | undefined>)[WORK_RECORDED] === true
}
