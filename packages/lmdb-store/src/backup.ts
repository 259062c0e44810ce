import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { checkDataFile, locateDataFile } from './data-file.js'
import { LmdbStoreError } from './errors.js'

/**
 * Puts a backup (a compact copy made by `LmdbStore.backup`) in place of the database at `path`:
 * the data file is replaced in one rename, and the lock file removed (LMDB makes a new one). Only
 * for a database no process has open: one that has it mapped would go on writing to the old file.
 * @throws {LmdbStoreError} DATABASE_UNREADABLE when the backup is missing or fails its check; DATABASE_UNWRITABLE when it cannot be put in place.
 */
export function restoreBackup(path: string, backup: string): void {
  const from = locateDataFile(backup).dataFile
  const check = checkDataFile(from)
  if (!check.ok || !check.exists) {
    const problem = check.ok ? 'it does not exist' : check.problem
    throw new LmdbStoreError('DATABASE_UNREADABLE', `The backup ${backup} cannot be restored: ${problem}. The database was not changed.`, { path: backup, reason: check.ok ? 'missing' : 'damaged' })
  }
  const { dataFile, lockFile } = locateDataFile(path)
  const staged = `${dataFile}.restoring`
  try {
    copyFileSync(from, staged)
    renameSync(staged, dataFile)
    rmSync(lockFile, { force: true })
  } catch (error) {
    rmSync(staged, { force: true })
    throw new LmdbStoreError('DATABASE_UNWRITABLE', `Could not restore ${backup} over ${dataFile}: ${(error as Error).message}. The database was not changed.`, { path: dataFile, reason: 'write' }, { cause: error })
  }
}

/** Prepares the place of a backup of a database with the given layout: a folder for the folder layout, nothing for a single file. */
export function prepareBackupPlace(to: string, noSubdir: boolean): void {
  if (existsSync(to)) throw new LmdbStoreError('DATABASE_UNWRITABLE', `Cannot back up to ${to}: something is there already.`, { path: to, reason: 'write' })
  if (!noSubdir) mkdirSync(to, { recursive: true })
}
