import { isAscii } from 'node:buffer'
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, isAbsolute, join } from 'node:path'
import { Script } from 'node:vm'
import { crc32 } from 'node:zlib'
import { replaceFile } from '@agent-tracker/node-host/files'

/**
 * A CommonJS bundle of the CLI, run with V8's code cache: the bytecode of every function the last
 * run of the same command compiled, so this run neither parses the ~1 MB bundle nor compiles a
 * function on its first call (about a third of a short command's time; Node 20 has no compile
 * cache of its own). The cache is best-effort: a missing, refused, damaged or unwritable cache
 * only means compiling as without one. `save` writes it once the command has run. A bundle run so
 * cannot use `import()`: V8 drops Node's handler for it from a script made from cached data (Node
 * 20), so the bundles are built with their dynamic imports turned into `require`.
 */
export interface CompiledBundle {
  /** What the bundle exports: it is trusted to be what its caller built it to be. */
  readonly exports: unknown
  /** `used`: the cache served; `missing`, or `refused` (damaged, or of another V8): compiled from source, and `save` writes one; `off`: no cache kept (turned off, or its folder is not private). */
  readonly cache: 'used' | 'missing' | 'refused' | 'off'
  /** The cache file this bundle is run with, when caching is on. */
  readonly cacheFile: string | undefined
  /** Writes the cache when this run compiled from source; never throws. */
  save(): void
}

/** Where and whether to keep code caches: `AGENT_TRACKER_COMPILE_CACHE` (a folder, relative to the working one, or `off`), else the user's cache folder. */
export interface CacheLocation {
  readonly env: Readonly<Record<string, string | undefined>>
  readonly homeDir: string
  readonly platform?: NodeJS.Platform
  /** The chance that a run served by its cache checks whether it compiled more and saves a fuller one; default 1/16. */
  readonly refreshChance?: number
}

/** The start of a cache file: a tag, then the CRC-32 of the V8 data after it (V8 itself checks no more than its length). */
const MAGIC = 0x41544331 // 'ATC1'
const HEADER_BYTES = 8

/**
 * Loads `file`, a CommonJS bundle written as the function Node would wrap a module in
 * (`(function (exports, require, module, __filename, __dirname) {…})`), through a code cache kept
 * per bundle build, V8 version and flags, and `profile`: the command about to run, since each
 * command compiles different functions. A cache is used only from folders that are the user's own
 * and that no one else can write to: V8 runs what a cache file holds, and checks no more than the
 * length of the source it was made from. Saving removes other builds' caches written over a day
 * before, and caches of other V8 versions and temporary files left for a month.
 */
export function loadCompiled(file: string, profile: string, location: CacheLocation): CompiledBundle {
  const source = readFileSync(file)
  const chosen = cacheFolder(location)
  // A folder that is there but not private is no place for a cache; a missing one has none to read,
  // and is made private on save.
  const present = chosen !== undefined && existsSync(chosen)
  const folder = present && !isPrivateFolder(chosen) ? undefined : chosen
  const name = file.slice(dirname(file).length + 1).replace(/(\.script)?\.c?js$/, '')
  const build = `${name}-${source.length.toString(36)}-${crc32(source).toString(36)}`
  const cacheFile = folder === undefined ? undefined : join(folder, `${build}-${safeProfile(profile)}.bin`)
  const stored = cacheFile === undefined || !present ? undefined : readCache(cacheFile)
  const cachedData = stored === 'damaged' ? undefined : stored
  // esbuild escapes what is not ASCII in the bundle's strings (not in its regular expressions, which
  // the sources write with \u escapes): an ASCII bundle is read as Latin-1, the same text as UTF-8
  // gives it, copied byte for byte instead of decoded (~5 ms of each start for the 1.4 MB bundle).
  const script = new Script(source.toString(isAscii(source) ? 'latin1' : 'utf8'), {
    filename: file,
    ...(cachedData === undefined ? {} : { cachedData }),
  })
  const cache = cacheFile === undefined ? 'off' : stored === undefined ? 'missing' : stored === 'damaged' || script.cachedDataRejected === true ? 'refused' : 'used'
  const module: { exports: unknown } = { exports: {} }
  ;(script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: { exports: unknown }, filename: string, dirname: string) => void)(module.exports, createRequire(file), module, file, dirname(file))
  return {
    exports: module.exports,
    cache,
    cacheFile,
    save() {
      if (cacheFile === undefined) return
      try {
        if (cache !== 'used') {
          writeCache(cacheFile, script.createCachedData(), `${name}-`, build)
          return
        }
        // The first run of a command may have taken a short path (an answer from an empty
        // database, a prompt that was no command): now and then a run served by the cache checks
        // whether it compiled more, and keeps the fuller cache.
        if (Math.random() >= (location.refreshChance ?? 1 / 16)) return
        const fuller = script.createCachedData()
        if (fuller.length > (cachedData?.length ?? 0) * 1.05) writeCache(cacheFile, fuller, `${name}-`, build)
      } catch {
        // A cache that cannot be written (a read-only home, a full disk) only costs the next run its compile.
      }
    },
  }
}

