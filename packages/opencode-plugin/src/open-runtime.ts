import type { TeamSyncOptions, Tracker, UpgradeOutcome, isNodeHostError, upgradeInWorker } from '@agent-tracker/node-host'
import type { Notifier } from './notifier.js'
import type { PluginSettings } from '@agent-tracker/node-host/opencode-options'
import { inPluginTerms } from './plugin-errors.js'

/** The tracker being opened, and the start-up work (migration, project profile) that follows it. */
export interface OpeningRuntime {
  /** Resolves to undefined when tracking is paused. */
  readonly runtime: Promise<Tracker | undefined>
  /** Settles when the start-up work is done (never rejects). */
  readonly startup: Promise<void>
}

/**
 * Opens the tracker in the background (LMDB takes tens of milliseconds to load, so the kit is
 * imported only now, off OpenCode's start-up path), then prepares the project — legacy migration,
 * profile — on a later tick; the legacy data is looked for in `folder`, the one OpenCode runs in,
 * and recorded under the project. An unusable database pauses tracking with one toast and log line;
 * nothing here throws.
 */
export function openRuntime(settings: PluginSettings, project: string, notifier: Notifier, folder: string = project): OpeningRuntime {
  const runtime = (async (): Promise<Tracker | undefined> => {
    try {
      // Loading is one synchronous run of the host's event loop per module graph: msgpackr's native
      // extension, msgpackr, then LMDB's, then the rest, each on a turn of its own, so that
      // OpenCode's own work comes in between.
      const { loadLmdbDependenciesInTurns } = await import('@agent-tracker/node-host/native-libc')
      await loadLmdbDependenciesInTurns(import.meta.url, nextTurn)
      const { isLmdbStoreError } = await import('@agent-tracker/lmdb-store')
      await nextTurn()
      const { openTracker, upgradePredecessorDatabase, upgradeInWorker, isNodeHostError } = await import('@agent-tracker/node-host')
      if (settings.upgradeOnStart) {
        const stopped = upgradeNotice(await upgradePredecessorDatabase({ databasePath: settings.databasePath, ...(settings.maxDatabaseSize === undefined ? {} : { maxDatabaseSize: settings.maxDatabaseSize }), waitMs: UPGRADE_WAIT_MS }), notifier)
        if (stopped !== undefined) {
          pausedNotice(notifier, stopped)
          return undefined
        }
      }
      await upgradeEarlierRelease(settings, notifier, { upgradeInWorker, isNodeHostError })
      return openTracker({
        project,
        folder,
        databasePath: settings.databasePath,
        maxDatabaseSize: settings.maxDatabaseSize,
        rules: settings.rules,
        identity: settings.identity,
        migrateOnStart: settings.migrateOnStart,
        exportStatusFile: settings.exportStatusFile,
        team: teamSync(settings, notifier),
        // OpenCode must be able to end at any moment: a write waiting for another process's lock could not be called off.
        whileLocked: 'keep',
        flush: {
          ...settings.flush,
          onFlushError: (error) => {
            if (isLmdbStoreError(error, 'DATABASE_BUSY')) notifier.log('info', `agent-tracker waits: ${describeError(error)} The facts wait in memory meanwhile (and beside the database, should OpenCode end first).`)
            else notifier.log('error', `agent-tracker could not write to its database; the facts stay pending: ${describeError(error)}`)
          },
        },
      })
    } catch (error) {
      pausedNotice(notifier, inPluginTerms(error))
      return undefined
    }
  })()
  const startup = runtime.then((opened) => new Promise<void>((done) => {
    if (opened === undefined) {
      done()
      return
    }
    setTimeout(() => void prepareProject(opened, notifier).finally(done), 0).unref()
    buildSearchIndex(opened, notifier)
  }))
  return { runtime, startup }
}

/**
 * The background sync after flushes: the `team` option, else `AGENT_TRACKER_TEAM_URL` (with
 * `AGENT_TRACKER_TEAM_MEMBER` and `AGENT_TRACKER_TEAM_SCHEMA`). A failed sync is logged, never
 * shown in the way: the facts stay in the local database and the next sync sends them.
 */
function teamSync(settings: PluginSettings, notifier: Notifier): TeamSyncOptions | undefined {
  const env = process.env
  const url = settings.team?.url ?? env.AGENT_TRACKER_TEAM_URL
  if (url === undefined || url === '') return undefined
  const member = settings.team?.member ?? env.AGENT_TRACKER_TEAM_MEMBER
  const schema = settings.team?.schema ?? env.AGENT_TRACKER_TEAM_SCHEMA
  return {
    url,
    ...(member === undefined || member === '' ? {} : { member }),
    ...(schema === undefined || schema === '' ? {} : { schema }),
    onSync: ({ error }) => {
      if (error !== undefined) notifier.log('warn', `agent-tracker could not sync to the team database; it will try again after a later flush: ${describeError(error)}`)
    },
  }
}

/**
 * Upgrades a database of release 0.1.0 in a worker thread before it is opened: the open would
 * rewrite every record in one transaction on OpenCode's thread (seconds for a hundred thousand
 * records), and OpenCode would stand still meanwhile. Hooks wait for the runtime as they do for any
 * open. Says when it starts and ends; a failed upgrade throws what the open would have (tracking
 * then pauses), and a worker that cannot run leaves the upgrade to the open, as before.
 */
