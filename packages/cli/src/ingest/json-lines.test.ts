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
