import { existsSync, readFileSync } from 'node:fs'
import { dirname, isAbsolute, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { locateDatabase } from '@agent-tracker/node-host/database-path'
import type { ParseError } from 'jsonc-parser'
import { parse, printParseErrorCode } from 'jsonc-parser'
import { CliError, EXIT } from './cli-error.js'
import type { Io } from './io.js'
import { nearestManifest } from './package-manifest.js'

/** The package name OpenCode loads the plugin by. */
export const PLUGIN_NAME = '@agent-tracker/opencode-plugin'

/** Config file names OpenCode reads in a project folder, in its order of preference. */
const PROJECT_FILES = ['opencode.jsonc', 'opencode.json'] as const

/** Config file names OpenCode reads in its global config folder. */
const GLOBAL_FILES = ['opencode.jsonc', 'opencode.json', 'config.json'] as const

/** OpenCode's global config folder: `$XDG_CONFIG_HOME/opencode`, else `~/.config/opencode`. */
export function globalConfigFolder(io: Pick<Io, 'env' | 'homeDir'>): string {
  const xdg = io.env.XDG_CONFIG_HOME
  return join(xdg !== undefined && isAbsolute(xdg) ? xdg : join(io.homeDir, '.config'), 'opencode')
}

/** The config file to edit in a folder: the one there (`opencode.jsonc` first), else a new `opencode.json`. */
export function configFileIn(folder: string, global = false): string {
  return configFilesIn(folder, global)[0] ?? join(folder, 'opencode.json')
}

/** Every config file OpenCode reads in a folder (`opencode.jsonc` first), of those that exist. */
export function configFilesIn(folder: string, global = false): string[] {
  return (global ? GLOBAL_FILES : PROJECT_FILES).map((name) => join(folder, name)).filter((file) => existsSync(file))
}

/**
 * The config files OpenCode would read for a project at `cwd`: the global ones, then each project
 * file from `cwd` up to its git worktree's root (only `cwd` outside a repository). Only files that
 * exist; `folders` are the project folders looked in, `cwd` first.
 */
export function openCodeConfigFiles(io: Pick<Io, 'env' | 'homeDir' | 'cwd'>): { readonly global: string[]; readonly project: string[]; readonly folders: readonly string[] } {
  const global = GLOBAL_FILES.map((name) => join(globalConfigFolder(io), name)).filter((file) => existsSync(file))
  const upward = [io.cwd]
  for (let folder = io.cwd; !existsSync(join(folder, '.git')) && dirname(folder) !== folder;) {
    folder = dirname(folder)
    upward.push(folder)
  }
  const folders = existsSync(join(upward.at(-1) ?? io.cwd, '.git')) ? upward : [io.cwd]
  const project = folders.flatMap((folder) => PROJECT_FILES.map((name) => join(folder, name))).filter((file) => existsSync(file))
  return { global, project, folders }
}

/** The byte-order mark some editors (Notepad, PowerShell's `Out-File`) put at the start of a UTF-8 file: OpenCode reads a config that has one. */
const BYTE_ORDER_MARK = '\uFEFF'

/** A file's text as its byte-order mark (`''` when it has none) and the rest, so that an edit can keep the mark as it was. */
export function splitByteOrderMark(text: string): { readonly mark: string; readonly rest: string } {
  return text.startsWith(BYTE_ORDER_MARK) ? { mark: BYTE_ORDER_MARK, rest: text.slice(BYTE_ORDER_MARK.length) } : { mark: '', rest: text }
}

/** Why a file could not be read, in words (a folder in its place, no permission), from the error reading it. */
export function whyNotRead(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  return code === 'EISDIR' ? 'it is a folder'
    : code === 'EACCES' || code === 'EPERM' ? 'no permission to read it'
      : code === 'ENOENT' ? 'it no longer exists'
        : (error as Error).message
}

/**
 * The text of an OpenCode config file.
 * @throws {CliError} CANNOT_READ naming the file and why it cannot be read.
 */
export function readConfigFile(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    throw new CliError('CANNOT_READ', `Cannot read ${file}: ${whyNotRead(error)}; nothing was changed.`, EXIT.failure, { cause: error })
  }
}

/** A parsed OpenCode config, or why it could not be read. */
export type ParsedConfig =
  | { readonly ok: true; readonly config: Record<string, unknown> }
  | { readonly ok: false; readonly problem: string }

