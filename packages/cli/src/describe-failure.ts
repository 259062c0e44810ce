import { TrackerError } from '@agent-tracker/core'
import type { DatabaseFormat } from '@agent-tracker/lmdb-store'
import { describeDatabaseFormat, formatBytes, isLmdbStoreError, readableProblem } from '@agent-tracker/lmdb-store'
import { isNodeHostError } from '@agent-tracker/node-host/hooks'
// The errors alone: describing any failure must not load the PostgreSQL driver.
import { isPostgresStoreError } from '@agent-tracker/postgres-store/errors'
import { isWriteBufferError } from '@agent-tracker/write-buffer'
import { CliError, EXIT } from './cli-error.js'

/** What to do about a damaged database file, in the CLI's terms. */
export const DAMAGE_FIX = 'Run agent-tracker doctor --deep to see where; then restore a backup, or copy everything still readable into a new database with agent-tracker doctor --salvage <new-file> and use that (--db or AGENT_TRACKER_DB).'

const USAGE_CODES: ReadonlySet<string> = new Set(['INVALID_GRADE', 'INVALID_TIMESTAMP', 'INVALID_QUERY', 'INVALID_SETUP_ID', 'INVALID_RULES', 'INVALID_OPTION', 'INVALID_DATABASE_PATH'])

/** A command's failure in the CLI's terms. */
export interface Failure {
  readonly code: string
  readonly message: string
  readonly exitCode: number
  /** For DATABASE_DAMAGED: what was found, without what to do about it (what a damage mark keeps). */
  readonly problem?: string
}

/**
 * The code, message and exit code of anything thrown by a command. Errors of core and the
 * adapters keep their code; where the fix depends on how the CLI is told things, it is added in
 * the CLI's own terms (`--db`, `--max-size`, `AGENT_TRACKER_DB`), from the error's code and data.
 * What an error of the database library quotes of damaged bytes is left out (see `readableProblem`).
 */
export function describeFailure(error: unknown): Failure {
  if (error instanceof CliError) return { code: error.code, message: error.message, exitCode: error.exitCode }
  if (isLmdbStoreError(error, 'NOT_AGENT_TRACKER_DATABASE')) {
    return { code: error.code, message: notOursAdvice(error.details.path, error.details.format), exitCode: EXIT.failure }
  }
  if (error instanceof TrackerError && error.code === 'DAMAGED_RECORD') return damaged(error.message)
  if (isLmdbStoreError(error, 'INVALID_OPTION') && error.message.startsWith('Invalid databasePath ')) {
    // The store names the plugin's option; here the path came from --db, AGENT_TRACKER_DB or the default.
    return { code: error.code, message: error.message.replace('Invalid databasePath ', 'Invalid database path (--db or AGENT_TRACKER_DB) '), exitCode: EXIT.usage }
  }
  if (error instanceof TrackerError || isLmdbStoreError(error) || isNodeHostError(error) || isWriteBufferError(error) || isPostgresStoreError(error)) {
    const code: string = error.code
    const fix = fixInCliTerms(error) ?? fixInCliTerms(error.cause)
    return { code, message: fix === undefined ? error.message : `${error.message} ${fix}`, exitCode: USAGE_CODES.has(code) ? EXIT.usage : EXIT.failure }
  }
  const message = error instanceof Error ? error.message : String(error)
  const lmdbCode = /\bMDB_(CORRUPTED|PAGE_NOTFOUND|BAD_TXN|BAD_VALSIZE|BAD_DBI|INVALID|PANIC|TLS_FULL|INCOMPATIBLE|VERSION_MISMATCH|KEYEXIST|NOTFOUND)\b/.exec(message)
  if (lmdbCode !== null) return damaged(`The database could not be read (${readableProblem(message.slice(lmdbCode.index))}): its file is probably damaged.`)
  // The store decodes every value it reads with MessagePack: a value that does not decode was damaged on disk.
  if (/\bMessagePack\b|end of buffer not reached|Unexpected end of buffer|Unknown extension type/.test(message)) {
    const said = readableProblem(message)
    return damaged(`The database could not be read (${said.startsWith('a stored value does not decode') ? said : `a stored value does not decode: ${said}`}): its file is probably damaged.`)
  }
  // Thrown while the database library decoded what it read: from bytes that do not decode. A table's
  // record layouts (MessagePack's shared structures, an entry of the table) that refer to a layout
  // they lack make the decoder load them again to find it, and again, until the stack overflows; a
  // damaged key can decode to a number no integer holds.
  const stack = error instanceof Error ? error.stack ?? '' : ''
  if (/\b(loadStructures|getStructures)\b/.test(stack) && message.includes('Maximum call stack size exceeded')) {
    return damaged('The database could not be read (a table\'s record layouts do not decode): its file is probably damaged.')
  }
  if (/\bLMDBStore\.readKey\b/.test(stack)) return damaged(`The database could not be read (a stored key does not decode: ${readableProblem(message)}): its file is probably damaged.`)
  return { code: 'UNEXPECTED', message: `Unexpected error: ${message}`, exitCode: EXIT.failure }
}

