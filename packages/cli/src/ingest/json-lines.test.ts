import { describe, expect, it } from 'vitest'
import { numberedLines } from './json-lines.js'

const CHUNK = Buffer.alloc(64 * 1024, 'x')

describe('the lines of ingest input', () => {
  it('rejects a line as soon as it passes the limit, reading no further, and goes on after it', async () => {
    // Input of 3 MiB: a short line, a line of 48 chunks, a short line; the limit is 1 MiB.
    let pulled = 0
    // eslint-disable-next-line @typescript-eslint/require-await -- input streams are async; these chunks are made on the spot
    async function* input(): AsyncGenerator<Buffer> {
      yield Buffer.from('{"a":1}\n')
      for (let chunk = 0; chunk < 48; chunk++) {
        pulled += 1
        yield CHUNK
      }
      yield Buffer.from('\r\n{"b":2}')
    }
    const seen: unknown[] = []
    for await (const read of numberedLines(input(), 1024 * 1024)) seen.push({ ...read, chunksReadThen: pulled })
    // The 17th chunk of line 2 takes it past 1 MiB: it is told of then, not once its end is read.
    expect(seen).toEqual([
      { line: 1, text: '{"a":1}', chunksReadThen: 0 },
      { line: 2, problem: "the line is longer than 1 MiB; accepted are lines of up to 1 MiB, one fact each (a fact's free text is at most 256 KiB)", chunksReadThen: 17 },
      { line: 3, text: '{"b":2}', chunksReadThen: 48 },
    ])
  })
})

describe('the lines of ingest input that are not UTF-8', () => {
  it('are given as problems naming the first byte that starts no UTF-8 character; UTF-8 ones, U+FFFD itself among them, as text', async () => {
    const lines: [string, Buffer][] = [
      ['Latin-1 é', Buffer.from('"caf\xe9"', 'latin1')],
      ['a lead byte cut short', Buffer.from([0x22, 0xe2, 0x82, 0x22])],
      ['a continuation byte alone', Buffer.from([0x22, 0x80, 0x22])],
      ['an overlong slash', Buffer.from([0x22, 0xc0, 0xaf, 0x22])],
      ['a surrogate', Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22])],
      ['past U+10FFFF', Buffer.from([0x22, 0xf4, 0x90, 0x80, 0x80, 0x22])],
      ['the last byte, cut short', Buffer.from([0x22, 0x41, 0xf0, 0x9f])],
      ['UTF-8', Buffer.from('"€ 𝄞 \uFFFD"', 'utf8')],
    ]
    // eslint-disable-next-line @typescript-eslint/require-await -- input streams are async; these chunks are made on the spot
    async function* input(): AsyncGenerator<Buffer> {
      for (const [, bytes] of lines) yield Buffer.concat([bytes, Buffer.from('\n')])
    }
    const seen: unknown[] = []
    for await (const read of numberedLines(input())) seen.push(read)
    const bad = (line: number, at: number, byte: string): unknown => ({ line, problem: `not valid UTF-8: byte ${String(at)} of the line, 0x${byte}, starts no UTF-8 character; accepted is UTF-8 text (convert other encodings first, e.g. iconv -f latin1 -t utf-8)` })
    expect(seen).toEqual([bad(1, 5, 'e9'), bad(2, 2, 'e2'), bad(3, 2, '80'), bad(4, 2, 'c0'), bad(5, 2, 'ed'), bad(6, 2, 'f4'), bad(7, 3, 'f0'), { line: 8, text: '"€ 𝄞 \uFFFD"' }])
  })
})
