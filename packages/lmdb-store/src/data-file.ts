import type { Stats } from 'node:fs'
import * as fs from 'node:fs'
import { accessSync, closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { checkTrees } from './check-trees.js'
import type { MetaRecord } from './lmdb-format.js'
import { LMDB_DATA_VERSION, LMDB_MAGIC, META_SIZE, PAGE_META, pageType, readMeta, readPageHeader } from './lmdb-format.js'

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
  | { readonly ok: false; readonly problem: string; /** False when the file is sound but cannot be opened as one (a folder, no permission). */ readonly damaged: boolean }

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
 * Why a writer could not use the lock file, if so: it is there but not writable for this user,
 * or it is not there and its folder lets this user create no file. LMDB itself takes such a
 * database down with the process (SIGSEGV) rather than say so.
 */
export function lockAccessProblem(lockFile: string): string | undefined {
  try {
    accessSync(lockFile, constants.R_OK | constants.W_OK)
    return undefined
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'ENOENT') return `its lock file ${lockFile} is not writable for you (${code ?? (error as Error).message})`
  }
  const folder = dirname(lockFile)
  try {
    accessSync(folder, constants.W_OK | constants.X_OK)
    return undefined
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    // A folder that is not there yet is made before the lock file: not this check's to say.
    if (code === 'ENOENT') return undefined
    return `its lock file ${lockFile} is missing and cannot be made: the folder ${folder} is not writable for you (${code ?? (error as Error).message})`
  }
}

/**
 * Room a lock file may need on disk as LMDB maps it: LMDB sizes it (about 8 KiB for its header and
 * reader table) without writing it, and the disk gives it blocks only as processes touch them.
 */
const LOCK_FILE_ROOM = 64 * 1024

/** The first page of a lock file: its header and the first reader slots. */
const LOCK_FILE_FIRST_PAGE = 4096

/**
 * Why LMDB could not map the lock file, if so: it is not there yet, or its first page has no blocks
 * on disk, and the file system holding it has less than {@link LOCK_FILE_ROOM} free. LMDB maps the
 * lock file even to read, and a page of it the full disk cannot back takes the process down with
 * SIGBUS — which would look like a damaged database. Undefined when the lock file has all its
 * blocks, there is room, or the free space cannot be told (a runtime without `statfs`).
 */
export function lockFileRoomProblem(lockFile: string, room: number = LOCK_FILE_ROOM): string | undefined {
  try {
    // Its first page on disk (its header, and the reader slots of the first processes): as much as
    // a process maps and touches on open. LMDB leaves the rest of its reader table unwritten.
    const stats = statSync(lockFile)
    if (stats.size > 0 && stats.blocks * 512 >= Math.min(stats.size, LOCK_FILE_FIRST_PAGE)) return undefined
  } catch {
    // Not there yet: LMDB makes it.
  }
  const statfs = (fs as { statfsSync?: (path: string) => { blocks: number | bigint; bavail: number | bigint; bsize: number | bigint } }).statfsSync
  if (typeof statfs !== 'function') return undefined
  const folder = dirname(lockFile)
  let free: number
  try {
    const stats = statfs(folder)
    // A file system of no blocks (sysfs, procfs) keeps no files: its own errors say why.
    if (Number(stats.blocks) === 0) return undefined
    free = Number(stats.bavail) * Number(stats.bsize)
  } catch {
    return undefined
  }
  return free >= room ? undefined : `the disk holding ${folder} is full (${String(free)} bytes free), and LMDB needs room there for the database's lock file even to read it`
}

/** Reads retried while other processes keep committing under them. */
const MAX_ATTEMPTS = 50

/**
 * Runs `read` of a data file open as `fd` until no transaction was committed while it ran, or
 * `settled` accepts what it read. Such a read holds no reader slot: once a newer snapshot is
 * committed, a writer in another process may reuse the pages of the one it walks (while the newest
 * snapshot stands, its pages are not reused). A damaged file's newest transaction does not move,
 * so damage is reported at once. What `read` throws while commits come is retried too.
 */
export function readSettled<T>(fd: number, read: () => T, settled: (value: T) => boolean = () => false): T {
  for (let attempt = 1; ; attempt++) {
    const before = newestTxnId(fd)
    let value: T
    try {
      value = read()
    } catch (error) {
      if (attempt < MAX_ATTEMPTS && newestTxnId(fd) !== before) continue
      throw error
    }
    if (settled(value) || attempt === MAX_ATTEMPTS || before === undefined || newestTxnId(fd) === before) return value
  }
}

/**
 * Whether a data file is absent or empty — a database not there yet, as {@link checkDataFile}
 * finds it — from its status alone, without opening or reading it: for a caller that only needs
 * to know whether to open it (the open checks it in full).
 */
export function isDataFileAbsent(dataFile: string): boolean {
  try {
    const status = statSync(dataFile)
    return status.isFile() && status.size === 0
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return code === 'ENOENT' || code === 'ENOTDIR'
  }
}