/** A damaged database: what was found, and what to do. */
function damaged(problem: string): Failure {
  return { code: 'DATABASE_DAMAGED', message: `${problem} ${DAMAGE_FIX}`, exitCode: EXIT.failure, problem }
}

/** One line: what is at the database path instead of an agent-tracker database, and what to do. */
export function notOursAdvice(path: string, format: DatabaseFormat): string {
  const found = `${path} is ${describeDatabaseFormat(format)}, not an agent-tracker database; nothing was changed.`
  switch (format.kind) {
    case 'predecessor-central':
      return `${found} Run \`agent-tracker upgrade\` to move it aside and import everything it holds (see what would move with --dry-run), or point --db at another database.`
    case 'predecessor-project':
      return `${found} Bring it in with \`agent-tracker migrate <project folder>\`, and point --db (or AGENT_TRACKER_DB) at your agent-tracker database.`
    default:
      return `${found} Move it aside, or point --db (or AGENT_TRACKER_DB) at another file.`
  }
}

/** What a refused statement of the team database was for, when the command knows: its open for reading (with the schema and user it reads as), or for writing. */
export type TeamAccess = { readonly mode: 'read'; readonly schema: string; readonly user: string | undefined } | { readonly mode: 'write' }

/**
 * What to check when the team database refused the connection, naming where its URL came from;
 * undefined when no password was found (the message says where one was looked for). A statement
 * refused to a user that is connected (42501) needs other rights for a read than for a sync: a read
 * creates nothing, so it is told what a read needs (USAGE on the schema, SELECT on its tables), not
 * CREATE for a first sync; when what it was for is not known, what each needs.
 */
export function teamRefusedFix(sqlState: string | undefined, urlFrom: string, access?: TeamAccess): string | undefined {
  if (sqlState === undefined) return undefined
  if (sqlState === '28P01') return `Check the user in the URL (${urlFrom}) and that password.`
  if (sqlState === '42501') {
    const fine = 'The connection and the password are fine'
    const forSync = 'the first sync makes the schema and its tables, so its user needs CREATE on the database (or the schema made and granted to it beforehand); later syncs need only the rights on the schema\'s tables.'
    if (access?.mode === 'write') return `${fine}: ${forSync}`
    if (access?.mode === 'read') {
      const schema = sqlIdentifier(access.schema)
      const user = access.user === undefined ? '<user>' : sqlIdentifier(access.user)
      return `${fine}, but this user may not read the team database's schema "${access.schema}": a read needs USAGE on the schema and SELECT on its tables (it creates nothing). Ask the schema's owner to grant them: GRANT USAGE ON SCHEMA ${schema} TO ${user}; GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${user};`
    }
    return `${fine}, but this user lacks a right on the team database's schema: a read needs USAGE on the schema and SELECT on its tables; ${forSync}`
  }
  return `Check the user and database in the URL (${urlFrom}), and the password in PGPASSWORD or ~/.pgpass.`
}

/** A name as SQL takes it: as it is when it needs no quotes, else in double quotes. */
function sqlIdentifier(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`
}

function fixInCliTerms(error: unknown): string | undefined {
  if (isLmdbStoreError(error, 'DATABASE_FULL')) {
    const { limitBytes, maximumBytes } = error.details
    return limitBytes >= maximumBytes
      ? `The limit is already at its ${formatBytes(maximumBytes)} maximum: point --db (or AGENT_TRACKER_DB) at a new database; this one stays readable with --db.`
      : `Raise the limit with --max-size or AGENT_TRACKER_MAX_SIZE (up to ${formatBytes(maximumBytes)}).`
  }
  if (isLmdbStoreError(error, 'DATABASE_UNREADABLE') && error.details.reason === 'damaged') {
    return DAMAGE_FIX
  }
  if (isLmdbStoreError(error, 'DATABASE_UNREADABLE') && error.details.reason === 'open') {
    return 'Move the file aside, or point --db (or AGENT_TRACKER_DB) at another database.'
  }
  if (isLmdbStoreError(error, 'DATABASE_UNWRITABLE') && (error.details.reason === 'create' || error.details.reason === 'permission' || error.details.reason === 'folder')) {
    return 'Check its permissions, or point --db (or AGENT_TRACKER_DB) at a writable place.'
  }
  // `sync` says what becomes of the facts not sent (see `syncCommand`); a read has nothing to add.
  if (isPostgresStoreError(error, 'TEAM_UNREACHABLE') || isPostgresStoreError(error, 'TEAM_BUSY')) return undefined
  if (isPostgresStoreError(error, 'TEAM_REFUSED')) return teamRefusedFix(error.details.sqlState, 'AGENT_TRACKER_TEAM_URL or team.url')
  if (isPostgresStoreError(error, 'TEAM_TLS')) {
    return 'TLS settings go in the URL (sslmode, sslrootcert, sslcert, sslkey in AGENT_TRACKER_TEAM_URL or team.url) or in team.ssl of ~/.config/agent-tracker/config.json.'
  }
  if (isPostgresStoreError(error, 'TEAM_NOT_SET_UP')) return 'Run agent-tracker sync first.'
  return undefined
}
