import { describe, expect, it } from 'vitest'
import type { Engine } from './compile-at-once.js'
import { withLoopsCompiledAtOnce } from './compile-at-once.js'

/** An engine that records the flags set, and what the work saw set while it ran. */
function recording(options: readonly string[] = [], refuses = false): Engine & { readonly flags: string[] } {
  const flags: string[] = []
  return {
    options,
    flags,
    setFlags(flag) {
      if (refuses) throw new Error('no such engine flags')
      flags.push(flag)
    },
  }
}

describe('running work with hot loops compiled at once', () => {
  it('turns concurrent OSR off for the work alone, and gives its result', () => {
    const engine = recording()
    const seen: string[][] = []
    expect(withLoopsCompiledAtOnce(() => {
      seen.push([...engine.flags])
      return 42
    }, engine)).toBe(42)
    expect(seen).toEqual([['--no-concurrent-osr']])
    expect(engine.flags).toEqual(['--no-concurrent-osr', '--concurrent-osr'])
  })

  it('puts the setting back when the work throws, and the error goes on', () => {
    const engine = recording()
    expect(() => withLoopsCompiledAtOnce(() => {
      throw new RangeError('the model failed')
    }, engine)).toThrow('the model failed')
    expect(engine.flags).toEqual(['--no-concurrent-osr', '--concurrent-osr'])
  })

  it.each([['--no-concurrent-osr'], ['--concurrent-recompilation'], ['--single-threaded'], ['--jitless'], ['--max-old-space-size=4096 --no-opt']])('leaves the engine alone when the Node options say how to compile (%s)', (option) => {
    const engine = recording(['--enable-source-maps', option])
    expect(withLoopsCompiledAtOnce(() => 'ran', engine)).toBe('ran')
    expect(engine.flags).toEqual([])
  })

  it('runs the work as it is on an engine that takes no such flags', () => {
    const engine = recording([], true)
    expect(withLoopsCompiledAtOnce(() => 'ran', engine)).toBe('ran')
  })
})
