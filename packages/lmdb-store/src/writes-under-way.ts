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
  next: number
  /** Called, once, when the count next comes to 0. */
  waiting: (() => void)[]
}

const KEY = Symbol.for('@agent-tracker/lmdb-store/writes-under-way')

function state(): WritesUnderWay {
  const global = globalThis as unknown as Record<symbol, WritesUnderWay | undefined>
  const kept = global[KEY] ?? { count: 0, started: new Map<number, number>(), next: 0, waiting: [] }
  global[KEY] = kept
  return kept
}

/** How many asynchronous LMDB writes of this process are under way, and since when the oldest is (`Date.now()`; undefined with none). */
export function writesUnderWay(): { readonly count: number; readonly oldestSince: number | undefined } {
  const { count, started } = state()
  let oldest: number | undefined
  for (const at of started.values()) oldest = Math.min(oldest ?? at, at)
  return { count, oldestSince: oldest }
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

/** Counts `write` (a promise an asynchronous write returned at once) as under way until it settles. */
export function countWrite<T>(write: Promise<T>): Promise<T> {
  const writes = state()
  const id = writes.next++
  writes.count += 1
  writes.started.set(id, Date.now())
  const settle = (): void => {
    writes.count -= 1
    writes.started.delete(id)
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
