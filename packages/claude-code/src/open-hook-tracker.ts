import type { Fact } from '@agent-tracker/core'
import { isTrackerError, validateFact } from '@agent-tracker/core'
import type { Tracker } from '@agent-tracker/node-host'
import { longUpgradeOf, openTracker } from '@agent-tracker/node-host'
import type { HookInput } from './hook-input.js'
import type { HookOptions } from './hook-options.js'
import { hookDatabasePath, hookProject } from './hook-options.js'
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
  const tracker = openTracker({ databasePath, env: options.env, homeDir: options.homeDir, project: hookProject(input, options), flushOnExit: false, ...(options.identity === undefined ? {} : { identity: options.identity }), ...(options.now === undefined ? {} : { now: options.now }) })
  let result: T
  try {
    const facts = pending.facts.flatMap((fact): Fact[] => {
      try {
        return [validateFact(fact)]
      } catch (error) {
        if (isTrackerError(error, 'INVALID_FACT')) return []
        throw error
      }
    })
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
 * where nobody waits, and writes them with its own.
 * @returns whether they were written (false: they wait for the upgrade).
 * @throws what {@link withHookTracker} throws.
 */
export async function writePendingFacts(input: HookInput, options: HookOptions, setup?: string): Promise<boolean> {
  if (longUpgradeOf(hookDatabasePath(options)) !== undefined) return false
  await withHookTracker(input, options, () => Promise.resolve(), setup)
  return true
}
