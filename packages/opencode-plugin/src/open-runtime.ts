import { isLmdbStoreError } from '@agent-tracker/lmdb-store/config'
import { messageOf } from './hook-guard.js'
import type { Notifier } from './notifier.js'
import type { PluginSettings } from './options.js'
import type { TrackerRuntime } from './tracker-runtime.js'

/** The runtime being opened, and the start-up work (migration, project profile) that follows it. */
export interface OpeningRuntime {
  /** Resolves to undefined when tracking is paused. */
  readonly runtime: Promise<TrackerRuntime | undefined>
  /** Settles when the start-up work is done (never rejects). */
  readonly startup: Promise<void>
}

/**
 * Opens the database in the background (LMDB takes tens of milliseconds to load, so it stays off
 * OpenCode's start-up path), then migrates and profiles the project on a later tick. An unusable
 * database pauses tracking with one toast and log line; nothing here throws.
 */
export function openRuntime(settings: PluginSettings, project: string, notifier: Notifier): OpeningRuntime {
  const runtime = (async (): Promise<TrackerRuntime | undefined> => {
    try {
      const { TrackerRuntime } = await import('./tracker-runtime.js')
      return new TrackerRuntime(settings, project, (error) => {
        notifier.log('error', `agent-tracker could not write to its database; the facts stay pending: ${describeError(error)}`)
      })
    } catch (error) {
      pausedNotice(notifier, isLmdbStoreError(error) ? error.message : `could not open the database: ${messageOf(error)}`)
      return undefined
    }
  })()
  const startup = runtime.then((opened) => new Promise<void>((done) => {
    if (opened === undefined) {
      done()
      return
    }
    setTimeout(() => void opened.startBackgroundWork(notifier).finally(done), 0).unref()
  }))
  return { runtime, startup }
}

/** Tells the user, once, that tracking is paused and why. */
export function pausedNotice(notifier: Notifier, reason: string): void {
  const message = `agent-tracker: tracking is paused — ${reason}`
  notifier.log('warn', message)
  notifier.toast(message, 'warning')
}

function describeError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? `${code}: ${messageOf(error)}` : messageOf(error)
}
