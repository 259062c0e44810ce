import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { createInterface } from 'node:readline'

/** One line of a JSON-lines file: its number and value, or why it is not JSON. */
export type JsonLine = { readonly line: number; readonly value: unknown } | { readonly line: number; readonly problem: string }

/**
 * Streams a JSON-lines file line by line, never holding more than a line: each non-blank line
 * parsed, or the reason it could not be (a last line cut off mid-write is told apart from a bad one).
 */
export async function* jsonLines(file: string): AsyncGenerator<JsonLine> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY })
  let number = 0
  let failed: { line: number; message: string } | undefined
  for await (const text of lines) {
    number += 1
    if (failed !== undefined) {
      yield { line: failed.line, problem: `not valid JSON (${failed.message})` }
      failed = undefined
    }
    if (text.trim() === '') continue
    try {
      yield { line: number, value: JSON.parse(text) }
    } catch (error) {
      failed = { line: number, message: error instanceof Error ? error.message : String(error) }
    }
  }
  if (failed !== undefined) {
    yield { line: failed.line, problem: (await endsWithNewline(file)) ? `not valid JSON (${failed.message})` : 'the last line is incomplete (the file may still be being written); it was left out' }
  }
}

async function endsWithNewline(file: string): Promise<boolean> {
  const handle = await open(file, 'r')
  try {
    const { size } = await handle.stat()
    if (size === 0) return true
    const last = Buffer.alloc(1)
    await handle.read(last, 0, 1, size - 1)
    return last[0] === 0x0a
  } finally {
    await handle.close()
  }
}
