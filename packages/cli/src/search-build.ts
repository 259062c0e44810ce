import type { LmdbStore } from '@agent-tracker/lmdb-store'
import type { Io } from './io.js'
import { startThisCliDetached } from './this-cli-child.js'

/** How long the detached process `search` starts carries the search-index build on at most, before it leaves the rest to the next. */
export const SEARCH_BUILD_BUDGET_MS = 60_000

/** The hidden command of that process. */
export const SEARCH_BUILD_COMMAND = 'search-index-build'

/**
 * When the search indexes of the local database `store` (opened read-only by a read command) are
 * being built, hold words an earlier release cut, or are behind the records — so every search reads
 * whole records — starts a detached `agent-tracker search-index-build` that carries the build on in
 * the background, a step at a time (see `Tracker.buildSearchIndexInBackground`), for up to
 * {@link SEARCH_BUILD_BUDGET_MS}; the next search goes on from where it stopped. The command that
 * calls this waits for nothing: the process is started and let go. Never throws; false when
 * nothing was started (nothing to build, or it could not start).
 */
export async function carrySearchBuildOnDetached(store: LmdbStore, io: Io): Promise<boolean> {
  try {
    if (!store.searchIndexBuildPending()) return false
    const child = await startThisCliDetached([SEARCH_BUILD_COMMAND, '--db', store.path], io, 'ignore')
    child.on('error', () => undefined)
    child.unref()
    return true
  } catch {
    return false
  }
}

/**
 * `agent-tracker search-index-build --db <path>` (hidden; what {@link carrySearchBuildOnDetached}
 * starts): carries the search-index build of the database at `databasePath` on for up to
 * `budgetMs`, taking the write lock for one short step at a time, then pausing so that other
 * writers come in between. Writes nothing when there is nothing to build, and nowhere anyone reads:
 * `doctor` says how far the build is, and why it stopped (a full database). Exits 0 unless the
 * database could not be opened.
 */
export async function runSearchBuild(databasePath: string, io: Io, budgetMs = SEARCH_BUILD_BUDGET_MS): Promise<number> {
  const { openTracker } = await import('@agent-tracker/node-host')
  let tracker
  try {
    // Nothing is flushed on exit, no legacy data looked for and no status file written: this tracker only builds.
    tracker = openTracker({ databasePath, env: io.env, homeDir: io.homeDir, project: io.cwd, flushOnExit: false, migrateOnStart: false, exportStatusFile: 'off' })
  } catch {
    return 1
  }
  // A timer that keeps the process alive: the build's own pauses do not.
  let budget: NodeJS.Timeout | undefined
  try {
    const outOfTime = new Promise<void>((resolve) => {
      budget = setTimeout(resolve, budgetMs)
    })
    await Promise.race([tracker.buildSearchIndexInBackground(), outOfTime])
  } finally {
    clearTimeout(budget)
    // Stops a build under way once its step ends; the cursor stays where that step left it.
    await tracker.close().catch(() => undefined)
  }
  return 0
}
