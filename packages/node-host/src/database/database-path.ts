import { homedir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'
import { MEMORY_PATH } from '@agent-tracker/lmdb-store/config'
import { NodeHostError } from '../errors.js'

/** The environment variable every host reads the database path from. */
export const DATABASE_PATH_VARIABLE = 'AGENT_TRACKER_DB'

/** Where the database path comes from. */
export interface DatabasePathSources {
  /** An explicit path (a plugin option, a `--db` flag); wins over everything else. */
  readonly databasePath?: string | undefined
  /** The environment to read `AGENT_TRACKER_DB` from; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** The home folder; default `os.homedir()`. */
  readonly homeDir?: string
  /**
   * Where the caller took a relative explicit path from, as the error for a path not accepted
   * names it: `the working folder` for a command line's path, resolved there before it comes here
   * (`--db`); default `the home folder`, where this resolves a relative path itself.
   */
  readonly relativeTo?: string | undefined
}

/** Which source decided the database path. */
export type DatabasePathOrigin = 'explicit' | 'environment' | 'default'

/** The database every host shares unless told otherwise: `~/.config/opencode/agent-tracker.lmdb`. */
export function defaultDatabasePath(homeDir: string = homedir()): string {
  return join(homeDir, '.config', 'opencode', 'agent-tracker.lmdb')
}

/**
 * Finds the central database path and says where it came from: explicit path > `AGENT_TRACKER_DB`
 * > the default. `~`, `~/...` and relative paths resolve against the home folder, never the
 * working directory, so no project ever gets a stray `~` folder. `:memory:` passes unchanged.
 * @throws {NodeHostError} INVALID_DATABASE_PATH for `~user/...` or a `~` folder inside the path,
 * which would otherwise create a literal `~` folder, and for a path found from a home folder that
 * is empty or relative.
 */
export function locateDatabase(sources: DatabasePathSources = {}): { readonly path: string; readonly origin: DatabasePathOrigin } {
  const home = sources.homeDir ?? homedir()
  const explicit = nonEmpty(sources.databasePath)
  const fromEnvironment = explicit === undefined ? nonEmpty((sources.env ?? process.env)[DATABASE_PATH_VARIABLE]) : undefined
  const given = explicit ?? fromEnvironment
  if (given === undefined) return { path: defaultDatabasePath(homeFolder(home, undefined, 'default')), origin: 'default' }
  const origin = explicit === undefined ? 'environment' : 'explicit'
  if (given === MEMORY_PATH) return { path: given, origin }
  const [first = '', ...rest] = given.split(/[\\/]/)
  const reason = first.startsWith('~') && first !== '~' ? 'user-home' : rest.includes('~') ? 'tilde-folder' : undefined
  if (reason !== undefined) {
    const what = origin === 'environment' ? DATABASE_PATH_VARIABLE : 'database path'
    const why = reason === 'user-home' ? '"~user" paths are not supported' : 'a "~" folder inside a path is never expanded'
    const relativeTo = origin === 'explicit' ? sources.relativeTo ?? 'the home folder' : 'the home folder'
    throw new NodeHostError('INVALID_DATABASE_PATH', `Invalid ${what} "${given}": ${why}. Accepted are "~" or "~/..." (the home folder), an absolute path, or a path relative to ${relativeTo}.`, { value: given, origin, reason })
  }
  if (first === '~') return { path: join(homeFolder(home, given, origin), ...rest), origin }
  return { path: isAbsolute(given) ? resolve(given) : resolve(homeFolder(home, given, origin), given), origin }
}

/**
 * The home folder a path is found from, when it is one: an empty or relative one (HOME set to
 * nothing) would put the database wherever the command happens to run.
 * @throws {NodeHostError} INVALID_DATABASE_PATH (reason `no-home`).
 */
function homeFolder(home: string, given: string | undefined, origin: DatabasePathOrigin): string {
  if (isAbsolute(home)) return home
  const which = given === undefined ? 'the default database path (~/.config/opencode/agent-tracker.lmdb)' : `the database path "${given}"`
  const fix = given === undefined ? `give an absolute path with --db or ${DATABASE_PATH_VARIABLE}` : 'give an absolute path instead'
  throw new NodeHostError('INVALID_DATABASE_PATH', `The home folder is not known (HOME is ${home === '' ? 'empty' : `"${home}", not an absolute path`}), and ${which} is found from it: set HOME, or ${fix}.`, { value: given ?? '', origin, reason: 'no-home' })
}

/**
 * The central database path (see {@link locateDatabase}).
 * @throws {NodeHostError} INVALID_DATABASE_PATH.
 */
export function resolveDatabasePath(sources: DatabasePathSources = {}): string {
  return locateDatabase(sources).path
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim()
  return trimmed === undefined || trimmed === '' ? undefined : trimmed
}
