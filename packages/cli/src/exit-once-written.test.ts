import { describe, expect, it } from 'vitest'
import type { WrittenStream } from './exit-once-written.js'
import { exitOnceWritten } from './exit-once-written.js'

/** A stream that holds `held` characters until `release` hands them on, calling back what waited. */
function holdingStream(held: number): WrittenStream & { release(error?: Error): void } {
  let waiting: ((error?: Error | null) => void)[] = []
  let length = held
  return {
    get writableLength() {
      return length
    },
    write(_chunk, done) {
      waiting.push(done)
      return false
    },
    release(error) {
      length = 0
      const called = waiting
      waiting = []
      for (const done of called) done(error ?? null)
    },
  }
}

describe('exitOnceWritten', () => {
  it('exits at once with the code when nothing is held', () => {
    const exits: number[] = []
    exitOnceWritten(3, { streams: [holdingStream(0), holdingStream(0)], exit: (code) => exits.push(code), later: (then) => { then() } })
    expect(exits).toEqual([3])
  })

  it('exits once every stream holding output has handed it on, or failed to, and only then', () => {
    const exits: number[] = []
    const stdout = holdingStream(65_536)
    const stderr = holdingStream(12)
    exitOnceWritten(1, { streams: [stdout, stderr], exit: (code) => exits.push(code), later: (then) => { then() } })
    expect(exits).toEqual([])
    stdout.release()
    expect(exits).toEqual([])
    // A reader that left (EPIPE) does not keep the process.
    stderr.release(new Error('write EPIPE'))
    expect(exits).toEqual([1])
  })

  it('waits a turn first, so that a failed write already under way is told, and exits only once no database write is under way', () => {
    const exits: number[] = []
    const turns: (() => void)[] = []
    const settling: (() => void)[] = []
    exitOnceWritten(0, { streams: [holdingStream(0)], exit: (code) => exits.push(code), later: (then) => turns.push(then), settled: (then) => settling.push(then) })
    expect(exits).toEqual([])
    turns.forEach((turn) => { turn() })
    expect(exits).toEqual([])
    settling.forEach((then) => { then() })
    expect(exits).toEqual([0])
  })
})
