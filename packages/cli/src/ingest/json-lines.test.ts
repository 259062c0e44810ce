import { describe, expect, it } from 'vitest'
import { NotUtf8Input, numberedLines } from './json-lines.js'

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

describe('ingest input in UTF-16 or UTF-32', () => {
  // eslint-disable-next-line @typescript-eslint/require-await -- input streams are async; these chunks are made on the spot
  async function* chunks(...given: Buffer[]): AsyncGenerator<Buffer> {
    yield* given
  }
  const read = async (...given: Buffer[]): Promise<unknown> => {
    const seen: unknown[] = []
    try {
      for await (const line of numberedLines(chunks(...given))) seen.push(line)
    } catch (error) {
      return error instanceof NotUtf8Input ? { refused: error.message } : error
    }
    return seen
  }

  it('is refused before its first line, naming the encoding and its byte-order mark, however the mark is cut between chunks', async () => {
    const utf16 = Buffer.from('{"a":1}\n', 'utf16le')
    expect(await read(Buffer.from([0xff]), Buffer.from([0xfe]), utf16)).toEqual({ refused: 'it is UTF-16 (little-endian: it begins with the byte-order mark FF FE)' })
    expect(await read(Buffer.from([0xfe, 0xff, 0x00]))).toEqual({ refused: 'it is UTF-16 (big-endian: it begins with the byte-order mark FE FF)' })
    expect(await read(Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x7b, 0x00, 0x00, 0x00]))).toEqual({ refused: 'it is UTF-32 (little-endian: it begins with the byte-order mark FF FE 00 00)' })
    expect(await read(Buffer.from([0x00, 0x00]), Buffer.from([0xfe, 0xff, 0x00]))).toEqual({ refused: 'it is UTF-32 (big-endian: it begins with the byte-order mark 00 00 FE FF)' })
  })

  it('is told only by the start of the input: UTF-8 with its mark is read, and such bytes later are a line that is not UTF-8', async () => {
    expect(await read(Buffer.from([0xef]), Buffer.from([0xbb, 0xbf, 0x31, 0x0a, 0xff, 0xfe, 0x0a]), Buffer.from('2'))).toEqual([
      { line: 1, text: '1' },
      { line: 2, problem: 'not valid UTF-8: byte 1 of the line, 0xff, starts no UTF-8 character; accepted is UTF-8 text (convert other encodings first, e.g. iconv -f latin1 -t utf-8)' },
      { line: 3, text: '2' },
    ])
    expect(await read(Buffer.from('1'))).toEqual([{ line: 1, text: '1' }])
    expect(await read()).toEqual([])
  })
})
