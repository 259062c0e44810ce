import { TrackerError } from '@agent-tracker/core'
import type { DatabaseFormat } from '@agent-tracker/lmdb-store'
import { LmdbStoreError, describeDatabaseFormat } from '@agent-tracker/lmdb-store'

/** Exit codes: 0 success, 1 failure, 2 usage (a malformed command or value). */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const

/** An error the CLI reports as is, with the exit code it implies. */
export class CliError extends Error {
  readonly code: string
  readonly exitCode: number

  constructor(code: string, message: string, exitCode: number = EXIT.failure, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'CliError'
    this.code = code
    this.exitCode = exitCode
  }
}

const USAGE_CODES: ReadonlySet<string> = new Set(['INVALID_GRADE', 'INVALID_TIMESTAMP', 'INVALID_QUERY', 'INVALID_SETUP_ID', 'INVALID_RULES', 'INVALID_OPTION'])

/** The code, message and exit code of anything thrown by a command. */
export function describeFailure(error: unknown): { code: string; message: string; exitCode: number } {
  if (error instanceof CliError) return { code: error.code, message: error.message, exitCode: error.exitCode }
  if (error instanceof LmdbStoreError && error.code === 'NOT_AGENT_TRACKER_DATABASE' && error.format !== undefined) {
    return { code: error.code, message: notOursAdvice(error.path ?? '', error.format), exitCode: EXIT.failure }
  }
  if (error instanceof TrackerError || error instanceof LmdbStoreError) {
    const message = error instanceof LmdbStoreError ? inCliTerms(error.message) : error.message
    return { code: error.code, message, exitCode: USAGE_CODES.has(error.code) ? EXIT.usage : EXIT.failure }
  }
  const message = error instanceof Error ? error.message : String(error)
  return { code: 'UNEXPECTED', message: `Unexpected error: ${message}`, exitCode: EXIT.failure }
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

/** The store speaks of plugin options (`databasePath`); on the command line that is `--db` or AGENT_TRACKER_DB. */
function inCliTerms(message: string): string {
  return message
    .replace('point databasePath elsewhere', 'point --db or AGENT_TRACKER_DB at another file')
    .replace(/\bdatabasePath(?: \(or AGENT_TRACKER_DB\))?/g, '--db path (or AGENT_TRACKER_DB)')
}