/**
 * Checks that a data file is an intact LMDB file before it is mapped: LMDB (and lmdb-js) crash the
 * whole process with a segfault or bus error on garbage, truncated or overwritten files. Reads the
 * two meta pages (magic number, format version, page size, that the file holds every page the
 * newest one claims), then the handful of pages LMDB reads first: the tree roots and the main tree
 * listing the sub-databases (see {@link checkTrees}). An absent or empty file is fine (a new
 * database). A failure seen while another process commits is checked again.
 */
export function checkDataFile(dataFile: string): DataFileCheck {
  // Before it is opened: opening a named pipe waits for a writer, for good (a signal cannot end the wait).
  const special = specialFileKind(dataFile)
  if (special !== undefined) return { ok: false, problem: `it is ${special}, not a database file`, damaged: false }
  let fd: number
  try {
    fd = openSync(dataFile, 'r')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: true, exists: false }
    return { ok: false, problem: `it cannot be read (${(error as Error).message})`, damaged: false }
  }
  try {
    if (fstatSync(fd).isDirectory()) return { ok: false, problem: 'it is a folder, not a file', damaged: false }
    return readSettled(fd, () => inspect(fd), (check) => check.ok)
  } finally {
    closeSync(fd)
  }
}

/** What a path is when it is neither a regular file nor a folder (a named pipe, a device, a socket); undefined otherwise, or when it cannot be told. */
function specialFileKind(path: string): string | undefined {
  let status: Stats
  try {
    status = statSync(path)
  } catch {
    return undefined
  }
  if (status.isFile() || status.isDirectory()) return undefined
  if (status.isFIFO()) return 'a named pipe'
  if (status.isCharacterDevice()) return 'a character device'
  if (status.isBlockDevice()) return 'a block device'
  if (status.isSocket()) return 'a socket'
  return 'no regular file'
}

function inspect(fd: number): DataFileCheck {
  if (fstatSync(fd).size === 0) return { ok: true, exists: false }
  const metas = readMetas(fd)
  if (typeof metas === 'string') {
    // A file of another kind given as the database is no damaged database: nothing to mark or salvage.
    const foreign = metas === NOT_LMDB ? otherKindOfFile(readAt(fd, 0, 4096)) : undefined
    return foreign === undefined ? { ok: false, problem: metas, damaged: true } : { ok: false, problem: foreign, damaged: false }
  }
  const [first, second] = metas
  const newest = second.txnId > first.txnId ? second : first
  const fail = (problem: string): DataFileCheck => ({ ok: false, problem, damaged: true })
  const { pageSize } = first
  // The size is read after the meta pages: a writer extends the file before it writes a meta page.
  const size = fstatSync(fd).size
  const needed = (newest.lastPage + 1n) * BigInt(pageSize)
  if (newest.lastPage < 1n || needed > BigInt(size)) return fail(`it is truncated (${String(size)} bytes, but its pages need ${String(needed)})`)
  const problem = checkTrees(newest, (pgno) => readAt(fd, Number(pgno) * pageSize, pageSize))
  if (problem !== undefined) return fail(problem)
  return { ok: true, exists: true, pageSize, lastPage: Number(newest.lastPage) }
}

const NOT_LMDB = 'it is not an LMDB database file'

/**
 * What a file without LMDB's mark is, when it is plainly another kind of file: an SQLite database,
 * or text (JSON, notes: its first 4 KiB UTF-8 without control characters but tabs and line breaks,
 * where an LMDB file's first page is mostly NUL bytes). Undefined for binary data, which may be a
 * database damaged from its first page on.
 */
function otherKindOfFile(head: Buffer): string | undefined {
  if (head.subarray(0, 16).toString('latin1') === 'SQLite format 3\u0000') return 'it is an SQLite database, not an agent-tracker database'
  return head.length > 0 && isText(head) ? 'it is a text file, not an agent-tracker database' : undefined
}

function isText(bytes: Buffer): boolean {
  let text: string
  try {
    // `stream`: a character cut at the end of the bytes read is not an error.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true })
  } catch {
    return false
  }
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    // Control characters but tab, line feed, form feed and carriage return.
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d) || code === 0x7f) return false
  }
  return true
}

function readMetas(fd: number): [MetaRecord, MetaRecord] | string {
  const firstPage = readAt(fd, 0, META_SIZE)
  // A damaged first meta page beside an intact second is no other kind of file: LMDB's mark is on page 1.
  if (intactMeta(firstPage) === undefined && findSecondMetaPage(fd) !== undefined) return FIRST_META_DAMAGED
  if (firstPage.length < META_SIZE || readMeta(firstPage).magic !== LMDB_MAGIC) return NOT_LMDB
  const first = readMeta(firstPage)
  const { pageSize } = first
  if (!isPageSize(pageSize)) return `its page size (${String(pageSize)}) is invalid`
  const secondPage = readAt(fd, pageSize, META_SIZE)
  if (secondPage.length < META_SIZE || readMeta(secondPage).magic !== LMDB_MAGIC) return 'its second meta page is missing or damaged'
  const second = readMeta(secondPage)
  const unsupported = [first, second].find((meta) => meta.version !== LMDB_DATA_VERSION)
  if (unsupported !== undefined) return `its format version (${String(unsupported.version)}) is not supported`
  const notMeta = [firstPage, secondPage].findIndex((page) => (pageType(readPageHeader(page).flags) & PAGE_META) === 0)
  if (notMeta !== -1) return `its meta page ${String(notMeta)} is not marked as one`
  return [first, second]
}

