import { existsSync, readFileSync } from 'node:fs'
import { hostname, userInfo } from 'node:os'
import { join } from 'node:path'
import { urlHoldsPassword } from '@agent-tracker/node-host/hooks'
import type { PostgresStore, PostgresStoreOptions } from '@agent-tracker/postgres-store'
import { CliError, EXIT } from './cli-error.js'
import type { TeamAccess } from './describe-failure.js'
import { teamRefusedFix } from './describe-failure.js'
import type { Io } from './io.js'

/** Environment variables of the team settings. */
export const TEAM_URL_VARIABLE = 'AGENT_TRACKER_TEAM_URL'
export const TEAM_MEMBER_VARIABLE = 'AGENT_TRACKER_TEAM_MEMBER'
export const TEAM_SCHEMA_VARIABLE = 'AGENT_TRACKER_TEAM_SCHEMA'

/** Where the team settings live: the user's own config file, never a project's. */
export function configFile(io: Io): string {
  return join(io.homeDir, '.config', 'agent-tracker', 'config.json')
}

/** The team database to sync to and read from, and who this user is in it. */
export interface TeamSettings {
  readonly url: string
  /** Where the URL came from, for messages: a flag, the variable or the config file. */
  readonly origin: string
  readonly member: string
  readonly machine: string
  readonly schema?: string
  readonly ssl?: PostgresStoreOptions['ssl']
}

interface TeamConfig {
  readonly url?: unknown
  readonly member?: unknown
  readonly schema?: unknown
  readonly ssl?: unknown
}

/**
 * The team settings: a URL given on the command line, else `AGENT_TRACKER_TEAM_URL`, else
 * `team.url` in ~/.config/agent-tracker/config.json; the member's name from `--member`,
 * `AGENT_TRACKER_TEAM_MEMBER`, `team.member`, else the login name. Passwords stay out of both:
 * they come from `PGPASSWORD` or `~/.pgpass`. `team.ssl` holds TLS options for `pg`.
 * @returns undefined when no team database is configured.
 * @throws {CliError} TEAM_CONFIG for an unreadable config file, a password in the config file, or TLS options `pg` cannot take;
 * USAGE for an empty `--url` or a `--member` the team database cannot take (see {@link checkGiven}).
 */
export function teamSettings(io: Io, given: { url?: string | undefined; member?: string | undefined } = {}): TeamSettings | undefined {
  checkGiven(given)
  const file = configFile(io)
  const config = readTeamConfig(file)
  const fromEnv = nonEmpty(io.env[TEAM_URL_VARIABLE])
  const fromConfig = typeof config.url === 'string' ? nonEmpty(config.url) : undefined
  const url = nonEmpty(given.url) ?? fromEnv ?? fromConfig
  if (url === undefined) return undefined
  const origin = nonEmpty(given.url) !== undefined ? 'the command line' : fromEnv !== undefined ? TEAM_URL_VARIABLE : `team.url in ${file}`
  const ssl = teamTls(config.ssl, file)
  if (url === fromConfig && urlHoldsPassword(url)) {
    throw new CliError('TEAM_CONFIG', `team.url in ${file} holds a password: remove it, and give it in PGPASSWORD or ~/.pgpass instead (a config file is no place for credentials).`, EXIT.usage)
  }
  const member = nonEmpty(given.member) ?? nonEmpty(io.env[TEAM_MEMBER_VARIABLE]) ?? (typeof config.member === 'string' ? nonEmpty(config.member) : undefined) ?? loginName()
  const schema = nonEmpty(io.env[TEAM_SCHEMA_VARIABLE]) ?? (typeof config.schema === 'string' ? config.schema : undefined)
  return {
    url,
    origin,
    member,
    machine: hostname(),
    ...(schema === undefined ? {} : { schema }),
    ...(ssl === undefined ? {} : { ssl }),
  }
}

/** Most characters of a member's name: the team database's limit (see `openPostgresStore`). */
const MEMBER_NAME_LIMIT = 200

/**
 * A `--url` or `--member` given on the command line is used as given: an empty one (a script's
 * unset variable, `--member ""`) is refused rather than taken for none, which put the work in the
 * login name's share, or synced to another database than the one meant, without a word.
 * @throws {CliError} USAGE for an empty `--url`, or a `--member` that is empty, longer than the team database takes, or holds control characters.
 */
function checkGiven(given: { url?: string | undefined; member?: string | undefined }): void {
  if (given.url?.trim() === '') {
    throw new CliError('USAGE', '--url is empty: give the team database\'s URL (e.g. --url postgres://me@db.example.com/tracker), or leave --url out to use AGENT_TRACKER_TEAM_URL, else team.url in the config file.', EXIT.usage)
  }
  const member = given.member
  if (member === undefined) return
  // The team database's own rule (see `openPostgresStore`): at most 200 UTF-16 units, none below a space.
  const problem = member.trim() === '' ? 'is empty'
    : member.length > MEMBER_NAME_LIMIT ? `is ${String(member.length)} characters long`
      : Array.from(member).some((character) => character < ' ') ? 'holds a control character' : undefined
  if (problem === undefined) return
  const shown = JSON.stringify(member.length > 40 ? `${member.slice(0, 40)}…` : member)
  throw new CliError('USAGE', `--member ${shown} ${problem}: give your name in the team, 1 to ${String(MEMBER_NAME_LIMIT)} characters without control characters (e.g. --member ana), or leave --member out to use ${TEAM_MEMBER_VARIABLE}, else team.member in the config file, else your login name.`, EXIT.usage)
}

