import type { Tracker } from '@agent-tracker/node-host'
import { openTracker } from '@agent-tracker/node-host'
import type { HookInput } from './hook-input.js'
import type { HookOptions } from './hook-options.js'
import { hookDatabasePath } from './hook-options.js'

/** How a run carrying on the search-index build ended: nothing to build, built, out of time, or failed (and why). */
export type SearchBuildOutcome = { readonly kind: 'none' | 'built' | 'out of time' } | { readonly kind: 'failed'; readonly error: unknown }

/**
 * Carries on the search-index build an upgrade from schema 2 started, or starts one for indexes whose
 * words an earlier release cut or that are behind the records (see `LmdbStore.searchIndexBuildPending`),
 * in a process Claude Code does not wait for: through `Tracker.buildSearchIndexInBackground`, a step
 * of 500 records in one short write transaction, then a 25 ms pause in which other writers (the next
 * hook, OpenCode) take the write lock, until the indexes are in step or `budgetMs` has passed. Where
 * the build stands is kept in the database and each step reads it in its own write transaction, so
 * the next run goes on from where this one stopped, and two runs at once take turns at it. Opens the
 * database only to look; with nothing to build, writes nothing. Never throws.
 */
export async function carrySearchBuildOn(input: HookInput, options: HookOptions, budgetMs: number): Promise<SearchBuildOutcome> {
  let tracker: Tracker
  try {
    // Nothing is flushed on exit, no legacy data is looked for and no status file written: this tracker only builds.
    tracker = openTracker({ databasePath: hookDatabasePath(options), env: options.env, homeDir: options.homeDir, project: input.cwd, flushOnExit: false, migrateOnStart: false, exportStatusFile: 'off' })
  } catch (error) {
    return { kind: 'failed', error }
  }
  let outcome: SearchBuildOutcome
  let failure: { readonly error: unknown } | undefined
  // A timer that keeps the process alive: the build's own pauses do not.
  let budget: NodeJS.Timeout | undefined
  try {
    // Outdated or behind too: the build's first step starts it.
    if (!tracker.store.searchIndexBuildPending()) outcome = { kind: 'none' }
    else {
      const outOfTime = new Promise<'out of time'>((resolve) => {
        budget = setTimeout(() => { resolve('out of time') }, budgetMs)
      })
      const build = tracker.buildSearchIndexInBackground((error) => { failure = { error } })
      // Not built, and no failure: another run's last step ended the build before this one began.
      const ended = await Promise.race([build.then((built) => (built ? 'built' : 'none')), outOfTime])
      outcome = failure === undefined ? { kind: ended } : { kind: 'failed', error: failure.error }
    }
  } catch (error) {
    outcome = { kind: 'failed', error }
  } finally {
    clearTimeout(budget)
  }
  try {
    // Stops a build under way once its step ends; the cursor stays where that step left it.
    await tracker.close()
  } catch (error) {
    if (outcome.kind !== 'failed') outcome = { kind: 'failed', error }
  }
  return outcome
}
