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
  /** True when the file starts with a UTF-8 byte order mark (some Windows editors write one; Claude Code reads past it): kept when it is written again. */
  readonly bom?: boolean
}

/** The UTF-8 byte order mark, as `readFileSync(…, 'utf8')` leaves it: the first character of the text. */
const BOM = '\uFEFF'

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
 * @throws {SettingsFileProblem} when the file is not valid JSON, or JSON but not an object, or its
 * `hooks` are not laid out as Claude Code's (see `hooksProblem`), naming the file and the place.
 */
export function readSettingsFile(folder: string, name: SettingsFileName = 'settings.json'): SettingsFile {
  const file = join(folder, name)
  const text = existsSync(file) ? readFileSync(file, 'utf8') : undefined
  // A byte order mark is no JSON, but Claude Code reads past it: so does this, and writes it back.
  const bom = text?.startsWith(BOM) === true
  const json = text !== undefined && bom ? text.slice(BOM.length) : text
  if (json === undefined || json.trim() === '') return { file, text, settings: {}, indent: '  ', ...(bom ? { bom } : {}) }
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch (error) {
    // On one line: the parser's message may quote the file, line breaks and all.
    throw new SettingsFileProblem(file, `not valid JSON (${(error as Error).message.replace(/\s+/g, ' ')})`)
  }
  if (!isObject(value)) throw new SettingsFileProblem(file, 'not a JSON object')
  const wrong = hooksProblem(value.hooks)
  if (wrong !== undefined) throw new SettingsFileProblem(file, `not valid Claude Code settings (${wrong})`)
  return { file, text, settings: value, indent: /^[ \t]+(?=\S)/m.exec(json)?.[0] ?? '  ', ...(bom ? { bom } : {}) }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * What is wrong with a settings file's `hooks`, as Claude Code lays them out — an object of
 * events, each a list of groups (objects), each group's `hooks` a list of objects — or undefined
 * when nothing is: a hook list of another shape is neither read nor rewritten, so no entry of it
 * is dropped on the way.
 */
function hooksProblem(hooks: unknown): string | undefined {
  if (hooks === undefined) return undefined
  if (!isObject(hooks)) return 'hooks is not an object of events'
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) return `hooks.${event} is not a list of hook groups`
    for (const [index, group] of groups.entries()) {
      const where = `hooks.${event}[${String(index)}]`
      if (!isObject(group)) return `${where} is not a hook group (an object with matcher and hooks)`
      if (group.hooks === undefined) continue
      if (!Array.isArray(group.hooks)) return `${where}.hooks is not a list`
      const entry = group.hooks.findIndex((hook) => !isObject(hook))
      if (entry >= 0) return `${where}.hooks[${String(entry)}] is not a hook (an object with type and command)`
    }
  }
  return undefined
}

/** The text to write back: `settings` in the file's own indentation, with a final newline (and the byte order mark it started with). */
export function settingsText(read: SettingsFile, settings: Readonly<Record<string, unknown>>): string {
  return `${read.bom === true ? BOM : ''}${JSON.stringify(settings, null, read.indent)}\n`
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
