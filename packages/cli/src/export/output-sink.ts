import { createWriteStream, openSync } from 'node:fs'
import { dirname } from 'node:path'
import { CliError, EXIT } from '../cli-error.js'
import { isFolder } from '../commands/lookups.js'
import type { Io } from '../io.js'

/** Where an export writes, with backpressure: `write` waits while the destination is full. */
export interface OutputSink {
  write(text: string): Promise<void>
  /** Finishes the output (closes a file); resolves once everything is written. */
  end(): Promise<void>
  /** Bytes written so far. */
  readonly bytes: number
}

interface Drainable {
  write(text: string): unknown
  once?(event: 'drain' | 'error', listener: (error?: unknown) => void): unknown
  off?(event: 'drain' | 'error', listener: (error?: unknown) => void): unknown
}

/**
 * A sink over stdout (not closed at the end) or over a new file at `path`, opened at once so that
 * a path that cannot be written is said before any work.
 * @throws {CliError} CANNOT_WRITE naming the path and why.
 */
export function outputSink(io: Io, path: string | undefined): OutputSink {
  const file = path === undefined ? undefined : createWriteStream(path, { fd: openForWriting(path) })
  const target: Drainable = file ?? io.stdout
  let bytes = 0
  let failure: Error | undefined
  // Opened fine, then refused (a full disk, a file system that takes no writes there: EIO, ENOSPC).
  const cannotWrite = (error: NodeJS.ErrnoException): CliError => new CliError('CANNOT_WRITE', `Could not write ${path ?? ''}: ${error.code === 'ENOSPC' ? 'the disk is full' : error.message}. What was written so far is incomplete.`, EXIT.failure, { cause: error })
  file?.on('error', (error: NodeJS.ErrnoException) => {
    failure = cannotWrite(error)
  })
  return {
    get bytes() {
      return bytes
    },
    async write(text: string): Promise<void> {
      if (failure !== undefined) throw failure
      bytes += Buffer.byteLength(text)
      if (target.write(text) === false && target.once !== undefined) {
        await drained(target).catch((error: unknown) => {
          throw failure ?? error
        })
      }
    },
    async end(): Promise<void> {
      if (file === undefined) return
      // Read through a function: the stream's error handler may set it while this waits.
      const failed = (): Error | undefined => failure
      // A stream that failed is destroyed: ending it would only hide why.
      if (failed() === undefined) {
        await new Promise<void>((resolve, reject) => {
          file.end((error?: NodeJS.ErrnoException | null) => {
            if (error) reject(failure ?? cannotWrite(error))
            else resolve()
          })
        })
      }
      const error = failed()
      if (error !== undefined) throw error
    },
  }
}

/**
 * Waits for a full destination to drain, or fail. Whichever comes first takes the other listener
 * off: a long export waits thousands of times, and each left behind was a listener more on the
 * stream (Node warned of a leak past ten).
 */
function drained(target: Drainable): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onDrain = (): void => {
      target.off?.('error', onError)
      resolve()
    }
    const onError = (error?: unknown): void => {
      target.off?.('drain', onDrain)
      reject(error instanceof Error ? error : new Error(String(error)))
    }
    target.once?.('drain', onDrain)
    target.once?.('error', onError)
  })
}

function openForWriting(path: string): number {
  try {
    return openSync(path, 'w')
  } catch (error) {
    throw new CliError('CANNOT_WRITE', `Cannot write ${path}: ${whyNotWritten(path, error)}. Give --out a file path in a folder you can write to.`, EXIT.failure)
  }
}

/** Why a file could not be written, in words (its folder missing, or one that makes no new files, a folder in its place or a file in its path, no permission, a read-only or full disk). */
export function whyNotWritten(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  // ENOENT with the folder there: a file system that makes no new files (such as /proc).
  return code === 'ENOENT' ? (isFolder(dirname(path)) ? `no file can be made in ${dirname(path)}` : `its folder ${dirname(path)} does not exist`)
    : code === 'EISDIR' ? 'it is a folder'
      : code === 'ENOTDIR' ? 'a part of its path is a file, not a folder'
        : code === 'EACCES' || code === 'EPERM' ? 'no permission to write there'
          : code === 'EROFS' ? 'it is on a read-only file system'
            : code === 'ENOSPC' ? 'the disk is full'
              : (error as Error).message
}
