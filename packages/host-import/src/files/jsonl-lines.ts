import type { FileHandle } from 'node:fs/promises'
import { open } from 'node:fs/promises'

const CHUNK_BYTES = 64 * 1024
/**
 * The longest line read: one longer (a pasted blob, base64 content) is reported and left out
 * rather than held in memory — a line past V8's longest string (about 512 MiB) could not be read
 * at all, and stopped the whole file.
 */
export const MAX_LINE_BYTES = 64 * 1024 * 1024

/** The first bytes of every SQLite database file. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\u0000', 'latin1')
/** How many bytes before a position tell the file it was taken in from one rewritten in place. */
const CHECK_BYTES = 32

/** The start of a line: its byte offset, and how many lines come before it. */
export interface LineStart {
  readonly offset: number
  readonly line: number
}

/**
 * Where to go on reading a file another time: the start of a line, and what tells the same file
 * still there — its inode, and the bytes just before the line (base64). A file replaced, rewritten
 * or cut shorter since is read from its start.
 */
export interface FilePosition extends LineStart {
  readonly inode: number
  readonly before: string
}

/**
 * One line of a JSON-lines file: its number, the byte offset it starts at and the one after its
 * newline (`end`, absent for a last line whose newline is not written yet), and its value or why it
 * is not JSON — or, with `wholeFile`, why the file is no JSON-lines file at all (then nothing follows).
 */
export type JsonLine = { readonly line: number; readonly start: number; readonly end?: number | undefined } & ({ readonly value: unknown } | { readonly problem: string; readonly wholeFile?: true })

/**
 * A JSON-lines file open for reading, from its start or from a position an earlier read reported.
 * `close` it when done.
 */
export class JsonLinesFile {
  readonly #handle: FileHandle
  readonly #inode: number
  /** Where reading starts: the position given if it still fits the file, else the file's start. */
  readonly start: LineStart

  private constructor(handle: FileHandle, inode: number, start: LineStart) {
    this.#handle = handle
    this.#inode = inode
    this.start = start
  }

  /**
   * Opens a file to read from `from`, or from its start when `from` is not given or no longer fits
   * (another file at the path, a shorter one, other bytes before it).
   * @throws the file system's error when the file cannot be opened (ENOENT when it is missing).
   */
  static async open(file: string, from?: FilePosition): Promise<JsonLinesFile> {
    const handle = await open(file, 'r')
    try {
      const { ino, size } = await handle.stat()
      const fits = from?.inode === ino && from.offset <= size && (await bytesBefore(handle, from.offset)) === from.before
      return new JsonLinesFile(handle, ino, fits ? { offset: from.offset, line: from.line } : { offset: 0, line: 0 })
    } catch (error) {
      await handle.close()
      throw error
    }
  }

  /**
   * The lines from `start` to the end of the file as it is now, never holding more than a line:
   * each non-blank line parsed, or the reason it could not be (a last line cut off mid-write is
   * told apart from a bad one).
   */
  async *lines(): AsyncGenerator<JsonLine> {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES)
    let chunkStart = this.start.offset
    let line = this.start.line
    let lineStart = chunkStart
    let pieces: Buffer[] = []
    let held = 0
    /** The line under way is longer than {@link MAX_LINE_BYTES}: its bytes are no longer kept. */
    let overlong = false
    for (;;) {
      const { bytesRead } = await this.#handle.read(chunk, 0, CHUNK_BYTES, chunkStart)
      if (bytesRead === 0) break
      // A database given for a JSON-lines file (OpenCode's opencode.db to `import codex --from`): said once, not as lines of bytes.
      if (chunkStart === 0 && chunk.subarray(0, SQLITE_HEADER.length).equals(SQLITE_HEADER)) {
        yield { line: 1, start: 0, problem: 'not a JSON-lines file but an SQLite database; it was left out', wholeFile: true }
        return
      }
      let at = 0
      for (let newline = chunk.indexOf(0x0a, at); newline !== -1 && newline < bytesRead; newline = chunk.indexOf(0x0a, at)) {
        line += 1
        const end = chunkStart + newline + 1
        if (overlong || end - 1 - lineStart > MAX_LINE_BYTES) {
          yield { line, start: lineStart, end, problem: tooLong(end - 1 - lineStart) }
        } else {
          const text = withoutMark(pieces.length === 0 ? chunk.toString('utf8', at, newline) : Buffer.concat([...pieces, chunk.subarray(at, newline)]).toString('utf8'), lineStart)
          if (text.trim() !== '') yield parsed(text, { line, start: lineStart, end })
        }
        pieces = []
        held = 0
        overlong = false
        lineStart = end
        at = newline + 1
      }
      if (at < bytesRead && !overlong) {
        held += bytesRead - at
        overlong = held > MAX_LINE_BYTES
        if (overlong) pieces = []
        else pieces.push(Buffer.from(chunk.subarray(at, bytesRead)))
      }
      chunkStart += bytesRead
    }
    if (overlong) {
      yield { line: line + 1, start: lineStart, problem: `${tooLong(chunkStart - lineStart)}; it is the last line, which may still be being written` }
      return
    }
    const last = withoutMark(Buffer.concat(pieces).toString('utf8'), lineStart)
    if (last.trim() === '') return
    const read = parsed(last, { line: line + 1, start: lineStart })
    yield 'problem' in read ? { ...read, problem: 'the last line is incomplete (the file may still be being written); it was left out' } : read
  }

  /** A position to go on reading from another time: the start of a line this read saw (or `start`). */
  async position(at: LineStart): Promise<FilePosition> {
    return { inode: this.#inode, offset: at.offset, line: at.line, before: await bytesBefore(this.#handle, at.offset) }
  }

  async close(): Promise<void> {
    await this.#handle.close()
  }
}

/**
 * Streams a JSON-lines file line by line from its start, never holding more than a line: each
 * non-blank line parsed, or the reason it could not be (a last line cut off mid-write is told apart
 * from a bad one).
 */
export async function* jsonLines(file: string): AsyncGenerator<JsonLine> {
  const reader = await JsonLinesFile.open(file)
  try {
    yield* reader.lines()
  } finally {
    await reader.close()
  }
}

/**
 * A line's text without the byte-order mark an editor or a Windows tool may have put at the start
 * of the file (as `ingest` leaves it out): read as part of the first line, it made that line no JSON.
 */
function withoutMark(text: string, start: number): string {
  return start === 0 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

function parsed(text: string, place: { line: number; start: number; end?: number }): JsonLine {
  try {
    return { ...place, value: JSON.parse(text) as unknown }
  } catch (error) {
    return { ...place, problem: `not valid JSON (${error instanceof Error ? error.message : String(error)})` }
  }
}

function tooLong(bytes: number): string {
  return `the line is ${(bytes / (1024 * 1024)).toFixed(0)} MiB long, more than the ${String(MAX_LINE_BYTES / (1024 * 1024))} MiB a line is read up to; it was left out`
}

async function bytesBefore(handle: FileHandle, offset: number): Promise<string> {
  const length = Math.min(CHECK_BYTES, offset)
  const bytes = Buffer.alloc(length)
  if (length > 0) await handle.read(bytes, 0, length, offset - length)
  return bytes.toString('base64')
}
