import { LIMITS } from '@agent-tracker/core'

/**
 * The longest line read, in bytes: a longer one is rejected as soon as it passes this, and the
 * rest of it is skipped rather than held in memory. No fact comes near it (free text is at most
 * 256 KiB); it is the limit `import` reads the hosts' own JSON-lines files up to (host-import's
 * `MAX_LINE_BYTES`), kept here rather than imported so that `ingest` does not load the host readers.
 */
export const MAX_LINE_BYTES = 64 * 1024 * 1024

/** A line of input, numbered from 1 and without its line end: its text, or why it cannot be read. */
export type NumberedLine = { readonly line: number; readonly text: string } | { readonly line: number; readonly problem: string }

/**
 * The lines of a byte stream, numbered from 1, without their line ends (nor the stream's leading
 * byte-order mark). A line is decoded once it is whole, so a character split between two chunks
 * arrives whole. Each chunk is searched once for line ends and a line's chunks are joined once, at
 * its end: a line spread over many chunks costs what its bytes cost (the whole line so far searched
 * again at every chunk was quadratic: a 60 MB line took 35 s). A line longer than `maxLineBytes` is
 * given as a problem as soon as it passes that, and the rest of it is skipped.
 */
export async function* numberedLines(input: AsyncIterable<string | Buffer>, maxLineBytes: number = MAX_LINE_BYTES): AsyncGenerator<NumberedLine> {
  let line = 0
  /** The line under way: its bytes read so far, in the chunks they came in. */
  let pieces: Buffer[] = []
  let held = 0
  /** The line under way has passed `maxLineBytes`: it was told of, and its bytes are not kept. */
  let overlong = false
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk
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

function decoded(line: number, bytes: Buffer): NumberedLine {
  let text = bytes.toString('utf8')
  // A byte-order mark, which editors on Windows put before UTF-8 text, is no part of the first line's JSON.
  if (line === 1 && text.startsWith('\uFEFF')) text = text.slice(1)
  return { line, text: text.endsWith('\r') ? text.slice(0, -1) : text }
}

function tooLong(maxLineBytes: number): string {
  return `the line is longer than ${inUnits(maxLineBytes)}; accepted are lines of up to ${inUnits(maxLineBytes)}, one fact each (a fact's free text is at most ${inUnits(LIMITS.textBytes)})`
}

function inUnits(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${String(bytes / (1024 * 1024))} MiB`
  return bytes >= 1024 ? `${String(bytes / 1024)} KiB` : `${String(bytes)} bytes`
}