/** The team settings, or a clear error saying how to configure them. */
export function requireTeamSettings(io: Io, given: { url?: string | undefined; member?: string | undefined } = {}): TeamSettings {
  const settings = teamSettings(io, given)
  if (settings === undefined) {
    throw new CliError('TEAM_NOT_CONFIGURED', `No team database is configured: set ${TEAM_URL_VARIABLE} (e.g. postgres://me@db.example.com/tracker), or "team": {"url": …} in ${configFile(io)}.`, EXIT.usage)
  }
  return settings
}

/**
 * Opens the team database: `write` sets it up on first use; `read` expects it set up. A refused
 * connection is said with where the URL came from.
 */
export async function openTeamStore(settings: TeamSettings, mode: 'read' | 'write', member = ''): Promise<PostgresStore> {
  const { DEFAULT_SCHEMA, isPostgresStoreError, openPostgresStore } = await import('@agent-tracker/postgres-store')
  try {
    return await openPostgresStore({
      url: settings.url,
      mode,
      member,
      ...(settings.schema === undefined ? {} : { schema: settings.schema }),
      ...(settings.ssl === undefined ? {} : { ssl: settings.ssl }),
    })
  } catch (error) {
    const access: TeamAccess = mode === 'write' ? { mode } : { mode, schema: settings.schema ?? DEFAULT_SCHEMA, user: urlUser(settings.url) }
    const fix = isPostgresStoreError(error, 'TEAM_REFUSED') ? teamRefusedFix(error.details.sqlState, `from ${settings.origin}`, access) : undefined
    if (fix === undefined || !isPostgresStoreError(error)) throw error
    throw new CliError(error.code, `${error.message} ${fix}`, EXIT.failure)
  }
}

/** The user a URL names, if it names one (else `pg` takes `PGUSER`, or the login name). */
function urlUser(url: string): string | undefined {
  try {
    const user = decodeURIComponent(new URL(url).username)
    return user === '' ? undefined : user
  } catch {
    return undefined
  }
}

function readTeamConfig(file: string): TeamConfig {
  if (!existsSync(file)) return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new CliError('TEAM_CONFIG', `${file} is not valid JSON (${error instanceof Error ? error.message : String(error)}): fix it or remove it.`, EXIT.usage)
  }
  const team = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as { team?: unknown }).team : undefined
  if (team === undefined) return {}
  // A team setting of another shape is said, not taken for no team at all.
  const wrong = (what: string, value: unknown, accepted: string): CliError => new CliError('TEAM_CONFIG', `${what} in ${file} is ${JSON.stringify(value)}; accepted is ${accepted}.`, EXIT.usage)
  if (typeof team !== 'object' || team === null || Array.isArray(team)) throw wrong('team', team, 'an object: {"url": "postgres://me@db.example.com/tracker", "member": "…"}')
  const config = team as TeamConfig
  if (config.url !== undefined && typeof config.url !== 'string') throw wrong('team.url', config.url, 'a postgres://user@host/database URL')
  if (config.member !== undefined && typeof config.member !== 'string') throw wrong('team.member', config.member, 'a name')
  if (config.schema !== undefined && typeof config.schema !== 'string') throw wrong('team.schema', config.schema, 'a schema name')
  return config
}

/** The PEM options of `team.ssl`, and the URL parameter that names such a file instead. */
const PEM_OPTIONS = [['ca', 'certificate', 'sslrootcert'], ['cert', 'certificate', 'sslcert'], ['key', 'key', 'sslkey']] as const

/**
 * `team.ssl`: `true`, `false`, or an object of TLS options handed to `pg` (Node's `tls.connect`
 * options: `ca`, `cert`, `key`, `rejectUnauthorized`, `servername`, …), whose `ca`, `cert` and `key`
 * hold PEM text. Undefined when not set.
 */
function teamTls(value: unknown, file: string): PostgresStoreOptions['ssl'] {
  if (value === undefined || typeof value === 'boolean') return value
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliError('TEAM_CONFIG', `team.ssl in ${file} is ${JSON.stringify(value)}; accepted: true, false, or an object of TLS options for pg, such as {"ca": "-----BEGIN CERTIFICATE-----\\n…", "rejectUnauthorized": true}.`, EXIT.usage)
  }
  const options = value as Record<string, unknown>
  for (const [name, kind, parameter] of PEM_OPTIONS) {
    const given = options[name]
    if (given === undefined) continue
    const texts: unknown[] = Array.isArray(given) ? given : [given]
    if (!texts.every((text) => typeof text === 'string' && text.includes('-----BEGIN '))) {
      throw new CliError('TEAM_CONFIG', `team.ssl.${name} in ${file} is not a PEM ${kind}: give its text ("-----BEGIN …"), or name its file with ${parameter}=<file> in team.url.`, EXIT.usage)
    }
  }
  return options
}

function loginName(): string {
  try {
    return userInfo().username
  } catch {
    return 'unknown'
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value
}
