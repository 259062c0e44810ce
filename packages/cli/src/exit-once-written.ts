import { whenWritesSettle } from '@agent-tracker/lmdb-store/writes-under-way'

/** A stream the process wrote its output to. */
export interface WrittenStream {
  readonly writableLength: number
  write(chunk: string, done: (error?: Error | null) => void): boolean
}

/**
 * Ends the process with `code` once what it wrote to `streams` has left it, instead of letting
 * Node end it when its event loop runs empty. That end can hang for good on Node 20: Node first
 * waits on the main thread for every queued background task, V8's optimising compiles among them,
 * and a compile that needs a garbage collection waits for the main thread in turn
 * (nodejs/node#54918; fixed in later Node lines, not in 20). Measured here, two `recommend`s at a
 * time on two busy cores: 41 of 800 hung. `process.exit` skips that wait: only a compile already
 * running is waited for (1 of 300; the children agent-tracker starts compile on the main thread and
 * never hang, see `childNodeFlags`). What a command does after it answers (a detached process it
 * started, a flush on exit) is unaffected: those are started and let go, or run on `exit`.
 *
 * It waits a turn first, so that a failure of the output already under way (`> /dev/full`) is
 * told, and sets the exit code, as it did when the loop ended the process (see
 * `stopWhenReaderLeaves`); it exits with `process.exitCode` as it then stands. And it never exits
 * while an LMDB write is under way: `process.exit()` would hang in lmdb-js for good.
 */
export function exitOnceWritten(code: number, how: ExitHow = {}): void {
  const { streams = [process.stdout, process.stderr], exit = (fallback: number) => process.exit(typeof process.exitCode === 'number' ? process.exitCode : fallback), settled = whenWritesSettle, later = setImmediate } = how
  later(() => {
    // A pipe or a terminal may still hold output (asynchronous on macOS and Windows): each says when it is out.
    const holding = streams.filter((stream) => stream.writableLength > 0)
    let waiting = holding.length
    const done = (): void => {
      settled(() => {
        exit(code)
      })
    }
    if (waiting === 0) {
      done()
      return
    }
    for (const stream of holding) {
      // Called once what was written before has been handed on, or has failed (a reader that left).
      stream.write('', () => {
        waiting -= 1
        if (waiting === 0) done()
      })
    }
  })
}

/** What {@link exitOnceWritten} waits for and how it exits (the process's own, unless a test gives its own). */
export interface ExitHow {
  readonly streams?: readonly WrittenStream[]
  readonly exit?: (code: number) => void
  /** Calls back once no LMDB write of the process is under way. */
  readonly settled?: (then: () => void) => void
  /** Calls back on a later turn of the event loop. */
  readonly later?: (then: () => void) => void
}
