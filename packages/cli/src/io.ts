import { realpathSync } from 'node:fs'
import { homedir } from 'node:os'
import { isAbsolute, resolve } from 'node:path'
import type { AgentSession } from '@agent-tracker/core'
import { whenWritesSettle } from '@agent-tracker/lmdb-store/writes-under-way'
import { CliError, EXIT } from './cli-error.js'

/**
 * Everything the CLI takes from its process: streams, environment, working and home folders. The
 * real process by default; tests run the CLI in-process with their own.
 */
export interface Io {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean; readonly columns?: number }
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean }
  readonly stdin: AsyncIterable<string | Buffer> & { readonly isTTY?: boolean }
  readonly env: Readonly<Record<string, string | undefined>>
  readonly cwd: string
  /** The user's home folder: where `~` and relative database paths resolve, and the global OpenCode config lives. */
  readonly homeDir: string
  /** The clock; default the system's. Tests and reproducible reports give their own. */
  readonly now?: () => Date
  /**
   * The agent session the CLI runs under: `process` for the real process (its environment and its
   * ancestors, looked at when a command asks); default: read from `env` alone. See `agentSessionOfIo`.
   */
  readonly agentSession?: (() => AgentSession | undefined) | 'process'
  /**
   * How to start this CLI by full paths: the Node binary and the CLI's bin script. Default: this
   * process's Node and this package's bin. Hooks installed where agent-tracker is not on PATH run it so.
   */
  readonly launcher?: { readonly node: string; readonly bin: string }
}

/**
 * The process's own streams, environment, working directory and home folder. The working directory
 * is read when a command first needs it (see {@link workingFolder}): one deleted under the shell
 * fails only the commands that use it.
 */
export function processIo(): Io {
  stopWhenReaderLeaves()
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    get cwd() {
      return workingFolder()
    },
    homeDir: homedir(),
    agentSession: 'process',
  }
}

/**
 * The process's working folder.
 * @throws {CliError} NO_WORKING_FOLDER when it no longer exists (deleted or moved away after the
 * shell entered it: Node cannot even tell its path), saying what to do instead of a stack trace.
 */
export function workingFolder(cwd: () => string = () => process.cwd()): string {
  try {
    return cwd()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    throw new CliError('NO_WORKING_FOLDER', 'The current folder no longer exists (it was deleted or moved away after you entered it): cd to a folder that exists and run the command again, or give this command absolute paths.', EXIT.failure, { cause: error })
  }
}

/** Where the CLI takes a relative path given on its command line from (`--db`, `init --database-path`), as messages name it. */
export const WORKING_FOLDER = 'the working folder'

/** Where a path leads, its links followed (`/etc/localtime`, a folder given through a link); undefined when it cannot be read. */
export function realPath(path: string): string | undefined {
  try {
    return realpathSync(path)
  } catch {
    return undefined
  }
}

/** A path given to a command, made absolute: a relative one against the working folder (which an absolute one does not need). */
export function absolutePath(io: Pick<Io, 'cwd'>, path: string): string {
  return isAbsolute(path) ? resolve(path) : resolve(io.cwd, path)
}

let watchingStdout = false

/**
 * When the reader of stdout goes away (`agent-tracker export | head`), the command stops quietly
 * with status 0, as Unix tools do, rather than failing on the next write (EPIPE). Any other failure
 * to write stdout (`> /dev/full`: the disk is full) stops it with one line saying so and status 1,
 * not a stack trace. Pending facts are still flushed by the exit handlers of the hosts that hold any.
 *
 * Not while a database write is under way, though: `process.exit()` while lmdb-js's writer thread
 * has a write (one waiting for another process's write lock, or only committing) hangs the process
 * for good. Then the exit code is set, the output (a destroyed stream) takes no more, and the process
 * exits as that write settles — written, as the command meant it to be — however long the other
 * process holds the lock.
 */
function stopWhenReaderLeaves(): void {
  if (watchingStdout) return
  watchingStdout = true
  let stopping = false
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    // Writes after the first failure fail too: one stop, one line.
    if (stopping) return
    stopping = true
    const code = error.code === 'EPIPE' ? EXIT.ok : EXIT.failure
    if (code !== EXIT.ok) process.stderr.write(`error: could not write the output: ${error.code === 'ENOSPC' ? 'the disk is full' : error.message}.\n`)
    process.exitCode = code
    whenWritesSettle(() => process.exit(code))
  })
}

/**
 * Whether to colour output: `NO_COLOR` turns colour off, `FORCE_COLOR` (other than `0`) on;
 * otherwise only when stdout is a terminal that is not `dumb`.
 */
export function colourEnabled(io: Io): boolean {
  const force = io.env.FORCE_COLOR
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false'
  return io.stdout.isTTY === true && io.env.TERM !== 'dumb'
}

/** Width to fit tables into: the terminal's, or `COLUMNS`, or unlimited when piped. */
export function outputWidth(io: Io): number {
  const fromEnv = Number(io.env.COLUMNS)
  if (Number.isInteger(fromEnv) && fromEnv > 20) return fromEnv
  if (io.stdout.isTTY === true && io.stdout.columns !== undefined && io.stdout.columns > 20) return io.stdout.columns
  return Number.POSITIVE_INFINITY
}
