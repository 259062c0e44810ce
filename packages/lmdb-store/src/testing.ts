import type { ChildProcess } from 'node:child_process'
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, writeSync } from 'node:fs'
import type { SearchedCollection, SearchedRecord } from '@agent-tracker/core/store'
import { SEARCHED_COLLECTIONS } from '@agent-tracker/core/store'
import { searchDigestOfWords1, searchDigestOfWords2 } from '@agent-tracker/core/testing'
import { open } from 'lmdb'
import { META, SCHEMA_VERSION_KEY, SEARCHED_THROUGH_KEY, SEARCH_BUILD_KEY, SEARCH_DATABASES, searchMarkKeys } from './layout.js'
import { openTables } from './open-environment.js'
import { searchKey } from './search-index.js'

/**
 * For tests of upgrades: turns a database this release wrote back into one of schema 2, as the
 * release before the search indexes left it — the same records and indexes, no search indexes.
 * The database must not be open in this process.
 */
export async function asSchema2(databasePath: string): Promise<void> {
  const root = open({ path: databasePath, maxDbs: 32 })
  try {
    root.transactionSync(() => {
      for (const name of Object.values(SEARCH_DATABASES)) root.openDB({ name, keyEncoding: 'binary', encoding: 'binary' }).dropSync()
      root.openDB({ name: META }).putSync(SCHEMA_VERSION_KEY, 2)
    })
  } finally {
    await root.close()
  }
}

/**
 * For tests of upgrades: turns a database this release wrote back into one as the releases of
 * version 1 of the search words left it (schema 3 too) — the same records, each search entry's
 * digest with its words cut as they cut them, the indexes marked in step under their key. The
 * database must not be open in this process.
 */
export function asSearchWords1(databasePath: string): Promise<void> {
  return asEarlierSearchWords(databasePath, 1)
}

/** As {@link asSearchWords1}, for version 2 of the search words (a run of Chinese, Japanese or Korean letters one word). */
export function asSearchWords2(databasePath: string): Promise<void> {
  return asEarlierSearchWords(databasePath, 2)
}

async function asEarlierSearchWords(databasePath: string, version: 1 | 2): Promise<void> {
  const digestOf = version === 1 ? searchDigestOfWords1 : searchDigestOfWords2
  const root = open({ path: databasePath, maxDbs: 32 })
  try {
    const db = openTables(root)
    const earlier = searchMarkKeys(version)
    root.transactionSync(() => {
      for (const collection of SEARCHED_COLLECTIONS) {
        const index = db.search[collection]
        if (index === undefined) throw new Error(`${databasePath} has no search index of ${collection}.`)
        for (const { key, value } of db.tables[collection].getRange({ snapshot: false })) {
          if (!Array.isArray(key)) continue
          index.putSync(searchKey(collection, value.at, key as string[]), digestOf(collection, value))
        }
      }
      const through = db.meta.get(SEARCHED_THROUGH_KEY)
      if (through === undefined) throw new Error(`${databasePath} has search indexes out of step.`)
      db.meta.removeSync(SEARCHED_THROUGH_KEY)
      db.meta.removeSync(SEARCH_BUILD_KEY)
      db.meta.putSync(earlier.searchedThrough, through)
    })
  } finally {
    await root.close()
  }
}

/**
 * For tests of what a release of version 1 of the search words leaves: writes the search entry of
 * `record` (of `collection`, under `key`) as that release writes it — its words cut its way — as a
 * merge or an import of it does, without a fact. `as` stands in for the record's fields when given
 * (words of its own). The database must not be open in this process.
 */
export async function writeSearchEntryOfWords1(databasePath: string, collection: SearchedCollection, key: readonly string[], record: SearchedRecord, as: Partial<SearchedRecord> = {}): Promise<void> {
  const root = open({ path: databasePath, maxDbs: 32 })
  try {
    const index = root.openDB({ name: SEARCH_DATABASES[collection], keyEncoding: 'binary', encoding: 'binary' })
    root.transactionSync(() => {
      index.putSync(searchKey(collection, record.at, key), searchDigestOfWords1(collection, { ...record, ...as }))
    })
  } finally {
    await root.close()
  }
}

