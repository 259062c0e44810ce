import { randomBytes } from 'node:crypto'
import type { Stats } from 'node:fs'
import { accessSync, constants, createWriteStream, fchmodSync, lstatSync, openSync, readlinkSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { CliError, EXIT } from '../cli-error.js'
import { isFolder } from '../commands/lookups.js'
import type { Io } from '../io.js'

/** Where an export writes, with backpressure: `write` waits while the destination is full. */
export interface OutputSink {
  write(text: string): Promise<void>
  /** Finishes the output (closes a file, and puts it in place); resolves once everything is written. */
  end(): Promise<void>
  /**
   * Gives up the output after a failure: a file being written is removed and a regular file that
   * was at the path before is left as it was. Stdout (already written) is left alone.
   * @returns what became of the path, for the failure's message: undefined for stdout.
   */
  abort(): Promise<string | undefined>
  /** Bytes written so far. */
  readonly bytes: number
}

interface Drainable {
  write(text: string): unknown
  once?(event: 'drain' | 'error', listener: (error?: unknown) => void): unknown
  off?(event: 'drain' | 'error', listener: (error?: unknown) => void): unknown
}

/**
 * A sink over stdout (not closed at the end) or over a file at `path`. A regular file (or a path
 * with none yet) is written beside it under a temporary name and put in its place at the end, so a
 * failed export never leaves the file half written or emptied: what was there stays (see `abort`).
 * A device or pipe (`/dev/stdout`, a FIFO) is written as it is. The file is opened at once, so that
 * a path that cannot be written is said before any work.
 * @throws {CliError} CANNOT_WRITE naming the path and why.
 */
export function outputSink(io: Io, path: string | undefined): OutputSink {
  if (path === undefined) return streamSink(io.stdout, undefined, path, true)
  const place = placeOf(path)
  const opened = openForWriting(path, place)
  const file = createWriteStream(opened.writing, { fd: opened.fd })
  const direct = opened.writing === place.final
  const sink = streamSink(file, file, path, direct)
  let settled = false
  return {
    get bytes() {
      return sink.bytes
    },
    write: (text) => sink.write(text),
    async end(): Promise<void> {
      try {
        await sink.end()
        if (!direct) renameSync(opened.writing, place.final)
      } catch (error) {
        removeQuietly(opened.writing, place.final)
        throw error instanceof CliError ? error : new CliError('CANNOT_WRITE', `Could not write ${path}: ${whyNotWritten(path, error)}.`, EXIT.failure, { cause: error })
      } finally {
        settled = true
      }
    },
    async abort(): Promise<string | undefined> {
      if (settled) return undefined
      settled = true
      // A device or pipe keeps what it took, as it goes: what was gathered for it goes too.
      await sink.abort()
      await new Promise<void>((resolve) => {
        if (file.closed || file.destroyed) resolve()
        else file.destroy()
        file.once('close', () => {
          resolve()
        })
      })
      removeQuietly(opened.writing, place.final)
      // A device or pipe was written as the export went: its failure's own message says so.
      if (direct) return undefined
      return place.existed ? `${path} was left as it was` : `no file was written at ${path}`
    },
  }
}

/**
 * Text is handed to the stream in chunks of about this many characters: an export writes a record
 * at a time, and each write to stdout redirected to a file is a system call of its own (a JSON
 * lines export of 2,000,000 activities to a file took 15.5 s so, 13.5 s in chunks).
 */
const CHUNK_LENGTH = 64 * 1024

/**
 * A sink over one stream; `file` is the stream to end and whose errors to watch, when it is a file.
 * `direct`: the stream is where the export ends up (stdout, a device), so what it took before a
 * failure stays there, cut off. Writes are gathered into chunks of {@link CHUNK_LENGTH} and handed
 * on when one is full, and at the end (or, to a direct stream, at a failure).
 */
function streamSink(target: Drainable, file: ReturnType<typeof createWriteStream> | undefined, path: string | undefined, direct: boolean): OutputSink {
  let bytes = 0
  let failure: Error | undefined
  let gathered: string[] = []
  let gatheredLength = 0
  // Opened fine, then refused (a full disk, a file system that takes no writes there: EIO, ENOSPC).
  const cannotWrite = (error: NodeJS.ErrnoException): CliError => new CliError('CANNOT_WRITE', `Could not write ${path ?? ''}: ${error.code === 'ENOSPC' ? 'the disk is full' : error.message}.${direct ? ' What was written so far is incomplete.' : ''}`, EXIT.failure, { cause: error })
  file?.on('error', (error: NodeJS.ErrnoException) => {
    failure = cannotWrite(error)
  })
  /** Hands what was gathered to the stream, waiting while it is full. */
  const handOn = async (): Promise<void> => {
    if (gathered.length === 0) return
    const chunk = gathered.length === 1 ? (gathered[0] ?? '') : gathered.join('')
    gathered = []
    gatheredLength = 0
    bytes += Buffer.byteLength(chunk)
    if (target.write(chunk) === false && target.once !== undefined) {
      await drained(target).catch((error: unknown) => {
        throw failure ?? error
      })
    }
  }
  return {
    get bytes() {
      return bytes + gathered.reduce((sum, text) => sum + Buffer.byteLength(text), 0)
    },
    async write(text: string): Promise<void> {
      if (failure !== undefined) throw failure
      gathered.push(text)
      gatheredLength += text.length
      if (gatheredLength >= CHUNK_LENGTH) await handOn()
    },
    async end(): Promise<void> {
      if (failure === undefined) await handOn()
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
    async abort(): Promise<undefined> {
      // What a direct stream took stays there: what was gathered for it goes too, as it would have unchunked.
      if (direct && failure === undefined) await handOn().catch(() => undefined)
      gathered = []
      gatheredLength = 0
      return undefined
    },
  }
}

/** Where a file export ends up (`final`), and what is known of what is there. */
interface FilePlace {
  readonly final: string
  /** Whether a file was at the path before. */
  readonly existed: boolean
  /** Its permission bits, which the file that replaces it keeps. */
  readonly mode?: number
  /** A device, pipe or folder (or what cannot be looked at): written — or refused — as it is, never replaced. */
  readonly direct: boolean
}

function placeOf(path: string): FilePlace {
  let stats: Stats | undefined
  try {
    // Through links: `/dev/stdout` is a link to a pipe or terminal, written as it is.
    stats = statSync(path)
  } catch {
    stats = undefined
  }
  if (stats !== undefined && !stats.isFile()) return { final: path, existed: true, direct: true }
  let final = path
  try {
    // Through a link to the file it names (or will name): the link stays a link.
    if (lstatSync(path).isSymbolicLink()) final = stats === undefined ? resolve(dirname(path), readlinkSync(path)) : realpathSync(path)
  } catch {
    // Nothing there yet: a new file at the path.
  }
  return { final, existed: stats !== undefined, ...(stats === undefined ? {} : { mode: stats.mode & 0o7777 }), direct: false }
}

/**
 * Opens where the export is written: beside the file under a temporary name no one else has
 * (created exclusively, with the permissions of the file it will replace), or — for a device or
 * pipe, or a file in a folder that takes no new files though the file may be written — the path
 * itself. Said before any work.
 * @throws {CliError} CANNOT_WRITE naming the path and why.
 */
function openForWriting(path: string, place: FilePlace): { readonly fd: number; readonly writing: string } {
  const refused = (error: unknown): CliError => new CliError('CANNOT_WRITE', `Cannot write ${path}: ${whyNotWritten(path, error)}. Give --out a file path in a folder you can write to.`, EXIT.failure)
  if (place.direct) {
    try {
      return { fd: openSync(path, 'w'), writing: path }
    } catch (error) {
      throw refused(error)
    }
  }
  if (place.existed) {
    try {
      // The file itself must be one that may be written, though it is replaced rather than written through.
      accessSync(place.final, constants.W_OK)
    } catch (error) {
      throw refused(error)
    }
  }
  const writing = join(dirname(place.final), `.${basename(place.final)}.${String(process.pid)}-${randomBytes(4).toString('hex')}.tmp`)
  try {
    const fd = openSync(writing, 'wx', place.mode ?? 0o666)
    if (place.mode !== undefined) fchmodSync(fd, place.mode)
    return { fd, writing }
  } catch (error) {
    // A folder that takes no new files, holding a file that may be written: written in place, as before.
    if (place.existed && (error as NodeJS.ErrnoException).code === 'EACCES') {
      try {
        return { fd: openSync(place.final, 'w'), writing: place.final }
      } catch (inPlace) {
        throw refused(inPlace)
      }
    }
    throw refused(error)
  }
}

function removeQuietly(writing: string, final: string): void {
  if (writing === final) return
  try {
    rmSync(writing, { force: true })
  } catch {
    // A temporary file that cannot be removed is left; the message names the export's path.
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
