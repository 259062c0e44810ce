import { closeSync, fstatSync, lstatSync, openSync, readSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** Where an environment keeps its data: a single file (`noSubdir`) or `data.mdb` in a folder. */
export interface DataFileLocation {
  /** The file holding the data. */
  readonly dataFile: string
  /** The lock file LMDB shares between processes. */
  readonly lockFile: string
  /** True for the single-file layout (`<path>` and `<path>-lock`). */
  readonly noSubdir: boolean
}

/** The verdict on a data file before LMDB is allowed to map it. */
export type DataFileCheck =
  | { readonly ok: true; readonly exists: boolean; readonly pageSize?: number; readonly lastPage?: number }
  | { readonly ok: false; readonly problem: string }

const MAGIC = 0xbeefc0de
const PAGE_HEADER = 24
const META = {
  magic: PAGE_HEADER,
  version: PAGE_HEADER + 4,
  pageSize: PAGE_HEADER + 24,
  lastPage: PAGE_HEADER + 120,
  txnId: PAGE_HEADER + 128,
  end: PAGE_HEADER + 136,
}

/** Finds the data file of the environment at `path`: `path` itself, or `path/data.mdb` for a folder. */
export function locateDataFile(path: string): DataFileLocation {
  try {
    if (statSync(path).isDirectory()) return { dataFile: join(path, 'data.mdb'), lockFile: join(path, 'lock.mdb'), noSubdir: false }
  } catch {
    // Absent: the single-file layout will be created.
  }
  return { dataFile: path, lockFile: `${path}-lock`, noSubdir: true }
}

/**
 * Describes why the lock file cannot serve, or undefined when it is absent or a regular file.
 * (LMDB segfaults when the lock path is, say, a folder; stale lock contents are harmless.)
 */
export function checkLockFile(lockFile: string): string | undefined {
  try {
    return lstatSync(lockFile).isFile() ? undefined : `its lock file ${lockFile} is not a regular file`
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return code === 'ENOENT' || code === 'ENOTDIR' ? undefined : `its lock file ${lockFile} cannot be checked (${(error as Error).message})`
  }
}

/**
 * Checks that a data file is an intact LMDB file before it is mapped: LMDB (and lmdb-js) crash the
 * whole process with a segfault or bus error on garbage or truncated files. Reads two meta pages:
 * magic number, format version, page size, and that the file holds every page the newest meta
 * page claims. An absent or empty file is fine (a new database).
 */
export function checkDataFile(dataFile: string): DataFileCheck {
  let fd: number
  try {
    fd = openSync(dataFile, 'r')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: true, exists: false }
    return { ok: false, problem: `it cannot be read (${(error as Error).message})` }
  }
  try {
    const size = fstatSync(fd).size
    if (size === 0) return { ok: true, exists: false }
    const first = readAt(fd, 0, META.end)
    if (first.length < META.end || first.readUInt32LE(META.magic) !== MAGIC) return { ok: false, problem: 'it is not an LMDB database file' }
    const pageSize = first.readUInt32LE(META.pageSize)
    if (pageSize < 512 || pageSize > 65_536 || (pageSize & (pageSize - 1)) !== 0) return { ok: false, problem: `its page size (${String(pageSize)}) is invalid` }
    const second = readAt(fd, pageSize, META.end)
    if (second.length < META.end || second.readUInt32LE(META.magic) !== MAGIC) return { ok: false, problem: 'its second meta page is missing or damaged' }
    const metas = [first, second].map((page) => ({
      version: page.readUInt32LE(META.version),
      lastPage: Number(page.readBigUInt64LE(META.lastPage)),
      txnId: page.readBigUInt64LE(META.txnId),
    }))
    const unsupported = metas.find((meta) => meta.version !== 1 && meta.version !== 2)
    if (unsupported !== undefined) return { ok: false, problem: `its format version (${String(unsupported.version)}) is not supported` }
    const newest = metas[0] !== undefined && metas[1] !== undefined && metas[1].txnId > metas[0].txnId ? metas[1] : metas[0]
    const needed = ((newest?.lastPage ?? 0) + 1) * pageSize
    if (needed > size) return { ok: false, problem: `it is truncated (${String(size)} bytes, but its pages need ${String(needed)})` }
    return { ok: true, exists: true, pageSize, lastPage: newest?.lastPage ?? 0 }
  } finally {
    closeSync(fd)
  }
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length)
  const read = readSync(fd, buffer, 0, length, position)
  return buffer.subarray(0, read)
}
