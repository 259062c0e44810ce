import type { Fact } from '@agent-tracker/core'
import { isTrackerError, validateFact } from '@agent-tracker/core'
import type { Tracker } from '@agent-tracker/node-host'
import { longUpgradeOf, openTracker } from '@agent-tracker/node-host'
import type { HookInput } from './hook-input.js'
import { lastDetachedFailure } from './detached-outcome.js'
import type { HookOptions, PendingWrite } from './hook-options.js'
import { HOOK_WRITE_WAIT_MS, hookDatabasePath, hookProject } from './hook-options.js'
import { PendingFacts } from './pending-facts.js'

/**
 * Opens the tracker for a hook that writes, with the facts the tool hooks left pending applied
 * first (so a user command sees them), runs `work`, and writes everything in one transaction;
 * the pending files are removed only once that write succeeded. A pending line that is no valid
 * fact (a write cut off) is dropped.
 * @throws what opening or the final write throws (the pending facts then stay for the next flush).
 */
export async function withHookTracker<T>(input: HookInput, options: HookOptions, work: (tracker: Tracker) => Promise<T>, setup?: string): Promise<T> {
  const databasePath = hookDatabasePath(options)
  const pending = new PendingFacts(databasePath).take()
  // The pending folder is taken here, once: the tracker's flush does not take it again.
  const tracker = openTracker({ databasePath, env: options.env, homeDir: options.homeDir, project: hookProject(input, options), flushOnExit: false, writeKeptFacts: false, ...(options.identity === undefined ? {} : { identity: options.identity }), ...(options.now === undefined ? {} : { now: options.now }) })
  let result: T
  try {
    const facts = validFacts(pending.facts)
    // A push in this project that waited (its own write failed, or was left for a 0.1.0 upgrade)
    // refreshes its setup's status file now, as its own write would have.
    const worked = setup ?? facts.findLast((fact) => fact.kind === 'push' && fact.project === tracker.project)?.setup
    if (worked !== undefined) tracker.noteWork(worked)
    if (facts.length > 0) await tracker.buffer.applyFacts(facts)
    result = await work(tracker)
  } catch (error) {
    await tracker.buffer.close()
    throw error
  }
  await tracker.close()
  pending.done()
  return result
}

/**
 * Writes the facts the hooks left pending ({@link withHookTracker} with no work of its own), from a
 * hook Claude Code waits for — unless the database must first be upgraded from release 0.1.0, which
 * rewrites every record (seconds for a large database) and would keep Claude Code waiting on this
 * hook. The facts then stay pending for the turn's `Stop`, whose detached run upgrades the database
 * where nobody waits, and writes them with its own. With `writeElsewhere` (the CLI), the write runs
 * in a process of its own, waited for {@link HOOK_WRITE_WAIT_MS} at most: when another process holds
 * the write lock longer, the facts stay in the pending folder and that process writes them once it
 * can (or the next hook that writes does).
 * @returns whether they were written (false: they wait for the upgrade, or for the write lock).
 * @throws what {@link withHookTracker} throws; with `writeElsewhere`, why that write failed.
 */
export async function writePendingFacts(input: HookInput, options: HookOptions, setup?: string): Promise<boolean> {
  const databasePath = hookDatabasePath(options)
  if (longUpgradeOf(databasePath) !== undefined) return false
  if (options.writeElsewhere !== undefined) {
    const asked = new Date()
    const write = await options.writeElsewhere(HOOK_WRITE_WAIT_MS)
    // Only this write's failure is its reason: the failure file may hold an older run's.
    if (write === 'failed') throw new Error(lastDetachedFailure(databasePath, asked)?.message ?? 'the facts could not be written; they wait in the pending folder for the next hook that writes')
    return write === 'written'
  }
  await withHookTracker(input, options, () => Promise.resolve(), setup)
  return true
}

/**
 * Runs a user command's `work` over the database with the facts the hooks left pending laid over it
 * (read, not taken), writing nothing in this process: what `work` records joins the pending folder,
 * and `writeElsewhere` writes the folder in a process of its own, waited for
 * {@link HOOK_WRITE_WAIT_MS} at most (see {@link writePendingFacts}). Opening an existing database
 * takes no write lock.
 * @returns what `work` returned, and how the write went.
 * @throws what opening or `work` throws (nothing is kept then), or why keeping its facts failed.
 */
export async function withHookReads<T>(input: HookInput, options: HookOptions & { readonly writeElsewhere: NonNullable<HookOptions['writeElsewhere']> }, work: (tracker: Tracker) => Promise<T>): Promise<{ readonly result: T; readonly write: PendingWrite }> {
  const databasePath = hookDatabasePath(options)
  const pending = new PendingFacts(databasePath)
  // No safety valve and no flush on exit: nothing of this process reaches the database.
  const tracker = openTracker({ databasePath, env: options.env, homeDir: options.homeDir, project: hookProject(input, options), flushOnExit: false, flush: { maxPending: false, maxAgeMs: false }, exportStatusFile: 'off', migrateOnStart: false, writeKeptFacts: false, ...(options.identity === undefined ? {} : { identity: options.identity }), ...(options.now === undefined ? {} : { now: options.now }) })
  let result: T
  let recorded: readonly Fact[]
  try {
    const waiting = validFacts(pending.read())
    if (waiting.length > 0) await tracker.buffer.applyFacts(waiting)
    result = await work(tracker)
    recorded = tracker.buffer.pendingFacts.slice(waiting.length)
  } finally {
    await tracker.store.close()
  }
  pending.add(input.session, recorded)
  return { result, write: recorded.length === 0 && pending.read().length === 0 ? 'written' : await options.writeElsewhere(HOOK_WRITE_WAIT_MS) }
}

/** The facts among what a pending file held; a line that is no valid fact (a write cut off) is dropped. */
function validFacts(read: readonly unknown[]): Fact[] {
  return read.flatMap((fact): Fact[] => {
    try {
      return [validateFact(fact)]
    } catch (error) {
      if (isTrackerError(error, 'INVALID_FACT')) return []
      throw error
    }
  })
}
