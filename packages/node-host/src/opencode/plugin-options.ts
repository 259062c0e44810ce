import type { HaltMode, ProtectedFiles, ScoringRules, SetupIdentity } from '@agent-tracker/core'
import { SETUP_IDENTITIES, describeValue, resolveRules } from '@agent-tracker/core'
import { validateMaxDatabaseSize } from '@agent-tracker/lmdb-store/config'
import type { WriteBufferOptions } from '@agent-tracker/write-buffer/options'
import { isWriteBufferError, resolveWriteBufferOptions } from '@agent-tracker/write-buffer/options'
import type { StatusExportMode } from '../tracker/status-export.js'
import { resolveProtectedFiles } from '../trust/protected-file-index.js'
import { urlHoldsPassword } from '../team/team-url.js'

/**
 * The options of the OpenCode plugin (`["@agent-tracker/opencode-plugin", { … }]` in opencode.json):
 * read here, in the host kit, so that the plugin and the CLI's `doctor` judge them the same way.
 */

/** The plugin's options, with defaults applied. */
export interface PluginSettings {
  readonly databasePath: string | undefined
  readonly maxDatabaseSize: number | undefined
  readonly identity: SetupIdentity
  readonly rules: ScoringRules
  readonly enforceHalt: HaltMode
  readonly envProtection: boolean
  /** The files the guard protects: the defaults, the `protectedFiles` option's patterns, then `AGENT_TRACKER_PROTECTED_FILES`'s. */
  readonly protection: ProtectedFiles
  readonly exportStatusFile: StatusExportMode
  readonly migrateOnStart: boolean
  /** Replace the predecessor's central database at the path with agent-tracker's on start (see `agent-tracker upgrade`). */
  readonly upgradeOnStart: boolean
  readonly flush: WriteBufferOptions
  /** Scan the project's git history for evidence (suspected bugs, reverts, survival) in the background after each push. */
  readonly gitEvidence: boolean
  /** The team database to sync to after flushes (else `AGENT_TRACKER_TEAM_URL`); none by default. */
  readonly team: TeamOption | undefined
}

/** The `team` option: a PostgreSQL URL without a password, and optionally the member's name and the schema. */
export interface TeamOption {
  readonly url: string
  readonly member?: string
  readonly schema?: string
}

const KNOWN = ['databasePath', 'maxDatabaseSize', 'identity', 'rules', 'enforceHalt', 'envProtection', 'protectedFiles', 'exportStatusFile', 'migrateOnStart', 'upgradeOnStart', 'flush', 'gitEvidence', 'team'] as const

/** An option that cannot be used; the message names it, its value and what is accepted. */
export class InvalidPluginOptionError extends Error {
  override readonly name = 'InvalidPluginOptionError'
}

/**
 * Reads the options of `["@agent-tracker/opencode-plugin", { … }]`.
 * @throws {InvalidPluginOptionError} naming every bad option, its value and what is accepted (one sentence each).
 */
export function readPluginOptions(input: unknown, env: Readonly<Record<string, string | undefined>> = process.env): PluginSettings {
  const options = input ?? {}
  if (typeof options !== 'object' || Array.isArray(options)) throw invalid('options', options, 'an object')
  const given = options as Record<string, unknown>
  // Every option is read, and every bad one named: fixing them one start at a time would take as many starts.
  const problems: string[] = []
  const unknown = Object.keys(given).filter((key) => !(KNOWN as readonly string[]).includes(key))
  if (unknown.length > 0) problems.push(`Unknown agent-tracker option${unknown.length === 1 ? '' : 's'} ${unknown.map((key) => `"${key}"`).join(', ')}; known options are ${KNOWN.join(', ')}.`)
  const read = <T>(fallback: T, reader: () => T): T => {
    try {
      return reader()
    } catch (error) {
      // Errors from core and the adapters name the option, its value and what is accepted; the
      // plugin says it in its own option names where they differ.
      problems.push(error instanceof InvalidPluginOptionError ? error.message : inOptionTerms(error))
      return fallback
    }
  }
  const settings: PluginSettings = {
    databasePath: read(undefined, () => optionalString(given, 'databasePath')),
    maxDatabaseSize: read(undefined, () => (given.maxDatabaseSize === undefined ? undefined : validateMaxDatabaseSize(given.maxDatabaseSize))),
    identity: read('agent+model', () => oneOf(given, 'identity', SETUP_IDENTITIES, 'agent+model')),
    rules: read(resolveRules({}), () => resolveRules(given.rules ?? {})),
    enforceHalt: read('block', () => boolean(given, 'enforceHalt', { true: 'block', false: 'off' }, ['block', 'warn', 'off'], 'block')),
    envProtection: read(true, () => oneOf(given, 'envProtection', [true, false], true)),
    protection: read(resolveProtectedFiles([], env), () => protectedFilesOption(given, env)),
    exportStatusFile: read('existing', () => boolean(given, 'exportStatusFile', { true: 'existing', false: 'off' }, ['existing', 'always', 'off'], 'existing')),
    migrateOnStart: read(true, () => oneOf(given, 'migrateOnStart', [true, false], true)),
    gitEvidence: read(true, () => oneOf(given, 'gitEvidence', [true, false], true)),
    upgradeOnStart: read(true, () => oneOf(given, 'upgradeOnStart', [true, false], true)),
    flush: read({}, () => {
      const flush: unknown = given.flush ?? {}
      if (typeof flush !== 'object' || flush === null || Array.isArray(flush)) throw invalid('flush', flush, 'an object like {"maxPending": 1000, "maxAgeMs": 30000}')
      const { maxPending, maxAgeMs, ...rest } = flush as Record<string, unknown>
      const extra = Object.keys(rest)[0]
      if (extra !== undefined) throw new InvalidPluginOptionError(`Unknown agent-tracker option flush.${extra}; known are flush.maxPending and flush.maxAgeMs.`)
      const chosen = { ...(maxPending === undefined ? {} : { maxPending }), ...(maxAgeMs === undefined ? {} : { maxAgeMs }) } as WriteBufferOptions
      resolveWriteBufferOptions(chosen)
      return chosen
    }),
    team: read(undefined, () => readTeamOption(given.team)),
  }
  if (problems.length > 0) throw new InvalidPluginOptionError(problems.join(' '))
  return settings
}

