import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { folderStepsOf } from '@agent-tracker/core'
import { withAmends } from './amended-commits.js'
import { elsewhere } from './commit-folders.js'
import type { MadeCommit } from './read-commits.js'
import { GIT_TIMEOUT_MS, describeCommit, headLog, madeByGitCommit } from './read-commits.js'

const MAX_NOTED_CALLS = 64
const MAX_FOLDERS = 4

/**
 * The folders a command may commit in: its workdir, then each `cd <dir>` / `pushd <dir>` and
 * `git -C <dir>` target in order, relative to the folder before it. At most four.
 */
export function commandFolders(command: string, workdir: string): string[] {
  const folders = [workdir]
  let current = workdir
  for (const step of folderStepsOf(command)) {
    const folder = resolve(current, step.target)
    if (step.moves) current = folder
    if (!folders.includes(folder)) folders.push(folder)
  }
  return folders.slice(0, MAX_FOLDERS)
}

/** What {@link CommitWatch.noteBefore} keeps of a folder: HEAD, and how long its reflog was. */
interface NotedFolder {
  readonly head: string | null
  readonly file: string | undefined
  /** The reflog's size in bytes before the call (0 when there was none yet). */
  readonly size: number
}

/** The most of a reflog's new part that is read after one call: some thousands of moves of HEAD. */
const MAX_REFLOG_READ = 1 << 20

/**
 * Tells which commits a shell command made, so a commit is recorded even when git printed nothing
 * (`git commit -q`) or made it in another repository (`cd sub && git commit`): the length of HEAD's
 * reflog in each folder the command may commit in is noted before the call, and the moves the call
 * added to it are read after it — those `git commit` made (see `madeByGitCommit`), not where a
 * checkout, pull, merge or rebase left HEAD, which are commits made elsewhere or rewritten. The
 * hashes git reported are looked up in those folders. Where a repository keeps no reflog, HEAD
 * before and after the call is compared instead. Only commits git confirms are returned, each with
 * the commit it replaced when `git commit --amend` made it (see `amendedCommits`).
 * For hosts whose hooks run in one process; a host with a process per hook passes the hashes it
 * saw to {@link CommitWatch.commitsAfter} without a note (they are still confirmed by git).
 */
export class CommitWatch {
  readonly #before = new Map<string, Map<string, NotedFolder>>()
  readonly #timeoutMs: number

  constructor(options: { readonly timeoutMs?: number } = {}) {
    this.#timeoutMs = options.timeoutMs ?? GIT_TIMEOUT_MS
  }

  /** Notes HEAD and its reflog's length in each folder before the call runs (a folder git cannot answer for in time is skipped). Never throws. */
  async noteBefore(callID: string, command: string, workdir: string): Promise<void> {
    const folders = commandFolders(command, workdir)
    const logs = await Promise.all(folders.map((folder) => headLog(folder, this.#timeoutMs)))
    const noted = new Map<string, NotedFolder>()
    folders.forEach((folder, index) => {
      const log = logs[index]
      if (log !== undefined) noted.set(folder, { ...log, size: log.file === undefined ? 0 : fileSize(log.file) })
    })
    this.#before.set(callID, noted)
    for (const oldest of this.#before.keys()) {
      if (this.#before.size <= MAX_NOTED_CALLS) break
      this.#before.delete(oldest)
    }
  }

  /** The commits the call made, each once, oldest report first. Never throws. */
  async commitsAfter(callID: string, command: string, workdir: string, reported: readonly string[]): Promise<MadeCommit[]> {
    const before = this.#before.get(callID)
    this.#before.delete(callID)
    const folders = commandFolders(command, workdir)
    const found = new Map<string, { folder: string; commit: MadeCommit }>()
    const add = async (folder: string, hash: string): Promise<boolean> => {
      if (found.has(hash)) return true
      const commit = await describeCommit(folder, hash, this.#timeoutMs)
      if (commit !== undefined) found.set(commit.hash, { folder, commit })
      return commit !== undefined
    }
    for (const hash of reported) {
      for (const folder of folders) if (await add(folder, hash)) break
    }
    for (const [folder, noted] of before ?? []) {
      const now = await headLog(folder, this.#timeoutMs)
      if (now === undefined) continue
      const made = now.file === undefined ? undefined : movedSince(now.file, now.file === noted.file ? noted.size : 0)
      if (made !== undefined) {
        for (const hash of made) await add(folder, hash)
      } else if (typeof now.head === 'string' && now.head !== noted.head) {
        // No reflog to read (core.logAllRefUpdates off): HEAD's move stands for the commit.
        await add(folder, now.head)
      }
    }
    return elsewhere([...found.values()], await withAmends([...found.values()], this.#timeoutMs), workdir)
  }

  /** Drops what was noted for a call that made no commit. */
  forget(callID: string): void {
    this.#before.delete(callID)
  }
}

/** A file's size, 0 when it is not there (yet). */
function fileSize(file: string): number {
  try {
    return statSync(file).size
  } catch {
    return 0
  }
}

/**
 * The commits `git commit` made, by the moves of HEAD a reflog gained past `offset` bytes, oldest
 * first; undefined when there is no reflog to read, or it is shorter than before (expired or
 * rewritten meanwhile: what it gained cannot be told). A line is `<old> <new> <who> <time> <zone>`,
 * a tab, and why HEAD moved.
 */
function movedSince(file: string, offset: number): string[] | undefined {
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch {
    return undefined
  }
  try {
    const size = fstatSync(fd).size
    if (size < offset) return undefined
    const from = Math.max(offset, size - MAX_REFLOG_READ)
    const bytes = Buffer.alloc(size - from)
    readSync(fd, bytes, 0, bytes.length, from)
    const lines = bytes.toString('utf8').split('\n')
    // A read that had to start mid-file starts mid-line: its first line is no whole move.
    if (from > offset) lines.shift()
    return lines.flatMap((line) => {
      const tab = line.indexOf('\t')
      const hash = line.split(' ', 2)[1]
      return tab > 0 && hash !== undefined && madeByGitCommit(line.slice(tab + 1)) ? [hash] : []
    })
  } catch {
    return undefined
  } finally {
    closeSync(fd)
  }
}
