import { appendFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import type { FilePosition, JsonLine } from './jsonl-lines.js'
import { JsonLinesFile, MAX_LINE_BYTES, jsonLines } from './jsonl-lines.js'

async function all(file: string): Promise<unknown[]> {
  const lines: unknown[] = []
  for await (const line of jsonLines(file)) lines.push(line)
  return lines
}

/** The lines from `from` (or the start), and the position after the last one read whole. */
async function readFrom(file: string, from?: FilePosition): Promise<{ lines: JsonLine[]; next: FilePosition }> {
  const reader = await JsonLinesFile.open(file, from)
  try {
    const lines: JsonLine[] = []
    let reached = reader.start
    for await (const line of reader.lines()) {
      lines.push(line)
      if (line.end !== undefined) reached = { offset: line.end, line: line.line }
    }
    return { lines, next: await reader.position(reached) }
  } finally {
    await reader.close()
  }
}

describe('jsonLines', () => {
  it('parses each line with its number and byte offsets, skipping blank lines and naming a bad one', async () => {
    const file = join(tempFolder(), 'a.jsonl')
    writeFileSync(file, '{"a":"é"}\n\n{oops\r\n[2]\n')
    expect(await all(file)).toEqual([
      { line: 1, start: 0, end: 11, value: { a: 'é' } },
      { line: 3, start: 12, end: 19, problem: expect.stringMatching(/^not valid JSON \(/) as unknown },
      { line: 4, start: 19, end: 23, value: [2] },
    ])
  })

  it('leaves out a byte-order mark at the start of the file, its first line read as JSON, its offsets as the bytes lie', async () => {
    const file = join(tempFolder(), 'bom.jsonl')
    writeFileSync(file, '\ufeff{"a":1}\n{"b":2}\n')
    expect(await all(file)).toEqual([{ line: 1, start: 0, end: 11, value: { a: 1 } }, { line: 2, start: 11, end: 19, value: { b: 2 } }])
    // A file of one line, its newline not written yet; and a mark later in a file is a character of its line.
    writeFileSync(file, '\ufeff{"a":1}')
    expect(await all(file)).toEqual([{ line: 1, start: 0, value: { a: 1 } }])
    writeFileSync(file, '{"a":1}\n\ufeff{"b":2}\n')
    expect(await all(file)).toEqual([{ line: 1, start: 0, end: 8, value: { a: 1 } }, { line: 2, start: 8, end: 19, problem: expect.stringMatching(/^not valid JSON/) as unknown }])
  })

  it('tells a last line cut off mid-write from a bad one, and gives it no end', async () => {
    const file = join(tempFolder(), 'b.jsonl')
    writeFileSync(file, '{"a":1}\n{"b":')
    expect(await all(file)).toEqual([{ line: 1, start: 0, end: 8, value: { a: 1 } }, { line: 2, start: 8, problem: 'the last line is incomplete (the file may still be being written); it was left out' }])
  })

  it('reads a line longer than its buffer whole', async () => {
    const file = join(tempFolder(), 'c.jsonl')
    const long = 'x'.repeat(200_000)
    writeFileSync(file, `{"a":"${long}"}\n[1]\n`)
    expect(await all(file)).toEqual([{ line: 1, start: 0, end: 200_009, value: { a: long } }, { line: 2, start: 200_009, end: 200_013, value: [1] }])
  })

  it('says an SQLite database given for one is no JSON-lines file, once', async () => {
    const file = join(tempFolder(), 'opencode.db')
    writeFileSync(file, Buffer.concat([Buffer.from('SQLite format 3\u0000', 'latin1'), Buffer.from([0x10, 0, 1, 1, 0x0a, 0x7b, 0x0a, 0])]))
    expect(await all(file)).toEqual([{ line: 1, start: 0, problem: 'not a JSON-lines file but an SQLite database; it was left out', wholeFile: true }])
  })

  it('reports a line longer than it reads and leaves it out, reading on after it', async () => {
    const file = join(tempFolder(), 'e.jsonl')
    const huge = MAX_LINE_BYTES + 1024 * 1024
    writeFileSync(file, `[1]\n{"a":"${'x'.repeat(huge - 8)}"}\n[3]\n{"b":"${'y'.repeat(huge)}`)
    const problem = 'the line is 65 MiB long, more than the 64 MiB a line is read up to; it was left out'
    expect(await all(file)).toEqual([
      { line: 1, start: 0, end: 4, value: [1] },
      { line: 2, start: 4, end: 4 + huge + 1, problem },
      { line: 3, start: 4 + huge + 1, end: 4 + huge + 5, value: [3] },
      { line: 4, start: 4 + huge + 5, problem: `${problem}; it is the last line, which may still be being written` },
    ])
  })
})

describe('a JSON-lines file read again from a position', () => {
  it('goes on after what was read, with the line numbers going on, and reads a line being written once it is whole', async () => {
    const file = join(tempFolder(), 'd.jsonl')
    writeFileSync(file, '[1]\n[2]\n[3')
    const first = await readFrom(file)
    expect(first.next).toMatchObject({ offset: 8, line: 2 })
    appendFileSync(file, ']\n[4]\n')
    expect((await readFrom(file, first.next)).lines).toEqual([{ line: 3, start: 8, end: 12, value: [3] }, { line: 4, start: 12, end: 16, value: [4] }])
  })

  it('reads from the start a file cut shorter, replaced by another or rewritten in place', async () => {
    const folder = tempFolder()
    const file = join(folder, 'e.jsonl')
    writeFileSync(file, '[1]\n[2]\n')
    const { next } = await readFrom(file)
    writeFileSync(file, '[9]\n')
    expect((await readFrom(file, next)).lines.map((line) => line.line)).toEqual([1])
    writeFileSync(join(folder, 'other.jsonl'), '[1]\n[2]\n[3]\n')
    renameSync(join(folder, 'other.jsonl'), file)
    expect((await readFrom(file, next)).lines.map((line) => line.line)).toEqual([1, 2, 3])
    const { next: again } = await readFrom(file)
    writeFileSync(file, '[7]\n[8]\n[9]\n[10]\n')
    expect((await readFrom(file, again)).lines.map((line) => line.line)).toEqual([1, 2, 3, 4])
  })
})
