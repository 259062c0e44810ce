import { isUtf8 } from 'node:buffer'
import { LIMITS } from '@agent-tracker/core'

/**
 * The longest line read, in bytes: a longer one is rejected as soon as it passes this, and the
 * rest of it is skipped rather than held in memory. No fact comes near it (free text is at most
 * 256 KiB); it is the limit `import` reads the hosts' own JSON-lines files up to (host-import's
 * `MAX_LINE_BYTES`), kept here rather than imported so that `ingest` does not load the host readers.
 */
export const MAX_LINE_BYTES = 64 * 1024 * 1024

/**
 * Input in another encoding than UTF-8, known by the byte-order mark it begins with (Windows
 * PowerShell's `>` writes UTF-16 with one): none of its lines is read, since each would be refused
 * on its own — the first as not UTF-8, every other as not JSON — and not one names the cause.
 */
export class NotUtf8Input extends Error {
  /** `UTF-16` or `UTF-32`, as `iconv -f` takes it. */
  readonly encoding: string
  /** The byte-order mark as written: `FF FE`, `FE FF`, `FF FE 00 00` or `00 00 FE FF`. */
  readonly mark: string
  /** `little-endian` or `big-endian`. */
  readonly byteOrder: string

  constructor(encoding: string, byteOrder: string, mark: string) {
    super(`it is ${encoding} (${byteOrder}: it begins with the byte-order mark ${mark})`)
    this.name = 'NotUtf8Input'
    this.encoding = encoding
    this.byteOrder = byteOrder
    this.mark = mark
  }
}

/** Byte-order marks of encodings other than UTF-8, the longer first (UTF-32 LE begins as UTF-16 LE does). */
const OTHER_MARKS: readonly { readonly bytes: Buffer; readonly encoding: string; readonly byteOrder: string }[] = [
  { bytes: Buffer.from([0xff, 0xfe, 0x00, 0x00]), encoding: 'UTF-32', byteOrder: 'little-endian' },
  { bytes: Buffer.from([0x00, 0x00, 0xfe, 0xff]), encoding: 'UTF-32', byteOrder: 'big-endian' },
  { bytes: Buffer.from([0xff, 0xfe]), encoding: 'UTF-16', byteOrder: 'little-endian' },
  { bytes: Buffer.from([0xfe, 0xff]), encoding: 'UTF-16', byteOrder: 'big-endian' },
]
/** The longest of {@link OTHER_MARKS}: the bytes held back to tell them apart. */
const MARK_BYTES = 4

/** A line of input, numbered from 1 and without its line end: its text, or why it cannot be read. */
export type NumberedLine = { readonly line: number; readonly text: string } | { readonly line: number; readonly problem: string }

/**
 * The lines of a byte stream, numbered from 1, without their line ends (nor the stream's leading
 * byte-order mark). A line is decoded once it is whole, so a character split between two chunks
 * arrives whole; one that is not UTF-8 is given as a problem, naming its first bad byte. Each chunk
 * is searched once for line ends and a line's chunks are joined once, at its end: a line spread
 * over many chunks costs what its bytes cost (the whole line so far searched again at every chunk
 * was quadratic: a 60 MB line took 35 s). A line longer than `maxLineBytes` is given as a problem
 * as soon as it passes that, and the rest of it is skipped. Input that begins with the byte-order
 * mark of UTF-16 or UTF-32 is not read at all.
 * @throws {NotUtf8Input} before the first line, for input that begins with the byte-order mark of UTF-16 or UTF-32.
 */
export async function* numberedLines(input: AsyncIterable<string | Buffer>, maxLineBytes: number = MAX_LINE_BYTES): AsyncGenerator<NumberedLine> {
  let line = 0
  /** The line under way: its bytes read so far, in the chunks they came in. */
  let pieces: Buffer[] = []
  let held = 0
  /** The line under way has passed `maxLineBytes`: it was told of, and its bytes are not kept. */
  let overlong = false
  for await (const bytes of utf8Checked(input)) {
    let at = 0
    for (let newline = bytes.indexOf(0x0a, at); newline !== -1; newline = bytes.indexOf(0x0a, at)) {
      line += 1
      if (overlong) overlong = false
      else if (held + newline - at > maxLineBytes) yield { line, problem: tooLong(maxLineBytes) }
      else yield decoded(line, pieces.length === 0 ? bytes.subarray(at, newline) : Buffer.concat([...pieces, bytes.subarray(at, newline)]))
      pieces = []
      held = 0
      at = newline + 1
    }
    if (at < bytes.length && !overlong) {
      held += bytes.length - at
      if (held > maxLineBytes) {
        overlong = true
        pieces = []
        yield { line: line + 1, problem: tooLong(maxLineBytes) }
      } else pieces.push(bytes.subarray(at))
    }
  }
  if (held > 0 && !overlong) yield decoded(line + 1, Buffer.concat(pieces))
}

