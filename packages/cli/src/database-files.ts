import { statSync } from 'node:fs'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { locateDataFile } from '@agent-tracker/lmdb-store'

/**
 * True when `path` is one of a database's own files — its data or lock file, by any name that
 * reaches the same file (a symbolic or hard link included), anything inside its folder when it is
 * one, or in its folder of undo points: what a command must never write over, nor read as another
 * database. A write there (an export's `--out`) truncates the database while it is mapped.
 */
export function isDatabaseFile(path: string, databasePath: string): boolean {
  const target = resolve(path)
  const database = resolve(databasePath)
  const { dataFile, lockFile, noSubdir } = locateDataFile(database)
  const within = (folder: string): boolean => {
    const inner = relative(folder, target)
    return !isAbsolute(inner) && inner.split(sep)[0] !== '..'
  }
  if (target === dataFile || target === lockFile || within(`${database}.undo`) || (!noSubdir && within(database))) return true
  const file = identity(target)
  return file !== undefined && [dataFile, lockFile].some((own) => identity(own) === file)
}

/** A file's device and inode, which every name of it shares; undefined when it is not there. */
function identity(path: string): string | undefined {
  try {
    const stat = statSync(path)
    return `${String(stat.dev)}:${String(stat.ino)}`
  } catch {
    return undefined
  }
}