export type { Schema1Content } from './schema-1-database.js'
export { writeSchema1Database } from './schema-1-database.js'

/**
 * For tests of what another process's write lock does to a host: holds the write lock of the
 * database at `databasePath` as another agent-tracker writer would (a merge, an import), inside a
 * write transaction that has written something. `wait` keeps it for `ms` milliseconds, blocking
 * this process; `stop` stops this process inside the transaction (as Ctrl-Z does to a CLI
 * command) until it gets SIGCONT. Writes `locked` to stdout once it holds the lock, and
 * `released` once it committed. Call it in a process of its own.
 */
export async function holdWriteLock(databasePath: string, mode: 'wait' | 'stop', ms = 3000): Promise<void> {
  const root = open({ path: databasePath, noSubdir: true, maxDbs: 32, overlappingSync: false })
  try {
    const meta = root.openDB({ name: META })
    root.transactionSync(() => {
      meta.putSync('heldBy', process.pid)
      writeSync(1, 'locked\n')
      if (mode === 'stop') process.kill(process.pid, 'SIGSTOP')
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
    })
    writeSync(1, 'released\n')
  } finally {
    await root.close()
  }
}

/** What {@link holdWriteLock} runs as in its own process: this module, as the caller's folder resolves it (built). */
const HOLDER = "import { holdWriteLock } from '@agent-tracker/lmdb-store/testing'; const [path, mode, ms] = process.argv.slice(1); await holdWriteLock(path, mode, Number(ms))"

/**
 * Starts a second process that holds the write lock of the database at `databasePath` (see
 * {@link holdWriteLock}) and resolves once it does: `wait` keeps it `heldMs` (default 3 s); `stop`
 * stops that process inside its transaction until it gets SIGCONT — or, whatever happens, after
 * `watchdogMs` (default 10 s), so that a host it freezes (what such a test is about) fails the test
 * instead of hanging it. `exited` settles when that process ends. Run it from a package that
 * depends on this one, built.
 */
export async function startWriteLockHolder(databasePath: string, mode: 'wait' | 'stop', options: { readonly heldMs?: number; readonly watchdogMs?: number } = {}): Promise<{ readonly child: ChildProcess; readonly exited: Promise<unknown> }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', HOLDER, databasePath, mode, String(options.heldMs ?? 3000)], { stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => {
      reject(new Error(`the write-lock holder ended (${String(code)}) before it held the lock`))
    })
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve()
    })
  })
  if (mode === 'stop') spawn(process.execPath, ['-e', `setTimeout(() => { try { process.kill(${String(child.pid)}, 'SIGCONT') } catch {} }, ${String(options.watchdogMs ?? 10_000)})`], { stdio: 'ignore' }).unref()
  return { child, exited }
}

/** Watches this process's event loop (a 10 ms timer): the longest time it went without a turn since the start. */
export function stallWatch(): { readonly longestMs: () => number; readonly stop: () => void } {
  let last = Date.now()
  let longest = 0
  const timer = setInterval(() => {
    const now = Date.now()
    longest = Math.max(longest, now - last)
    last = now
  }, 10)
  return {
    longestMs: () => Math.max(longest, Date.now() - last),
    stop: () => {
      clearInterval(timer)
    },
  }
}

/**
 * For tests of a full disk: mounts a small file system of its own (tmpfs, `bytes` in size) at
 * `folder` (made here), where the disk can be filled. Only as root, where mounting is allowed:
 * undefined elsewhere, or when the mount fails. `unmount` takes it away again.
 */
export function smallDisk(folder: string, bytes: number): { readonly folder: string; readonly unmount: () => void } | undefined {
  if (process.getuid?.() !== 0) return undefined
  mkdirSync(folder, { recursive: true })
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${String(bytes)}`, 'tmpfs', folder]).status !== 0) return undefined
  return { folder, unmount: () => { spawnSync('umount', [folder]) } }
}