/**
 * The input's bytes, as they come, once its first bytes show no byte-order mark of UTF-16 or
 * UTF-32 (they are held back until there are enough of them to tell, however the input is cut).
 * @throws {NotUtf8Input} for input that begins with one.
 */
async function* utf8Checked(input: AsyncIterable<string | Buffer>): AsyncGenerator<Buffer> {
  let start: Buffer | undefined = Buffer.alloc(0)
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk
    if (start === undefined) {
      yield bytes
      continue
    }
    start = Buffer.concat([start, bytes])
    if (start.length < MARK_BYTES) continue
    refuseOtherMarks(start)
    yield start
    start = undefined
  }
  if (start !== undefined && start.length > 0) {
    refuseOtherMarks(start)
    yield start
  }
}

function refuseOtherMarks(start: Buffer): void {
  const found = OTHER_MARKS.find((mark) => start.subarray(0, mark.bytes.length).equals(mark.bytes))
  if (found !== undefined) throw new NotUtf8Input(found.encoding, found.byteOrder, [...found.bytes].map((byte) => byte.toString(16).padStart(2, '0').toUpperCase()).join(' '))
}

function decoded(line: number, bytes: Buffer): NumberedLine {
  // Decoding would put U+FFFD in place of bytes that are not UTF-8, and the fact would be stored
  // with text it never had ("café" in Latin-1 as "caf�"): such a line is rejected instead.
  if (!isUtf8(bytes)) return { line, problem: notUtf8(bytes) }
  let text = bytes.toString('utf8')
  // A byte-order mark, which editors on Windows put before UTF-8 text, is no part of the first line's JSON.
  if (line === 1 && text.startsWith('\uFEFF')) text = text.slice(1)
  return { line, text: text.endsWith('\r') ? text.slice(0, -1) : text }
}

function notUtf8(bytes: Buffer): string {
  const at = firstNonUtf8Byte(bytes)
  const where = at === -1 ? '' : `: byte ${String(at + 1)} of the line, 0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')}, starts no UTF-8 character`
  return `not valid UTF-8${where}; accepted is UTF-8 text (convert other encodings first, e.g. iconv -f latin1 -t utf-8)`
}

/** The position of the first byte that starts no UTF-8 character, or -1 when every one does. */
function firstNonUtf8Byte(bytes: Buffer): number {
  for (let at = 0; at < bytes.length;) {
    const length = utf8CharacterLength(bytes, at)
    if (length === 0) return at
    at += length
  }
  return -1
}

/**
 * The length of the UTF-8 character at `at`, or 0 when none starts there. As RFC 3629 has it (and
 * `isUtf8`): the first byte says the length, and the second's range rules out overlong forms,
 * surrogates (ED A0–BF) and code points past U+10FFFF.
 */
function utf8CharacterLength(bytes: Buffer, at: number): number {
  const first = bytes[at] ?? 0
  if (first < 0x80) return 1
  const [length, low, high] =
    first >= 0xc2 && first <= 0xdf ? [2, 0x80, 0xbf]
    : first === 0xe0 ? [3, 0xa0, 0xbf]
    : first === 0xed ? [3, 0x80, 0x9f]
    : first >= 0xe1 && first <= 0xef ? [3, 0x80, 0xbf]
    : first === 0xf0 ? [4, 0x90, 0xbf]
    : first >= 0xf1 && first <= 0xf3 ? [4, 0x80, 0xbf]
    : first === 0xf4 ? [4, 0x80, 0x8f]
    : [0, 0, 0]
  const second = bytes[at + 1]
  if (length === 0 || second === undefined || second < low || second > high) return 0
  for (let next = at + 2; next < at + length; next++) {
    const byte = bytes[next]
    if (byte === undefined || (byte & 0xc0) !== 0x80) return 0
  }
  return length
}

function tooLong(maxLineBytes: number): string {
  return `the line is longer than ${inUnits(maxLineBytes)}; accepted are lines of up to ${inUnits(maxLineBytes)}, one fact each (a fact's free text is at most ${inUnits(LIMITS.textBytes)})`
}

function inUnits(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${String(bytes / (1024 * 1024))} MiB`
  return bytes >= 1024 ? `${String(bytes / 1024)} KiB` : `${String(bytes)} bytes`
}
