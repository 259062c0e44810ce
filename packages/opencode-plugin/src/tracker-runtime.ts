import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { FolderProfiler, TrackingService } from '@agent-tracker/core'
import { createTrackingService } from '@agent-tracker/core'
import type { LmdbStore } from '@agent-tracker/lmdb-store'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { detectLegacy, hasLegacyData, importLegacyFiles, migrateProjectDatabase, profileFolder, profileProject, writeStatusExport } from '@agent-tracker/migrate'
import type { FlushResult, WriteBuffer } from '@agent-tracker/write-buffer'
import { withWriteBuffer } from '@agent-tracker/write-buffer'
import { flushOnExit } from './exit-flush.js'
import type { Notifier } from './notifier.js'
import type { PluginSettings } from './options.js'

/**
 * Everything the plugin tracks with: the central LMDB store behind a write buffer (hooks only
 * append to memory) and the tracking service over the buffer. The plugin loads this module after
 * start-up, so LMDB never delays OpenCode's start.
 */
export class TrackerRuntime {
  readonly store: LmdbStore
  readonly buffer: WriteBuffer
  readonly service: TrackingService
  readonly project: string
  /** Profiles project folders with no stored profile, for the read questions agents ask. */
  readonly profileFolder: FolderProfiler = profileFolder
  readonly #settings: PluginSettings
  /** The setup that last worked here, whose status `.agent/status.json` shows. */
  lastSetup: string | undefined
  readonly #removeExitFlush: () => void

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
    this.#removeExitFlush = flushOnExit(() => this.flushSync())
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
    this.#removeExitFlush()
  }

  /** Migrates legacy data of the project (once) and refreshes its profile; never throws. */
  async startBackgroundWork(notifier: Notifier): Promise<void> {
    try {
      const done = new Set((await this.buffer.listMigrations()).map((migration) => migration.id))
      const legacy = detectLegacy(this.project)
      if (this.#settings.migrateOnStart && hasLegacyData(legacy)) {
        const reports = []
        if (legacy.projectDatabase !== undefined && !done.has(`project-database:${legacy.projectDatabase}`)) reports.push(await migrateProjectDatabase(this.project, this.buffer))
        // The plugin's own `.agent/status.json` export is no legacy agent: it belongs to the setup it names.
        const exported = legacy.statusFile === undefined ? undefined : exportedSetup(legacy.statusFile)
        if (!done.has(`legacy-files:${this.project}`)) reports.push(await importLegacyFiles(this.project, this.buffer, exported === undefined ? {} : { setup: exported }))
        const migrated = reports.reduce((sum, report) => sum + report.migrated, 0)
        if (migrated > 0) notifier.toast(`Migrated ${String(migrated)} legacy record(s) of this project into the central database.`, 'success')
        for (const problem of reports.flatMap((report) => report.errors)) {
          notifier.log('warn', `agent-tracker migration: ${problem.source}${problem.position === undefined ? '' : ` (${problem.position})`}: ${problem.message}`)
        }
      }
      const profile = profileProject(this.project)
      const known = await this.buffer.get('projects', [this.project])
      if (known?.profile?.fingerprint !== profile.fingerprint) await this.buffer.saveProjectProfile(this.project, profile)
    } catch (error) {
      notifier.log('warn', `agent-tracker start-up work failed (tracking continues): ${(error as Error).message}`)
    }
  }

  async #exportStatus(): Promise<void> {
    if (this.#settings.exportStatusFile === 'off' || this.lastSetup === undefined) return
    const status = await this.service.getStatus(this.lastSetup)
    if (status !== undefined) writeStatusExport(this.project, status, { force: this.#settings.exportStatusFile === 'always' })
  }
}

/** The setup a `.agent/status.json` written by this plugin names; undefined for a hand-written one. */
function exportedSetup(statusFile: string): string | undefined {
  try {
    const fields = JSON.parse(readFileSync(statusFile, 'utf8')) as { setup?: unknown; note?: unknown } | null
    return typeof fields?.setup === 'string' && typeof fields.note === 'string' && fields.note.startsWith('Written by agent-tracker') ? fields.setup : undefined
  } catch {
    return undefined
  }
}
