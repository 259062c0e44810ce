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