/**
 * The protected files the options name (`protectedFiles`, with `AGENT_TRACKER_PROTECTED_FILES`),
 * read alone: while other options are bad and tracking pauses, the guard still keeps the user's
 * own protected files, not the defaults only. The defaults when this option too is bad or absent.
 */
export function protectionOfOptions(input: unknown, env: Readonly<Record<string, string | undefined>> = process.env): ProtectedFiles {
  const given = typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : {}
  try {
    return protectedFilesOption(given, env)
  } catch {
    return resolveProtectedFiles([], env)
  }
}

function protectedFilesOption(given: Record<string, unknown>, env: Readonly<Record<string, string | undefined>>): ProtectedFiles {
  const patterns: unknown = given.protectedFiles ?? []
  if (!Array.isArray(patterns)) throw invalid('protectedFiles', patterns, 'an array of file name or path globs, e.g. ["*.pem", "id_rsa*", "!.env.test"]')
  return resolveProtectedFiles(patterns, env)
}

function readTeamOption(team: unknown): TeamOption | undefined {
  if (team === undefined) return undefined
  const accepted = 'an object like {"url": "postgres://me@db.example.com/tracker", "member": "ana"}'
  if (typeof team !== 'object' || team === null || Array.isArray(team)) throw invalid('team', team, accepted)
  const { url, member, schema, ...rest } = team as Record<string, unknown>
  const extra = Object.keys(rest)[0]
  if (extra !== undefined) throw new InvalidPluginOptionError(`Unknown agent-tracker option team.${extra}; known are team.url, team.member and team.schema.`)
  if (typeof url !== 'string' || !/^postgres(ql)?:\/\/[^/]/.test(url)) throw invalid('team.url', url, 'a postgres://user@host/database URL')
  if (urlHoldsPassword(url)) {
    throw new InvalidPluginOptionError('Invalid agent-tracker option team.url: it holds a password; remove it and give it in PGPASSWORD or ~/.pgpass (opencode.json is no place for credentials).')
  }
  if (member !== undefined && (typeof member !== 'string' || member.trim() === '')) throw invalid('team.member', member, 'a non-empty name')
  if (schema !== undefined && typeof schema !== 'string') throw invalid('team.schema', schema, 'a schema name')
  return { url, ...(member === undefined ? {} : { member }), ...(schema === undefined ? {} : { schema }) }
}

function optionalString(given: Record<string, unknown>, name: string): string | undefined {
  const value = given[name]
  if (value === undefined) return undefined
  if (typeof value === 'string' && value.trim() !== '') return value
  throw invalid(name, value, 'a non-empty path')
}

function oneOf<T>(given: Record<string, unknown>, name: string, accepted: readonly T[], fallback: T): T {
  const value = given[name]
  if (value === undefined) return fallback
  if ((accepted as readonly unknown[]).includes(value)) return value as T
  throw invalid(name, value, accepted.map((a) => JSON.stringify(a)).join(' or '))
}

function boolean<T extends string>(given: Record<string, unknown>, name: string, booleans: { true: T; false: T }, accepted: readonly T[], fallback: T): T {
  const value = given[name]
  if (value === true) return booleans.true
  if (value === false) return booleans.false
  return oneOf(given, name, accepted, fallback)
}

/** An adapter's complaint about an option's value, in the plugin's option names. */
function inOptionTerms(error: unknown): string {
  return flushOptionMessage(error) ?? (error instanceof Error ? error.message : String(error))
}

/**
 * The write buffer's complaint about one of its options (`INVALID_OPTION`), said in the plugin's
 * option names (`flush.maxPending`, `flush.maxAgeMs`); `undefined` for any other error. The
 * option reader and the plugin's error messages both say it this way.
 */
export function flushOptionMessage(error: unknown): string | undefined {
  if (!isWriteBufferError(error, 'INVALID_OPTION')) return undefined
  const { option, value, minimum } = error.details
  return `Invalid agent-tracker option flush.${option}: ${describeValue(value)}; accepted: a whole number ≥ ${String(minimum)}, or false to turn it off.`
}

function invalid(name: string, value: unknown, accepted: string): InvalidPluginOptionError {
  return new InvalidPluginOptionError(`Invalid agent-tracker option ${name}: ${describeValue(value)}; accepted: ${accepted}.`)
}
