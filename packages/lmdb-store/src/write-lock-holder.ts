import { fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs'

/** Who holds an LMDB database's write lock, as far as its lock file tells: nobody, another process, or it cannot be told here. */
export type WriteLockHolder = { readonly state: 'free' } | { readonly state: 'held'; readonly pid: number } | { readonly state: 'unknown' }

/** The lock file's first four bytes: LMDB's magic number, little-endian. */
const LOCK_MAGIC = 0xbeefc0de
/**
 * Where the writer mutex lies in the lock file: after the first cache line (the reader table's
 * header), as LMDB lays it out with process-shared robust POSIX mutexes — how lmdb-js builds it on
 * Linux. A glibc mutex begins with its lock word, and its owner's thread id follows 8 bytes on.
 */
const WRITER_MUTEX = 64
const OWNER_OFFSET = 8
/** The bits of a robust futex that hold the owner's thread id (the others: waiters, owner died). */
const TID_MASK = 0x3fffffff

/**
 * Who holds the write lock of the database whose lock file is `lockFile`, without taking it or
 * waiting for it: LMDB offers no way to try the lock, and a write that waits for it cannot be
 * called off (a process with one waiting cannot even end). Read from the lock file: the writer
 * mutex's lock word and owner, the owner's process from `/proc`. `free` when no thread holds it (the
 * kernel clears a dead owner's), or one of this process does (its writes queue behind each other
 * anyway); `held` with the process id of another process holding it; `unknown` where the lock file
 * is not laid out as on Linux with glibc, or its owner is a thread `/proc` does not show (another
 * PID namespace's): then nothing can be told.
 */
export function writeLockHolder(lockFile: string): WriteLockHolder {
  if (process.platform !== 'linux') return { state: 'unknown' }
  const bytes = Buffer.alloc(WRITER_MUTEX + OWNER_OFFSET + 4)
  try {
    if (readSync(lockFileReader(lockFile), bytes, 0, bytes.length, 0) < bytes.length) return { state: 'unknown' }
  } catch {
    return { state: 'unknown' }
  }
  if (bytes.readUInt32LE(0) !== LOCK_MAGIC) return { state: 'unknown' }
  const word = bytes.readUInt32LE(WRITER_MUTEX) & TID_MASK
  if (word === 0) return { state: 'free' }
  // A glibc mutex held names its owner twice; anything else is a layout this cannot read.
  if (word !== bytes.readUInt32LE(WRITER_MUTEX + OWNER_OFFSET)) return { state: 'unknown' }
  const pid = processOfThread(word)
  // A thread /proc does not know: another PID namespace's (a container sharing the file), most likely.
  if (pid === undefined) return { state: 'unknown' }
  return pid === process.pid ? { state: 'free' } : { state: 'held', pid }
}

/** The process a thread id belongs to (its thread group), from `/proc`; undefined when no such thread lives. */
function processOfThread(tid: number): number | undefined {
  try {
    const found = /^Tgid:\s*(\d+)$/m.exec(readFileSync(`/proc/${String(tid)}/status`, 'utf8'))
    return found?.[1] === undefined ? undefined : Number(found[1])
  } catch {
    return undefined
  }
}

/** Where the descriptors {@link lockFileReader} keeps are, shared by every copy of this package in the process. */
const READERS = Symbol.for('@agent-tracker/lmdb-store/lock-file-readers')

/**
 * A descriptor to read `lockFile` by, opened once per file (per inode: a database made anew gets
 * one of its own) and never closed: closing any descriptor of a file drops every POSIX record lock
 * the process holds on it, and LMDB keeps its locks on the lock file that way — an open and close
 * per look made this process's next write fail (EINVAL) and hang.
 * @throws what `open` and `stat` throw (no such file, no access).
 */
function lockFileReader(lockFile: string): number {
  const global = globalThis as unknown as Record<symbol, Map<string, number> | undefined>
  const readers = (global[READERS] ??= new Map<string, number>())
  const kept = readers.get(lockFile)
  if (kept !== undefined && fstatSync(kept).ino === statSync(lockFile).ino) return kept
  const fd = openSync(lockFile, 'r')
  readers.set(lockFile, fd)
  return fd
}
