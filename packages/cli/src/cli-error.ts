import { TrackerError } from '@agent-tracker/core'
import { LmdbStoreError } from '@agent-tracker/lmdb-store'

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
  if (error instanceof TrackerError || error instanceof LmdbStoreError) {
    const message = error instanceof LmdbStoreError ? inCliTerms(error.message) : error.message
    return { code: error.code, message, exitCode: USAGE_CODES.has(error.code) ? EXIT.usage : EXIT.failure }
  }
  const message = error instanceof Error ? error.message : String(error)
  return { code: 'UNEXPECTED', message: `Unexpected error: ${message}`, exitCode: EXIT.failure }
}

/** The store speaks of plugin options (`databasePath`); on the command line that is `--db` or AGENT_TRACKER_DB. */
function inCliTerms(message: string): string {
  return message
    .replace('point databasePath elsewhere', 'point --db or AGENT_TRACKER_DB at another file')
    .replace(/\bdatabasePath(?: \(or AGENT_TRACKER_DB\))?/g, '--db path (or AGENT_TRACKER_DB)')
}
