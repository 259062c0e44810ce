import { randomUUID } from 'node:crypto'
import type { TrackingService } from '@agent-tracker/core'
import { createTrackingService } from '@agent-tracker/core'
import type { LmdbStore } from '@agent-tracker/lmdb-store'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { writeStatusExport } from '@agent-tracker/migrate'
import type { FlushResult, WriteBuffer } from '@agent-tracker/write-buffer'
import { withWriteBuffer } from '@agent-tracker/write-buffer'
import type { PluginSettings } from './options.js'

/**
 * Everything the plugin tracks with: the central LMDB store behind a write buffer (hooks only
 * append to memory) and the tracking service over the buffer.
 */
export class TrackerRuntime {
  readonly store: LmdbStore
  readonly buffer: WriteBuffer
  readonly service: TrackingService
  readonly project: string
  readonly #settings: PluginSettings
  /** The setup that last worked here, whose status `.agent/status.json` shows. */
  lastSetup: string | undefined

  /**
   * Opens the database and the buffer.
   * @throws {LmdbStoreError} when the database cannot be opened (the plugin then pauses tracking).
   */
  constructor(settings: PluginSettings, project: string, onFlushError: (error: unknown) => void) {
    this.#settings = settings
    this.project = project
    this.store = openLmdbStore({
      ...(settings.databasePath === undefined ? {} : { databasePath: settings.databasePath }),
      ...(settings.maxDatabaseSize === undefined ? {} : { maxDatabaseSize: settings.maxDatabaseSize }),
      rules: settings.rules,
    })
    this.buffer = withWriteBuffer(this.store, { ...settings.flush, onFlushError })
    this.service = createTrackingService({ store: this.buffer, newId: randomUUID })
  }

  /** Writes everything pending in one transaction, then refreshes `.agent/status.json`. Never throws. */
  async flush(): Promise<FlushResult> {
    const result = await this.buffer.flush()
    if (result.errors.length === 0 && result.factsWritten > 0) await this.#exportStatus()
    return result
  }

  /** Writes everything pending synchronously (process exit). Never throws. */
  flushSync(): FlushResult {
    return this.buffer.flushSync()
  }

  /** Flushes and closes the database. */
  async close(): Promise<void> {
    await this.flush()
    await this.buffer.close()
  }

  async #exportStatus(): Promise<void> {
    if (this.#settings.exportStatusFile === 'off' || this.lastSetup === undefined) return
    const status = await this.service.getStatus(this.lastSetup)
    if (status !== undefined) writeStatusExport(this.project, status, { force: this.#settings.exportStatusFile === 'always' })
  }
}
