import { readFileSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import type { MigrationRecord } from '@agent-tracker/core'
import type { LegacyData } from './detect-legacy.js'
import { detectLegacy, legacyDatabasePath } from './detect-legacy.js'
import { legacyFilesMigrationId } from './import-legacy-files.js'
import { migrationId } from './migration-history.js'
import { isOwnStatusExport } from './own-status-export.js'

/** Where one kind of a folder's legacy data stands. */
export interface LegacySourceStatus {
  readonly kind: 'project-database' | 'legacy-files'
  /** The per-project database, or the project folder for its legacy files. */
  readonly source: string
  /** Legacy files (or the database) found now; empty when nothing is left (the predecessor deleted its databases once migrated). */
  readonly found: readonly string[]
  /** The latest migration of this source, by this tool or (for per-project databases) by its predecessor. */
  readonly migration?: MigrationRecord
  /** Files found now that changed after that migration ran: a migrate would look at them again. */
  readonly changedSince: readonly string[]
}

/** A folder's legacy data and whether it was migrated. */
export interface FolderLegacyStatus {
  readonly folder: string
  readonly sources: readonly LegacySourceStatus[]
  /** True when `.agent/status.json` is agent-tracker's own export (not legacy data). */
  readonly ownStatusExport: boolean
}

/**
 * Tells, for a project folder, what legacy data it holds and whether (and when, in which time zone,
 * by which tool) it was migrated, from the store's migration records. Never throws; unreadable
 * files count as absent.
 */
export function folderLegacyStatus(folder: string, migrations: readonly MigrationRecord[]): FolderLegacyStatus {
  const project = resolve(folder)
  const legacy = detectLegacy(project)
  const own = legacy.statusFile !== undefined && isOwnExportFile(legacy.statusFile)
  const files = legacyFiles(legacy, own)
  const database = legacyDatabasePath(project)
  const byId = new Map(migrations.map((record) => [record.id, record]))
  const sources: LegacySourceStatus[] = [
    status('project-database', database, legacy.projectDatabase === undefined ? [] : [legacy.projectDatabase], byId.get(migrationId('project-database', database))),
    status('legacy-files', project, files, byId.get(legacyFilesMigrationId(project))),
  ]
  return { folder: project, sources: sources.filter((source) => source.found.length > 0 || source.migration !== undefined), ownStatusExport: own }
}

function status(kind: LegacySourceStatus['kind'], source: string, found: readonly string[], migration: MigrationRecord | undefined): LegacySourceStatus {
  const changedSince = migration === undefined ? [] : found.filter((file) => modifiedAt(file) > Date.parse(migration.at))
  return { kind, source, found, ...(migration === undefined ? {} : { migration }), changedSince }
}

function legacyFiles(legacy: LegacyData, ownStatusExport: boolean): string[] {
  const status = ownStatusExport ? undefined : legacy.statusFile
  return [status, legacy.communicationFile, ...legacy.journalFiles].filter((file): file is string => file !== undefined)
}

function isOwnExportFile(path: string): boolean {
  try {
    // Decoded as migrate reads a status file (without a byte-order mark), but leniently: a file that is not ours stays legacy data.
    return isOwnStatusExport(JSON.parse(new TextDecoder().decode(readFileSync(path))))
  } catch {
    return false
  }
}

function modifiedAt(path: string): number {
  try {
    return statSync(path).mtimeMs
  } catch {
    return 0
  }
}