const FIRST_META_DAMAGED = 'its first meta page (page 0) is damaged; the second one (page 1) is intact'

/** Page sizes LMDB accepts: powers of two from 512 bytes to 64 KiB. */
const PAGE_SIZES = [512, 1024, 2048, 4096, 8192, 16_384, 32_768, 65_536] as const

function isPageSize(size: number): boolean {
  return size >= 512 && size <= 65_536 && (size & (size - 1)) === 0
}

/**
 * The second meta page of a file whose first one is unreadable, found at each page size LMDB
 * accepts: an intact meta page there that names that page size. Undefined when none is.
 */
function findSecondMetaPage(fd: number): { meta: MetaRecord; pageSize: number } | undefined {
  for (const pageSize of PAGE_SIZES) {
    const meta = intactMeta(readAt(fd, pageSize, META_SIZE), pageSize)
    if (meta !== undefined) return { meta, pageSize }
  }
  return undefined
}

/** The meta record of an intact meta page (magic number, format version, page size — `pageSize` when given — and meta flag), else undefined. */
function intactMeta(page: Buffer, pageSize?: number): MetaRecord | undefined {
  if (page.length < META_SIZE) return undefined
  const meta = readMeta(page)
  const sized = pageSize === undefined ? isPageSize(meta.pageSize) : meta.pageSize === pageSize
  const flagged = (pageType(readPageHeader(page).flags) & PAGE_META) !== 0
  return meta.magic === LMDB_MAGIC && meta.version === LMDB_DATA_VERSION && sized && flagged ? meta : undefined
}

/** Which meta page of a data file is damaged while the other is intact, and the file's page size. */
export interface MetaPageDamage {
  /** The damaged meta page: 0 or 1. */
  readonly page: 0 | 1
  readonly pageSize: number
}

/**
 * Finds a data file's damaged meta page when the other one is intact (its magic number, format
 * version, page size and meta flag). LMDB reads both before anything else, and a damaged one can
 * take the process down even though the other still leads to every page: see
 * `copyWithMetaPageRebuilt`. Undefined when both are intact, both are damaged, or the file cannot be read.
 */
export function damagedMetaPage(dataFile: string): MetaPageDamage | undefined {
  return readDataFile(dataFile, (fd) => {
    const first = intactMeta(readAt(fd, 0, META_SIZE))
    if (first === undefined) {
      const second = findSecondMetaPage(fd)
      return second === undefined ? undefined : { page: 0, pageSize: second.pageSize }
    }
    return intactMeta(readAt(fd, first.pageSize, META_SIZE), first.pageSize) === undefined ? { page: 1, pageSize: first.pageSize } : undefined
  })
}

/** `read` of a data file opened for reading, and closed after; undefined when it cannot be opened. */
function readDataFile<T>(dataFile: string, read: (fd: number) => T | undefined): T | undefined {
  let fd: number
  try {
    fd = openSync(dataFile, 'r')
  } catch {
    return undefined
  }
  try {
    return read(fd)
  } finally {
    closeSync(fd)
  }
}

/** A data file shorter than its pages need: its size, and the size its newest meta page's last page needs. */
export interface CutShort {
  readonly size: number
  readonly needed: number
  /**
   * The newest meta page (0 or 1), when the other one names a snapshot (the one before the newest
   * write) whose pages all lie inside the file: that snapshot is whole, and can be read instead.
   */
  readonly newestOfTwo?: 0 | 1
  readonly pageSize: number
}

/**
 * Whether a data file is cut short (a copy that stopped, a disk that filled): undefined when its
 * meta pages cannot be read, or it holds every page the newest one names. LMDB maps the file, and
 * a read of a page past its end takes the process down with SIGBUS; see `salvageDatabase`.
 */
export function cutShort(dataFile: string): CutShort | undefined {
  return readDataFile(dataFile, (fd) => {
    const metas = readMetas(fd)
    if (typeof metas === 'string') return undefined
    const newestPage = metas[1].txnId > metas[0].txnId ? 1 : 0
    const pageSize = metas[0].pageSize
    const needed = Number((metas[newestPage].lastPage + 1n) * BigInt(pageSize))
    const size = fstatSync(fd).size
    if (size >= needed) return undefined
    const older = metas[newestPage === 1 ? 0 : 1]
    return { size, needed, pageSize, ...(older.lastPage >= 1n && Number((older.lastPage + 1n) * BigInt(pageSize)) <= size ? { newestOfTwo: newestPage } : {}) }
  })
}

function newestTxnId(fd: number): bigint | undefined {
  const metas = readMetas(fd)
  if (typeof metas === 'string') return undefined
  return metas[1].txnId > metas[0].txnId ? metas[1].txnId : metas[0].txnId
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length)
  const read = readSync(fd, buffer, 0, length, position)
  return buffer.subarray(0, read)
}
