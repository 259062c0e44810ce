import type { Fact } from '@agent-tracker/core'
import { isTrackerError, validateFact } from '@agent-tracker/core'
import type { Tracker } from '@agent-tracker/node-host'
import { openTracker } from '@agent-tracker/node-host'
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
    if (setup !== undefined) tracker.noteWork(setup)
    const facts = pending.facts.flatMap((fact): Fact[] => {
      try {
        return [validateFact(fact)]
      } catch (error) {
        if (isTrackerError(error, 'INVALID_FACT')) return []
        throw error
      }
    })
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
