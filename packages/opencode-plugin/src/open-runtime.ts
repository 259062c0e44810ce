import type { Tracker } from '@agent-tracker/node-host'
import type { Notifier } from './notifier.js'
import type { PluginSettings } from './options.js'
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
 * profile — on a later tick. An unusable database pauses tracking with one toast and log line;
 * nothing here throws.
 */
export function openRuntime(settings: PluginSettings, project: string, notifier: Notifier): OpeningRuntime {
  const runtime = (async (): Promise<Tracker | undefined> => {
    try {
      const { openTracker } = await import('@agent-tracker/node-host')
      return openTracker({
        project,
        databasePath: settings.databasePath,
        maxDatabaseSize: settings.maxDatabaseSize,
        rules: settings.rules,
        identity: settings.identity,
        migrateOnStart: settings.migrateOnStart,
        exportStatusFile: settings.exportStatusFile,
        flush: {
          ...settings.flush,
          onFlushError: (error) => {
            notifier.log('error', `agent-tracker could not write to its database; the facts stay pending: ${describeError(error)}`)
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
  }))
  return { runtime, startup }
}

/** Tells the user, once, that tracking is paused and why. */
export function pausedNotice(notifier: Notifier, reason: string): void {
  const message = `agent-tracker: tracking is paused — ${reason}`
  notifier.log('warn', message)
  notifier.toast(message, 'warning')
}

/** Migrates the project's legacy data and refreshes its profile, telling the user what came in and what could not. */
async function prepareProject(tracker: Tracker, notifier: Notifier): Promise<void> {
  const { migration, problems } = await tracker.prepareProject()
  const migrated = (migration?.database.migrated ?? 0) + (migration?.files.migrated ?? 0)
  if (migrated > 0) notifier.toast(`Migrated ${String(migrated)} legacy record(s) of this project into the central database.`, 'success')
  for (const issue of migration?.issues ?? []) {
    notifier.log('warn', `agent-tracker migration: ${issue.source}${issue.position === undefined ? '' : ` (${issue.position})`}: ${issue.message}`)
  }
  for (const problem of problems) notifier.log('warn', `agent-tracker start-up work failed (tracking continues): ${problem}`)
}

function describeError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? `${code}: ${inPluginTerms(error)}` : inPluginTerms(error)
}