/**
 * The folder of code caches for this Node's V8 and flags, or undefined when caching is off: by
 * `AGENT_TRACKER_COMPILE_CACHE` (`off`, or an absolute folder; a relative one would make every
 * working folder — a cloned repository too — a place code is loaded from, so it is not used), else
 * the user's cache folder.
 */
export function cacheFolder({ env, homeDir, platform = process.platform }: CacheLocation): string | undefined {
  const chosen = env.AGENT_TRACKER_COMPILE_CACHE
  if (chosen === 'off' || chosen === '0') return undefined
  if (chosen !== undefined && chosen !== '' && !isAbsolute(chosen)) return undefined
  const user = chosen === undefined || chosen === '' ? userCacheFolder(env, homeDir, platform) : chosen
  // No home folder (HOME empty): a relative cache folder would land in whatever folder the command runs in.
  if (!isAbsolute(user)) return undefined
  const base = chosen === undefined || chosen === '' ? join(user, 'agent-tracker', 'compile-cache') : chosen
  // V8 refuses a cache made under other flags: each set of flags keeps its own, rather than each run rewriting the other's.
  const flags = [...process.execArgv, env.NODE_OPTIONS ?? ''].join(' ').trim()
  return join(base, `v8-${process.versions.v8}-${process.arch}${flags === '' ? '' : `-${crc32(flags).toString(36)}`}`)
}

/**
 * True when a cache folder (`…/v8-…`) and the folder holding it are real folders (no links) owned
 * by this user that no one else may write to, and the folder above those is this user's or the
 * system's and lets no one else rename them (not writable by others, or sticky as /tmp is). Always
 * true where files have no such owners (Windows).
 */
export function isPrivateFolder(folder: string): boolean {
  const uid = process.getuid?.()
  if (uid === undefined) return true
  const owned = (path: string, strict: boolean): boolean => {
    try {
      const stat = lstatSync(path)
      if (!stat.isDirectory()) return false
      if (strict) return stat.uid === uid && (stat.mode & 0o022) === 0
      return (stat.uid === uid || stat.uid === 0) && ((stat.mode & 0o022) === 0 || (stat.mode & 0o1000) !== 0)
    } catch {
      return false
    }
  }
  const base = dirname(folder)
  return owned(folder, true) && owned(base, true) && owned(dirname(base), false)
}

/** The platform's folder for a user's caches. */
function userCacheFolder(env: Readonly<Record<string, string | undefined>>, homeDir: string, platform: NodeJS.Platform): string {
  if (platform === 'win32') return env.LOCALAPPDATA ?? join(homeDir, 'AppData', 'Local')
  if (platform === 'darwin') return join(homeDir, 'Library', 'Caches')
  const xdg = env.XDG_CACHE_HOME
  return xdg !== undefined && isAbsolute(xdg) ? xdg : join(homeDir, '.cache')
}

