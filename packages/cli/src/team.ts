import { existsSync, readFileSync } from 'node:fs'
import { hostname, userInfo } from 'node:os'
import { join } from 'node:path'
import type { PostgresStore, PostgresStoreOptions } from '@agent-tracker/postgres-store'
import { CliError, EXIT } from './cli-error.js'
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
 * `pg` reads them from `PGPASSWORD` or `~/.pgpass`.
 * @returns undefined when no team database is configured.
 * @throws {CliError} TEAM_CONFIG for an unreadable config file or a password in the config file.
 */
export function teamSettings(io: Io, given: { url?: string | undefined; member?: string | undefined } = {}): TeamSettings | undefined {
  const file = configFile(io)
  const config = readTeamConfig(file)
  const fromEnv = nonEmpty(io.env[TEAM_URL_VARIABLE])
  const fromConfig = typeof config.url === 'string' ? nonEmpty(config.url) : undefined
  const url = nonEmpty(given.url) ?? fromEnv ?? fromConfig
  if (url === undefined) return undefined
  const origin = nonEmpty(given.url) !== undefined ? 'the command line' : fromEnv !== undefined ? TEAM_URL_VARIABLE : `team.url in ${file}`
  if (url === fromConfig && hasPassword(url)) {
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
    ...(typeof config.ssl === 'object' && config.ssl !== null ? { ssl: config.ssl as PostgresStoreOptions['ssl'] } : {}),
  }
}

/** The team settings, or a clear error saying how to configure them. */
export function requireTeamSettings(io: Io, given: { url?: string | undefined; member?: string | undefined } = {}): TeamSettings {
  const settings = teamSettings(io, given)
  if (settings === undefined) {
    throw new CliError('TEAM_NOT_CONFIGURED', `No team database is configured: set ${TEAM_URL_VARIABLE} (e.g. postgres://me@db.example.com/tracker), or "team": {"url": …} in ${configFile(io)}.`, EXIT.usage)
  }
  return settings
}

/** Opens the team database: `write` sets it up on first use; `read` expects it set up. */
export async function openTeamStore(settings: TeamSettings, mode: 'read' | 'write', member = ''): Promise<PostgresStore> {
  const { openPostgresStore } = await import('@agent-tracker/postgres-store')
  return openPostgresStore({
    url: settings.url,
    mode,
    member,
    ...(settings.schema === undefined ? {} : { schema: settings.schema }),
    ...(settings.ssl === undefined ? {} : { ssl: settings.ssl }),
  })
}

function readTeamConfig(file: string): TeamConfig {
  if (!existsSync(file)) return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new CliError('TEAM_CONFIG', `${file} is not valid JSON (${error instanceof Error ? error.message : String(error)}): fix it or remove it.`, EXIT.usage)
  }
  const team = typeof parsed === 'object' && parsed !== null ? (parsed as { team?: unknown }).team : undefined
  return typeof team === 'object' && team !== null ? team : {}
}

function hasPassword(url: string): boolean {
  try {
    return new URL(url).password !== ''
  } catch {
    return false
  }
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
