import type { Stats } from 'node:fs'
import { closeSync, copyFileSync, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { locateDataFile } from '@agent-tracker/lmdb-store'

// The file moves of an upgrade, each safe to stop after: the backup is a second name of the old
// data file (a hard link), and one rename puts the new database at the path.

/** `<path>.predecessor-<UTC time>`. */
export function backupPath(database: string, now: Date): string {
  return `${database}.predecessor-${now.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-')}`
}

/** A backup an interrupted run already made: a name of the very file at the path. */
export function existingBackup(database: string): string | undefined {
  const data = locateDataFile(database).dataFile
  const folder = dirname(database)
  const prefix = `${basename(database)}.predecessor-`
  try {
    const original = statSync(data)
    for (const name of readdirSync(folder)) {
      if (!name.startsWith(prefix)) continue
      const candidate = join(folder, name)
      const file = locateDataFile(candidate).dataFile
      if (sameFile(statSync(file, { throwIfNoEntry: false }), original)) return candidate
    }
  } catch {
    // None usable: a new backup is made.
  }
  return undefined
}

function sameFile(a: Stats | undefined, b: Stats): boolean {
  return a?.ino === b.ino && a.dev === b.dev
}

/** Gives the old data file a second name (or, where links are not allowed, a copy) before the path moves on. */
export function keepBackup(database: string, backup: string, folderLayout: boolean): void {
  const source = locateDataFile(database).dataFile
  const target = folderLayout ? join(backup, 'data.mdb') : backup
  if (folderLayout) mkdirSync(backup, { recursive: true })
  if (sameFile(statSync(target, { throwIfNoEntry: false }), statSync(source))) return
  rmSync(target, { force: true })
  try {
    linkSync(source, target)
  } catch {
    copyFileSync(source, `${target}.partial`)
    renameSync(`${target}.partial`, target)
  }
  syncFolder(dirname(target))
}

/** One rename puts the new database at the path; the old lock file goes (LMDB makes a new one). */
export function swapIn(staging: string, database: string, folderLayout: boolean): void {
  if (folderLayout) {
    // The data file of a folder-layout database is the same format as a single-file one.
    renameSync(staging, join(database, 'data.mdb'))
    rmSync(join(database, 'lock.mdb'), { force: true })
  } else {
    renameSync(staging, database)
    rmSync(`${database}-lock`, { force: true })
  }
  rmSync(`${staging}-lock`, { force: true })
  syncFolder(dirname(database))
}

/** A database's files: the staging one of an earlier, stopped run, or this run's after a failed import. */
export function removeDatabaseFiles(path: string): void {
  rmSync(path, { recursive: true, force: true })
  rmSync(`${path}-lock`, { force: true })
}

function syncFolder(folder: string): void {
  let fd: number | undefined
  try {
    fd = openSync(folder, 'r')
    fsyncSync(fd)
  } catch {
    // Not every platform syncs folders; the rename is atomic either way.
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}
