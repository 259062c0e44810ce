import { existsSync, readFileSync } from 'node:fs'
import { dirname, isAbsolute, join } from 'node:path'
import type { ParseError } from 'jsonc-parser'
import { parse, printParseErrorCode } from 'jsonc-parser'
import type { Io } from './io.js'

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
  return (global ? GLOBAL_FILES : PROJECT_FILES).map((name) => join(folder, name)).find((file) => existsSync(file)) ?? join(folder, 'opencode.json')
}

/**
 * The config files OpenCode would read for a project at `cwd`: the global ones, then each project
 * file from `cwd` up to its git worktree's root (only `cwd` outside a repository). Only files that exist.
 */
export function openCodeConfigFiles(io: Pick<Io, 'env' | 'homeDir' | 'cwd'>): { readonly global: string[]; readonly project: string[] } {
  const global = GLOBAL_FILES.map((name) => join(globalConfigFolder(io), name)).filter((file) => existsSync(file))
  const folders = [io.cwd]
  for (let folder = io.cwd; !existsSync(join(folder, '.git')) && dirname(folder) !== folder;) {
    folder = dirname(folder)
    folders.push(folder)
  }
  const inRepository = existsSync(join(folders.at(-1) ?? io.cwd, '.git'))
  const project = (inRepository ? folders : [io.cwd]).flatMap((folder) => PROJECT_FILES.map((name) => join(folder, name))).filter((file) => existsSync(file))
  return { global, project }
}

/** A parsed OpenCode config, or why it could not be read. */
export type ParsedConfig =
  | { readonly ok: true; readonly config: Record<string, unknown> }
  | { readonly ok: false; readonly problem: string }

/** Reads JSONC text (comments and trailing commas allowed) as an OpenCode config object. */
export function parseConfig(text: string): ParsedConfig {
  const errors: ParseError[] = []
  const config: unknown = parse(text, errors, { allowTrailingComma: true })
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
  return name === PLUGIN_NAME || name.startsWith(`${PLUGIN_NAME}@`) || (/^(file:|\/|\.)/.test(name) && name.includes('agent-tracker') && name.includes('opencode-plugin'))
}

/** Where the plugin is configured among these files, and which files could not be read. */
export function findPlugin(files: readonly string[]): { readonly configuredIn: string[]; readonly unreadable: { readonly file: string; readonly problem: string }[] } {
  const configuredIn: string[] = []
  const unreadable: { file: string; problem: string }[] = []
  for (const file of files) {
    const parsed = parseConfig(readFileSync(file, 'utf8'))
    if (!parsed.ok) unreadable.push({ file, problem: parsed.problem })
    else if (Array.isArray(parsed.config.plugin) && (parsed.config.plugin as unknown[]).some(isOurPluginEntry)) configuredIn.push(file)
  }
  return { configuredIn, unreadable }
}
