// Loads no LMDB: the CLI asks this when its output fails, whether or not it opened a database.

/**
 * The asynchronous writes of this process under way on lmdb-js's writer thread (see
 * `LmdbStore.#writeOffThread`): from the call until the write settles, however long it waits for
 * another process's write lock. Node cannot end a process while one is: `process.exit()` then
 * hangs in lmdb-js's native teardown for good (also once the lock is free), and a synchronous
 * write waits on the calling thread for the lock the writer thread waits for. Kept on `globalThis`,
 * so that every copy of this package in the process (an app's bundle and a plugin's) counts the
 * same writes, as lmdb-js shares one environment per database among them.
 */
interface WritesUnderWay {
  count: number
  /** The oldest write under way's start (`Date.now()`), per write. */
  readonly started: Map<number, number>
  /**
   * The writes whose transaction has not begun yet: they wait for the write lock (`Date.now()` of
   * their start). Added after the rest: made where a copy of this package that knew none made the state.
   */
  lockWaits?: Map<number, number>
  next: number
  /** Called, once, when the count next comes to 0. */
  waiting: (() => void)[]
}

const KEY = Symbol.for('@agent-tracker/lmdb-store/writes-under-way')

function state(): WritesUnderWay {
  const global = globalThis as unknown as Record<symbol, WritesUnderWay | undefined>
  const kept = global[KEY] ?? { count: 0, started: new Map<number, number>(), next: 0, waiting: [] }
  kept.lockWaits ??= new Map<number, number>()
  global[KEY] = kept
  return kept
}

/**
 * How many asynchronous LMDB writes of this process are under way, since when the oldest is, and
 * since when the oldest of those still waiting for the write lock (their transaction not begun:
 * another process holds the lock) waits (`Date.now()`; undefined with none).
 */
export function writesUnderWay(): { readonly count: number; readonly oldestSince: number | undefined; readonly waitingSince: number | undefined } {
  const { count, started, lockWaits } = state()
  return { count, oldestSince: oldestOf(started), waitingSince: lockWaits === undefined ? undefined : oldestOf(lockWaits) }
}

function oldestOf(times: ReadonlyMap<number, number>): number | undefined {
  let oldest: number | undefined
  for (const at of times.values()) oldest = Math.min(oldest ?? at, at)
  return oldest
}

/**
 * Calls `then` once no asynchronous LMDB write of this process is under way: at once when none is,
 * else as the last one settles — in the same turn, before what awaited that write goes on (which
 * could start another). What `then` throws is thrown there, as from a timer.
 */
export function whenWritesSettle(then: () => void): void {
  const writes = state()
  if (writes.count === 0) then()
  else writes.waiting.push(then)
}

/**
 * Counts the write `start` starts (it returns the asynchronous write's promise at once) as under
 * way until it settles, and as waiting for the write lock until it calls `began` (from inside its
 * transaction, which runs once the lock is held).
 */
export function countWrite<T>(start: (began: () => void) => Promise<T>): Promise<T> {
  const writes = state()
  const id = writes.next++
  writes.count += 1
  const now = Date.now()
  writes.started.set(id, now)
  writes.lockWaits?.set(id, now)
  const began = (): void => {
    writes.lockWaits?.delete(id)
  }
  const settle = (): void => {
    writes.count -= 1
    writes.started.delete(id)
    writes.lockWaits?.delete(id)
    if (writes.count > 0) return
    for (const then of writes.waiting.splice(0)) {
      try {
        then()
      } catch (error) {
        setImmediate(() => {
          throw error
        })
      }
    }
  }
  let write: Promise<T>
  try {
    write = start(began)
  } catch (error) {
    settle()
    throw error
  }
  return write.then(
    (value) => {
      settle()
      return value
    },
    (error: unknown) => {
      settle()
      throw error
    },
  )
}

/** Whether {@link quietCommitFailureLogs} replaced `console.error` in this process. */
const QUIET_KEY = Symbol.for('@agent-tracker/lmdb-store/quiet-commit-failures')

/**
 * For an app that owns its process's stderr (the CLI): lmdb-js logs a failed commit's native
 * error itself, with its stack (`console.error`), once for each write waiting in the batch, before
 * it rejects the write whose failure the store turns into an error naming the database and what
 * to do. From now on in this process, while an asynchronous write of this package is under way,
 * `console.error` passes on everything but such a log: one Error, with the numeric `code` of
 * LMDB's native errors (Node's own errors carry a string code). Called again, it does nothing.
 */
export function quietCommitFailureLogs(): void {
  const global = globalThis as unknown as Record<symbol, true | undefined>
  if (global[QUIET_KEY] === true) return
  global[QUIET_KEY] = true
  const original = console.error.bind(console)
  console.error = (...args: unknown[]): void => {
    if (args.length === 1 && state().count > 0 && isNativeLmdbError(args[0])) return
    original(...args)
  }
}

/** An Error as lmdb-js's native code makes them: a numeric `code` (an errno or an MDB_ code). */
function isNativeLmdbError(value: unknown): boolean {
  return value instanceof Error && typeof (value as { code?: unknown }).code === 'number'
}
