import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { locateDataFile } from '@agent-tracker/lmdb-store'

/** Legacy data found in a project folder. */
export interface LegacyData {
  readonly projectDir: string
  /** The predecessor's per-project database, created by its unexpanded `~` path. */
  readonly projectDatabase?: string
  /** `.agent/status.json`. */
  readonly statusFile?: string
  /** `.journal/communication.json`. */
  readonly communicationFile?: string
  /** `.journal/YYYY-MM-DD.md`, sorted. */
  readonly journalFiles: readonly string[]
}

const JOURNAL_FILE = /^\d{4}-\d{2}-\d{2}\.md$/

/** The predecessor's per-project database path inside a project folder. */
export function legacyDatabasePath(projectDir: string): string {
  return join(projectDir, '~', '.config', 'opencode', 'agent-tracker.lmdb')
}

/** True when `detectLegacy` found anything to migrate. */
export function hasLegacyData(found: LegacyData): boolean {
  return found.projectDatabase !== undefined || found.statusFile !== undefined || found.communicationFile !== undefined || found.journalFiles.length > 0
}

/** Looks for every kind of legacy data in a project folder. Never throws; unreadable means absent. */
export function detectLegacy(projectDir: string): LegacyData {
  const database = legacyDatabasePath(projectDir)
  const status = join(projectDir, '.agent', 'status.json')
  const communication = join(projectDir, '.journal', 'communication.json')
  return {
    projectDir,
    ...(databaseHasData(database) ? { projectDatabase: database } : {}),
    ...(isFile(status) ? { statusFile: status } : {}),
    ...(isFile(communication) ? { communicationFile: communication } : {}),
    journalFiles: journalFiles(join(projectDir, '.journal')),
  }
}

function journalFiles(folder: string): string[] {
  try {
    return readdirSync(folder)
      .filter((name) => JOURNAL_FILE.test(name))
      .sort()
      .map((name) => join(folder, name))
      .filter(isFile)
  } catch {
    return []
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/**
 * True when an LMDB environment at `path` (a file, or a folder with `data.mdb`) holds any bytes:
 * absent, an empty folder or an empty data file mean no database. Never throws.
 */
export function databaseHasData(path: string): boolean {
  try {
    return statSync(locateDataFile(path).dataFile).size > 0
  } catch {
    return false
  }
}