/** A command name as a file-name part: letters, digits and dashes; anything else is `other`. */
function safeProfile(profile: string): string {
  return /^[a-z][a-z0-9-]{0,39}$/.test(profile) ? profile : 'other'
}

const HELP_OR_VERSION: ReadonlySet<string> = new Set(['--help', '-h', '--version', '-V'])

/** The data of a cache file (V8's, or a help text); undefined when there is none, `damaged` when it is not what was written. */
export function readCache(file: string): Buffer | 'damaged' | undefined {
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch {
    return undefined
  }
  if (bytes.length <= HEADER_BYTES || bytes.readUInt32LE(0) !== MAGIC) return 'damaged'
  const data = bytes.subarray(HEADER_BYTES)
  // V8 would run damaged bytecode (or abort the process): only data that is what was written is given to it.
  return crc32(data) === bytes.readUInt32LE(4) ? data : 'damaged'
}

/**
 * Writes a cache file whole or not at all (temporary file, then rename) into a folder only this
 * user may write to, and removes other builds' caches (files named `bundlePrefix…` but not
 * `build-…`) written over a day before ({@link OTHER_BUILD_MS}), other V8 versions' caches and
 * temporary files not touched for a month. Throws when it cannot write.
 */
export function writeCache(file: string, data: Buffer, bundlePrefix: string, build: string): void {
  const folder = dirname(file)
  mkdirSync(folder, { recursive: true, mode: 0o700 })
  if (!isPrivateFolder(folder)) return
  const header = Buffer.alloc(HEADER_BYTES)
  header.writeUInt32LE(MAGIC, 0)
  header.writeUInt32LE(crc32(data), 4)
  replaceFile(file, Buffer.concat([header, data]), { mode: 0o600 })
  const stale = Date.now() - STALE_MS
  const otherBuildStale = Date.now() - OTHER_BUILD_MS
  for (const entry of readdirSync(folder)) {
    const path = join(folder, entry)
    const otherBuild = entry.endsWith('.bin') && entry.startsWith(bundlePrefix) && !entry.startsWith(`${build}-`)
    if (otherBuild ? lstatSync(path).mtimeMs < otherBuildStale : entry.endsWith('.tmp') && lstatSync(path).mtimeMs < stale) rmSync(path, { force: true })
  }
  const base = dirname(folder)
  for (const entry of readdirSync(base)) {
    const path = join(base, entry)
    if (entry.startsWith('v8-') && path !== folder && lstatSync(path).mtimeMs < stale) rmSync(path, { recursive: true, force: true })
  }
}

/** A month: caches of another V8, or temporary files, left that long are removed. */
const STALE_MS = 30 * 24 * 60 * 60 * 1000

/**
 * A day: another build's caches written longer ago are removed when this build saves one. Two
 * installs of different releases used by turns — a global one and a project's, or the Claude Code
 * hooks and a newer CLI — each keep theirs: removed at every save, each made the other compile
 * every command anew at every run (~60 ms). An upgraded install's old caches go within a day.
 */
const OTHER_BUILD_MS = 24 * 60 * 60 * 1000

/** The command a CLI command line runs, as a cache profile: `search`, `hook-claude-code`; `help` for none, and for help or the version of any. */
export function profileOf(argv: readonly string[]): string {
  const command = argv.find((arg) => !arg.startsWith('-'))
  if (command === undefined || argv.some((arg) => HELP_OR_VERSION.has(arg))) return 'help'
  if (command === 'hook') {
    const host = argv.slice(argv.indexOf('hook') + 1).find((arg) => !arg.startsWith('-'))
    return `hook-${host ?? 'help'}`
  }
  return command
}
