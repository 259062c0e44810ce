import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The files under a folder whose name passes `accept`, at any depth, sorted by path; with `since`,
 * only those modified at or after it (a file untouched since then holds nothing newer). Folders that
 * cannot be read are skipped.
 */
export function findFiles(folder: string, accept: (name: string) => boolean, since?: Date): string[] {
  const found: string[] = []
  const walk = (current: string): void => {
    let entries
    try {
      entries = readdirSync(current, { withFileTypes: true })
    } catch {
      return
    }
    for (const entry of entries) {
      const path = join(current, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.isFile() && accept(entry.name) && (since === undefined || modifiedSince(path, since))) found.push(path)
    }
  }
  walk(folder)
  return found.sort()
}

function modifiedSince(path: string, since: Date): boolean {
  try {
    return statSync(path).mtimeMs >= since.getTime()
  } catch {
    return false
  }
}

/** The files a reader reads: each given file as it is, and the accepted files under each given folder (see {@link findFiles}). */
export function historyFiles(paths: readonly string[], accept: (name: string) => boolean, since?: string): string[] {
  const after = since === undefined ? undefined : new Date(since)
  return paths.flatMap((path) => (isFolder(path) ? findFiles(path, accept, after) : [path]))
}

/** True for a folder that exists; false for a file, or nothing there. */
export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}
