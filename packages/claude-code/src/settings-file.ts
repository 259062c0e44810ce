import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The settings files Claude Code reads in one of its folders: `settings.json` (a project's is
 * shared, committed with it) and `settings.local.json` (a project's personal settings, kept out of
 * git, merged over `settings.json`; the hooks of both run).
 */
export const SETTINGS_FILE_NAMES = ['settings.json', 'settings.local.json'] as const

/** One of `SETTINGS_FILE_NAMES`. */
export type SettingsFileName = (typeof SETTINGS_FILE_NAMES)[number]

/** A Claude Code settings file in a folder, as read. */
export interface SettingsFile {
  readonly file: string
  /** The file's text; undefined when there is no file. */
  readonly text: string | undefined
  /** The settings object: empty for a missing or blank file. */
  readonly settings: Readonly<Record<string, unknown>>
  /** The indentation the file is written with (two spaces when it shows none), kept when it is written again. */
  readonly indent: string
}

/** One hook of a group, as Claude Code's settings hold it (`statusMessage` is what Claude Code shows while it runs). */
export type HookEntry = { type?: string; command?: string; timeout?: number; statusMessage?: string }

/** One hook group of an event: a matcher and its hooks, as Claude Code's settings hold them. */
export type HookGroup = { matcher?: string; hooks?: HookEntry[] }

/** A settings file that cannot be taken as settings: what is wrong with it (`reason`) and the message naming the file. */
export class SettingsFileProblem extends Error {
  override readonly name = 'SettingsFileProblem'

  /** What is wrong, e.g. `not valid JSON (Unexpected end of JSON input)`. */
  readonly reason: string

  constructor(file: string, reason: string) {
    super(`${file} is ${reason}; fix it first — nothing was changed.`)
    this.reason = reason
  }
}

/**
 * Reads the settings file `name` (`settings.json` unless given) in `folder`.
 * @throws {SettingsFileProblem} when the file is not valid JSON, or JSON but not an object, naming the file.
 */
export function readSettingsFile(folder: string, name: SettingsFileName = 'settings.json'): SettingsFile {
  const file = join(folder, name)
  const text = existsSync(file) ? readFileSync(file, 'utf8') : undefined
  if (text === undefined || text.trim() === '') return { file, text, settings: {}, indent: '  ' }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new SettingsFileProblem(file, `not valid JSON (${(error as Error).message})`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SettingsFileProblem(file, 'not a JSON object')
  return { file, text, settings: value as Record<string, unknown>, indent: /^[ \t]+(?=\S)/m.exec(text)?.[0] ?? '  ' }
}

/** The text to write back: `settings` in the file's own indentation, with a final newline. */
export function settingsText(read: SettingsFile, settings: Readonly<Record<string, unknown>>): string {
  return `${JSON.stringify(settings, null, read.indent)}\n`
}

/** The settings' `hooks` object (a copy), empty when there is none or it is not an object. */
export function hooksOf(settings: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const hooks = settings.hooks
  return typeof hooks === 'object' && hooks !== null && !Array.isArray(hooks) ? { ...(hooks as Record<string, unknown>) } : {}
}

/** An event's hook groups; none when the entry is not a list. */
export function groupsOf(hooks: Readonly<Record<string, unknown>>, event: string): HookGroup[] {
  const groups = hooks[event]
  return Array.isArray(groups) ? (groups as HookGroup[]) : []
}
