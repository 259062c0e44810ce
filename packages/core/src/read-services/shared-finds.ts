import type { TrackerStore } from '../store/tracker-store.js'

/**
 * The store as seen by one answer made of several read services at once (the HTML report: the
 * report, trends, leaderboard, projects and recommendations each read the setups and the day
 * rollups): a `find` of a collection with a query already asked is answered by that first read,
 * so the records are read and decoded once and held once. Each caller gets an array of its own
 * (the records in it are shared; they are read-only). Everything else goes to the store as it is.
 * For one answer only: nothing here sees what is written after the first read.
 */
export function withSharedFinds<S extends TrackerStore>(store: S): S {
  const reads = new Map<string, Promise<readonly unknown[]>>()
  const find = (collection: string, query?: object): Promise<unknown[]> => {
    const key = JSON.stringify([collection, query ?? {}])
    let read = reads.get(key)
    if (read === undefined) {
      read = (store.find as (collection: string, query?: object) => Promise<readonly unknown[]>)(collection, query)
      reads.set(key, read)
    }
    return read.then((records) => [...records])
  }
  return new Proxy(store, {
    get(target, name) {
      if (name === 'find') return find
      // The store's own methods run on the store itself (a store may keep private fields).
      const value = Reflect.get(target, name, target) as unknown
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    },
  })
}