async function upgradeEarlierRelease(settings: PluginSettings, notifier: Notifier, kit: { upgradeInWorker: typeof upgradeInWorker; isNodeHostError: typeof isNodeHostError }): Promise<void> {
  let upgraded: Awaited<ReturnType<typeof upgradeInWorker>>
  try {
    upgraded = await kit.upgradeInWorker({
      databasePath: settings.databasePath,
      maxDatabaseSize: settings.maxDatabaseSize,
      onStart: ({ records }) => {
        const message = `agent-tracker is upgrading its database from release 0.1.0 (${String(records)} records) in the background; tool calls wait for it, and tracking goes on when it is done.`
        notifier.log('info', message)
        notifier.toast(message, 'info')
      },
    })
  } catch (error) {
    if (!kit.isNodeHostError(error, 'UPGRADE_WORKER_UNAVAILABLE')) throw error
    notifier.log('warn', `agent-tracker could not upgrade its database in a worker thread (${error.details.reason}); opening it upgrades it on OpenCode's thread.`)
    return
  }
  if (upgraded === undefined) return
  const message = `agent-tracker upgraded its database from release 0.1.0: ${String(upgraded.records)} records in ${(upgraded.ms / 1000).toFixed(1)} s.`
  notifier.log('info', message)
  notifier.toast(message, 'success')
}

/** How long a start waits for another OpenCode that is upgrading the predecessor's database. */
const UPGRADE_WAIT_MS = 120_000

/**
 * Tells the user what an upgrade on start did (one toast and one log line when it upgraded), and
 * returns why tracking must pause when the predecessor's database is still at the path.
 */
function upgradeNotice(outcome: UpgradeOutcome, notifier: Notifier): string | undefined {
  switch (outcome.status) {
    case 'upgraded': {
      const { report, plan } = outcome
      const message = `agent-tracker: upgraded the predecessor's database to agent-tracker's, ${String(report.migrated)} record(s) imported; the old one is kept as ${plan.backup}.`
      notifier.log('info', report.errors.length === 0 ? message : `${message} ${String(report.errors.length)} entr${report.errors.length === 1 ? 'y' : 'ies'} could not be read: ${report.errors.map((issue) => `${issue.position ?? ''} ${issue.message}`.trim()).join('; ')}`)
      notifier.toast(message, 'success')
      return undefined
    }
    case 'in-use':
      return `the predecessor's database at the database path is open in process ${outcome.pids.join(', ')} (OpenCode with the old plugin?); close it and start OpenCode again to upgrade it.`
    case 'busy':
      return `process ${String(outcome.pid)} is still upgrading the predecessor's database; tracking starts with the next session.`
    case 'failed':
      return `upgrading the predecessor's database failed, and it is still at the database path, unchanged: ${outcome.report.errors.map((issue) => issue.message).join('; ')}. Run agent-tracker upgrade to see more.`
    case 'error':
      return `upgrading the predecessor's database stopped (${outcome.message}); it is still at the database path. Run agent-tracker upgrade to see more.`
    default:
      return undefined
  }
}

/** Why tracking is paused, by the notifier of the plugin instance that paused: for what must answer it later (a slash command). */
const PAUSED = new WeakMap<Notifier, string>()

/** Tells the user, once, that tracking is paused and why. */
export function pausedNotice(notifier: Notifier, reason: string): void {
  PAUSED.set(notifier, reason)
  const message = `agent-tracker: tracking is paused — ${reason}`
  notifier.log('warn', message)
  notifier.toast(message, 'warning')
}

/** Why tracking is paused for the plugin instance of this notifier, if it is (see {@link pausedNotice}). */
export function pausedReason(notifier: Notifier): string | undefined {
  return PAUSED.get(notifier)
}

/** Migrates the project's legacy data and refreshes its profile, telling the user what came in and what could not. */
async function prepareProject(tracker: Tracker, notifier: Notifier): Promise<void> {
  const { migration, problems, deferred } = await tracker.prepareProject()
  if (deferred !== undefined) notifier.log('info', `agent-tracker put its start-up work (legacy migration, project profile) off to the next start: ${deferred}`)
  const migrated = (migration?.database.migrated ?? 0) + (migration?.files.migrated ?? 0)
  if (migrated > 0) notifier.toast(`Migrated ${String(migrated)} legacy record(s) of this project into the central database.`, 'success')
  for (const issue of migration?.issues ?? []) {
    notifier.log('warn', `agent-tracker migration: ${issue.source}${issue.position === undefined ? '' : ` (${issue.position})`}: ${issue.message}`)
  }
  for (const problem of problems) notifier.log('warn', `agent-tracker start-up work failed (tracking continues): ${problem}`)
}

/**
 * Carries on the search-index build an upgrade of the database started, in the background (see
 * `Tracker.buildSearchIndexInBackground`), saying in the log when it starts and ends, and why it
 * stopped if it did; prior-art searches read whole records until it is done.
 */
function buildSearchIndex(tracker: Tracker, notifier: Notifier): void {
  let progress: ReturnType<Tracker['store']['searchIndexBuild']>
  try {
    progress = tracker.store.searchIndexBuild()
  } catch (error) {
    notifier.log('warn', `agent-tracker could not read how far its search index is built (searches read whole records meanwhile): ${describeError(error)}`)
    return
  }
  if (progress === undefined) return
  notifier.log('info', `agent-tracker is building its search index in the background (${String(progress.built)} of ${String(progress.total)} records so far); until it is done, prior-art searches read whole records.`)
  void tracker.buildSearchIndexInBackground((error) => {
    notifier.log('warn', `agent-tracker stopped building its search index (searches read whole records meanwhile; the next start goes on, or run agent-tracker doctor --repair): ${describeError(error)}`)
  }).then((done) => {
    if (done) notifier.log('info', 'agent-tracker finished building its search index.')
  })
}

/** Resolves on a later turn of the event loop, after the work already waiting for it. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

function describeError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? `${code}: ${inPluginTerms(error)}` : inPluginTerms(error)
}
