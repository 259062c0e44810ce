import { homedir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'
import { LmdbStoreError } from './errors.js'

/** The path that selects a throw-away database in a temporary folder (tests, demos). */
export const MEMORY_PATH = ':memory:'

/** The environment variable every host reads the database path from. */
export const DATABASE_PATH_VARIABLE = 'AGENT_TRACKER_DB'

/** Where the database path comes from. */
export interface DatabasePathSources {
  /** An explicit path (plugin option, `--db`); wins over everything else. */
  readonly databasePath?: string | undefined
  /** The environment to read `AGENT_TRACKER_DB` from; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** The home folder; default `os.homedir()`. */
  readonly homeDir?: string
}

/**
 * Resolves the central database path: explicit path > `AGENT_TRACKER_DB` > the default
 * `~/.config/opencode/agent-tracker.lmdb`. `~`, `~/...` and relative paths resolve against the home
 * folder, never the working directory, so no project ever gets a stray `~` folder. Returns
 * {@link MEMORY_PATH} unchanged.
 * @throws {LmdbStoreError} INVALID_OPTION for `~user/...` or a `~` folder inside the path, which
 * would otherwise create a literal `~` folder.
 */
export function resolveDatabasePath(sources: DatabasePathSources = {}): string {
  const home = sources.homeDir ?? homedir()
  const explicit = nonEmpty(sources.databasePath)
  const given = explicit ?? nonEmpty((sources.env ?? process.env)[DATABASE_PATH_VARIABLE])
  if (given === undefined) return join(home, '.config', 'opencode', 'agent-tracker.lmdb')
  if (given === MEMORY_PATH) return given
  const [first = '', ...rest] = given.split(/[\\/]/)
  const reason = first.startsWith('~') && first !== '~' ? '"~user" paths are not supported' : rest.includes('~') ? 'a "~" folder inside a path is never expanded' : undefined
  if (reason !== undefined) {
    const what = explicit === undefined ? DATABASE_PATH_VARIABLE : 'database path'
    throw new LmdbStoreError('INVALID_OPTION', `Invalid ${what} "${given}": ${reason}. Accepted are "~" or "~/..." (the home folder), an absolute path, or a path relative to the home folder.`)
  }
  if (first === '~') return join(home, ...rest)
  return isAbsolute(given) ? resolve(given) : resolve(home, given)
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim()
  return trimmed === undefined || trimmed === '' ? undefined : trimmed
}
