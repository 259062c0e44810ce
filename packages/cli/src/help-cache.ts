import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { CacheLocation } from './compiled-bundle.js'
import { cacheFolder, isPrivateFolder, readCache, writeCache } from './compiled-bundle.js'

/**
 * The program's own help: `agent-tracker` alone, `--help` or `-h`. Its text depends on nothing but
 * the build and the width it is wrapped to, so it is kept beside the code caches and printed from
 * there (a file read) instead of loading the commands' bundle and building every command to render
 * it (about 50 ms of each call).
 */
export function isProgramHelp(args: readonly string[]): boolean {
  return args.length === 0 || (args.length === 1 && (args[0] === '--help' || args[0] === '-h'))
}

/** The kept text of the program's help for one build and width. */
export interface HelpCache {
  /** The text kept by an earlier run; undefined when there is none (or it is damaged, or caching is off). */
  read(): string | undefined
  /** Keeps `text` for the next runs; never throws. */
  save(text: string): void
}

/**
 * The help cache of the commands' bundle `bundleFile` (its build told by its size, modification
 * time and file number, and `version`) wrapped to `width` (a terminal's columns; undefined when
 * the output is no terminal, as commander wraps it), in the code caches' folder: off, or unused,
 * where they are (see `cacheFolder`).
 */
export function helpCache(bundleFile: string, version: string, width: number | undefined, location: CacheLocation): HelpCache {
  const folder = cacheFolder(location)
  let file: string | undefined
  let build = ''
  try {
    const stat = statSync(bundleFile)
    build = `help-${[stat.size, Math.trunc(stat.mtimeMs), stat.ino].map((n) => n.toString(36)).join('-')}-${version.replace(/[^0-9A-Za-z.]/g, '_')}`
    file = folder === undefined ? undefined : join(folder, `${build}-${width === undefined ? 'pipe' : String(width)}.bin`)
  } catch {
    // No bundle to tell the build by: no cache.
  }
  return {
    read() {
      if (file === undefined || folder === undefined || !existsSync(file) || !isPrivateFolder(folder)) return undefined
      const data = readCache(file)
      return data === undefined || data === 'damaged' ? undefined : data.toString('utf8')
    },
    save(text) {
      if (file === undefined) return
      try {
        writeCache(file, Buffer.from(text, 'utf8'), 'help-', build)
      } catch {
        // A help text that cannot be kept (a read-only home, a full disk) is rendered again next time.
      }
    },
  }
}