/** Reads JSONC text (comments and trailing commas allowed, after a byte-order mark if it has one) as an OpenCode config object. */
export function parseConfig(text: string): ParsedConfig {
  const errors: ParseError[] = []
  const config: unknown = parse(splitByteOrderMark(text).rest, errors, { allowTrailingComma: true })
  const first = errors[0]
  if (first !== undefined) {
    const line = text.slice(0, first.offset).split('\n').length
    return { ok: false, problem: `${printParseErrorCode(first.error)} on line ${String(line)}` }
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return { ok: false, problem: 'it is not a JSON object' }
  return { ok: true, config: config as Record<string, unknown> }
}

/** True for a `plugin` entry that loads this plugin: its name (with or without a version), or a path to it. */
export function isOurPluginEntry(entry: unknown): boolean {
  const name = Array.isArray(entry) ? (entry as unknown[])[0] : entry
  if (typeof name !== 'string') return false
  if (name === PLUGIN_NAME || name.startsWith(`${PLUGIN_NAME}@`)) return true
  if (!/^(file:|\/|\.)/.test(name)) return false
  // A local copy: known by the package it belongs to (a checkout at any path), else by its path's words.
  return packageNameOf(name) === PLUGIN_NAME || (name.includes('agent-tracker') && name.includes('opencode-plugin'))
}

/** The name in the package.json nearest above a file given by absolute path or file: URL; undefined when there is none or it cannot be read. */
function packageNameOf(location: string): string | undefined {
  let path: string
  try {
    path = location.startsWith('file:') ? fileURLToPath(location) : location
  } catch {
    return undefined
  }
  const name = isAbsolute(path) ? nearestManifest(path, 8)?.name : undefined
  return typeof name === 'string' ? name : undefined
}

/** The npm name of the plugin agent-tracker replaces: it writes its own format at the same database path. */
export const PREDECESSOR_PLUGIN_NAME = 'opencode-agent-tracker'

/** True for a `plugin` entry that loads the predecessor's plugin (with or without a version). */
export function isPredecessorPluginEntry(entry: unknown): boolean {
  const name = Array.isArray(entry) ? (entry as unknown[])[0] : entry
  return typeof name === 'string' && (name === PREDECESSOR_PLUGIN_NAME || name.startsWith(`${PREDECESSOR_PLUGIN_NAME}@`))
}

/**
 * The options of this plugin's entry in a parsed config: `{}` for an entry without options,
 * undefined when the config does not load the plugin.
 */
export function pluginOptionsIn(config: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> | undefined {
  if (!Array.isArray(config.plugin)) return undefined
  const entry = (config.plugin as unknown[]).find(isOurPluginEntry)
  if (entry === undefined) return undefined
  const options: unknown = Array.isArray(entry) ? (entry as unknown[])[1] : undefined
  return typeof options === 'object' && options !== null && !Array.isArray(options) ? (options as Record<string, unknown>) : {}
}

/** Where the plugin is configured among these files (with its options there), and which files could not be read. */
export function findPlugin(files: readonly string[]): {
  readonly configuredIn: string[]
  readonly options: { readonly file: string; readonly options: Readonly<Record<string, unknown>> }[]
  readonly unreadable: { readonly file: string; readonly problem: string }[]
  /** The files that load the predecessor's plugin (see {@link isPredecessorPluginEntry}). */
  readonly predecessorIn: string[]
} {
  const options: { file: string; options: Readonly<Record<string, unknown>> }[] = []
  const unreadable: { file: string; problem: string }[] = []
  const predecessorIn: string[] = []
  for (const file of files) {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (error) {
      unreadable.push({ file, problem: whyNotRead(error) })
      continue
    }
    const parsed = parseConfig(text)
    if (!parsed.ok) {
      unreadable.push({ file, problem: parsed.problem })
      continue
    }
    const found = pluginOptionsIn(parsed.config)
    if (found !== undefined) options.push({ file, options: found })
    if (Array.isArray(parsed.config.plugin) && (parsed.config.plugin as unknown[]).some(isPredecessorPluginEntry)) predecessorIn.push(file)
  }
  return { configuredIn: options.map((entry) => entry.file), options, unreadable, predecessorIn }
}

/**
 * The database the plugin keeps given its options: `databasePath` resolved by the rules every host
 * follows (`locateDatabase`: relative to the home folder); undefined when the option is not set,
 * so the plugin finds the database as the CLI does (`AGENT_TRACKER_DB`, else the default).
 * @throws {NodeHostError} INVALID_DATABASE_PATH for a path the plugin would refuse.
 */
export function pluginDatabase(options: Readonly<Record<string, unknown>>, io: Pick<Io, 'env' | 'homeDir'>): string | undefined {
  const given = options.databasePath
  if (typeof given !== 'string' || given.trim() === '') return undefined
  return locateDatabase({ databasePath: given, env: io.env, homeDir: io.homeDir }).path
}
