import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { resolve } from 'node:path'
import { folderStepsOf, gitCommitsOf } from '@agent-tracker/core/host'
import { withAmends } from './amended-commits.js'
import { elsewhere } from './commit-folders.js'
import type { MadeCommit } from './read-commits.js'
import { ownCommits } from './commit-messages.js'
import { readMessageFiles } from './message-files.js'
import { GIT_TIMEOUT_MS, copiedCommit, describeCommit, headLog, madeByGitCommit } from './read-commits.js'

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

/** What a {@link CommitNote} keeps of a folder: HEAD, and where its reflog ended. */
interface NotedFolder {
  readonly head: string | null
  readonly file: string | undefined
  readonly end: ReflogEnd
}

/** Where a reflog ended before a call: its size, its last line (to find the place again in a file rewritten meanwhile), and the time (seconds). */
interface ReflogEnd {
  readonly size: number
  readonly lastLine: string | undefined
  readonly at: number
}

/**
 * What {@link noteCommitFolders} noted before a shell call: HEAD and where its reflog ended in each
 * folder the call may commit in. Plain data (JSON), so a host with a process per hook can keep it
 * from the hook before the call to the one after it (see {@link CommitNotes}).
 */
export interface CommitNote {
  readonly folders: readonly (readonly [string, NotedFolder])[]
}

/** The most of a reflog's new part that is read after one call: some thousands of moves of HEAD. */
const MAX_REFLOG_READ = 1 << 20

/** Notes HEAD and its reflog's length in each folder a command may commit in, before it runs (a folder git cannot answer for in time is skipped). Never throws. */
export async function noteCommitFolders(command: string, workdir: string, timeoutMs: number = GIT_TIMEOUT_MS): Promise<CommitNote> {
  const folders = commandFolders(command, workdir)
  const logs = await Promise.all(folders.map((folder) => headLog(folder, timeoutMs)))
  return {
    folders: folders.flatMap((folder, index): [string, NotedFolder][] => {
      const log = logs[index]
      return log === undefined ? [] : [[folder, { ...log, end: reflogEnd(log.file) }]]
    }),
  }
}

/**
 * The commits a shell call made since `note` was taken before it (see {@link CommitWatch}), each
 * once, oldest report first; with no note (undefined), only the hashes reported, confirmed by git.
 * The moves HEAD's reflog gained are told by their place in the file, not by any time, so a commit
 * whose committer date was set (`GIT_COMMITTER_DATE=2020-01-01 git commit`, which dates its reflog
 * line too) is found like any. Never throws.
 */
export async function commitsSinceNote(note: CommitNote | undefined, command: string, workdir: string, reported: readonly string[], timeoutMs: number = GIT_TIMEOUT_MS): Promise<MadeCommit[]> {
  const folders = commandFolders(command, workdir)
  // The moves of HEAD the call added to each noted folder's reflog (undefined: none to read), and HEAD now.
  const moved = new Map<string, { readonly moves: readonly Move[] | undefined; readonly head: string | null; readonly noted: NotedFolder }>()
  for (const [folder, noted] of note?.folders ?? []) {
    const now = await headLog(folder, timeoutMs)
    if (now === undefined) continue
    moved.set(folder, { moves: now.file === undefined ? undefined : movesSince(now.file, now.file === noted.file ? noted.end : { size: 0, lastLine: undefined, at: 0 }), head: now.head, noted })
  }
  const found = new Map<string, { folder: string; commit: MadeCommit }>()
  const add = async (folder: string, hash: string): Promise<boolean> => {
    if (found.has(hash)) return true
    const commit = await describeCommit(folder, hash, timeoutMs)
    if (commit === undefined) return false
    // Printed like a commit, but the reflog says a cherry-pick, a revert or a rebase made it: a copy of a commit made before.
    if (copiedCommit(moved.get(folder)?.moves ?? [], commit.hash)) return true
    found.set(commit.hash, { folder, commit })
    return true
  }
  for (const hash of reported) {
    for (const folder of folders) if (await add(folder, hash)) break
  }
  // Git printed a commit for each `git commit` of the command: those are its commits. Reading the
  // reflog as well would add what other processes (the user, a call running beside this one)
  // committed meanwhile.
  const commits = gitCommitsOf(command)
  const printed = new Set(found.keys())
  if (found.size >= Math.max(1, commits.length)) return elsewhere([...found.values()], await withAmends([...found.values()], timeoutMs), workdir)
  for (const [folder, { moves, head, noted }] of moved) {
    if (moves !== undefined) {
      for (const move of moves) if (madeByGitCommit(move.move)) await add(folder, move.hash)
    } else if (typeof head === 'string' && head !== noted.head) {
      // No reflog to read (core.logAllRefUpdates off): HEAD's move stands for the commit.
      await add(folder, head)
    }
  }
  // Others may have committed while the call ran (the user, a call beside it): see `ownCommits`.
  return ownCommits(elsewhere([...found.values()], await withAmends([...found.values()], timeoutMs), workdir), readMessageFiles(commits, folders), printed)
}

/**
 * Tells which commits a shell command made, so a commit is recorded even when git printed nothing
 * (`git commit -q`) or made it in another repository (`cd sub && git commit`): the length of HEAD's
 * reflog in each folder the command may commit in is noted before the call, and the moves the call
 * added to it are read after it — those `git commit` made (see `madeByGitCommit`), not where a
 * checkout, pull, merge or rebase left HEAD, which are commits made elsewhere or rewritten. The
 * hashes git reported are looked up in those folders. Where a repository keeps no reflog, HEAD
 * before and after the call is compared instead. Only commits git confirms are returned, each with
 * the commit it replaced when `git commit --amend` made it (see `amendedCommits`).
 * For hosts whose hooks run in one process; a host with a process per hook keeps the note
 * between its hooks (see {@link CommitNotes}) and calls {@link commitsSinceNote}, or passes the
 * hashes it saw to {@link CommitWatch.commitsAfter} without a note (they are still confirmed by git).
 */
export class CommitWatch {
  readonly #before = new Map<string, CommitNote>()
  readonly #timeoutMs: number

  constructor(options: { readonly timeoutMs?: number } = {}) {
    this.#timeoutMs = options.timeoutMs ?? GIT_TIMEOUT_MS
  }

  /** Notes HEAD and its reflog's length in each folder before the call runs (see {@link noteCommitFolders}). Never throws. */
  async noteBefore(callID: string, command: string, workdir: string): Promise<void> {
    this.#before.set(callID, await noteCommitFolders(command, workdir, this.#timeoutMs))
    for (const oldest of this.#before.keys()) {
      if (this.#before.size <= MAX_NOTED_CALLS) break
      this.#before.delete(oldest)
    }
  }

  /** The commits the call made, each once, oldest report first (see {@link commitsSinceNote}). Never throws. */
  async commitsAfter(callID: string, command: string, workdir: string, reported: readonly string[]): Promise<MadeCommit[]> {
    const before = this.#before.get(callID)
    this.#before.delete(callID)
    return commitsSinceNote(before, command, workdir, reported, this.#timeoutMs)
  }

  /** Drops what was noted for a call that made no commit. */
  forget(callID: string): void {
    this.#before.delete(callID)
  }
}

/** Where a reflog ends now (see {@link ReflogEnd}); size 0 when there is none yet. Never throws. */
function reflogEnd(file: string | undefined): ReflogEnd {
  const at = Math.floor(Date.now() / 1000)
  if (file === undefined) return { size: 0, lastLine: undefined, at }
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch {
    return { size: 0, lastLine: undefined, at }
  }
  try {
    const size = fstatSync(fd).size
    const tail = Buffer.alloc(Math.min(size, TAIL_BYTES))
    readSync(fd, tail, 0, tail.length, size - tail.length)
    const lines = tail.toString('utf8').split('\n').filter((line) => line !== '')
    return { size, lastLine: lines.at(-1), at }
  } catch {
    return { size: 0, lastLine: undefined, at }
  } finally {
    closeSync(fd)
  }
}

/** The end of a reflog read to remember its last line: a line longer than this is not found again, and the moves are then told by their time. */
const TAIL_BYTES = 16 * 1024

/** A move of HEAD a reflog line records: the commit HEAD went to, and why (`commit: …`, `cherry-pick: …`). */
interface Move {
  readonly hash: string
  readonly move: string
}

/**
 * The moves of HEAD a reflog gained since `end`, oldest first; undefined when there is no reflog
 * to read. A reflog that was rewritten meanwhile (`git gc`, `git reflog expire`, a repository made
 * again) is read from its line that was last before, or, where that line is gone, from the moves
 * made since the call began (by the reflog's clock). A line is `<old> <new> <who> <time> <zone>`,
 * a tab, and why HEAD moved.
 */
function movesSince(file: string, end: ReflogEnd): Move[] | undefined {
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch {
    return undefined
  }
  try {
    const size = fstatSync(fd).size
    const read = (from: number): string[] => {
      const bytes = Buffer.alloc(size - from)
      readSync(fd, bytes, 0, bytes.length, from)
      return bytes.toString('utf8').split('\n')
    }
    // Appended to as it was (the usual case): its old last line still ends where it ended, and only what follows is read.
    if (end.lastLine !== undefined && size >= end.size) {
      const last = Buffer.from(`${end.lastLine}\n`)
      const at = end.size - last.length
      const found = Buffer.alloc(last.length)
      if (at >= 0 && readSync(fd, found, 0, found.length, at) === found.length && found.equals(last)) {
        const from = Math.max(end.size, size - MAX_REFLOG_READ)
        const lines = read(from)
        // A read that had to start further on starts mid-line: its first line is no whole move.
        if (from > end.size) lines.shift()
        return movesOf(lines)
      }
    }
    // New, or rewritten meanwhile: its tail, from the line that was last before, or the moves made since the call began.
    const from = Math.max(0, size - MAX_REFLOG_READ)
    const all = read(from)
    if (from > 0) all.shift()
    if (end.size === 0) return movesOf(all)
    const last = end.lastLine === undefined ? -1 : all.lastIndexOf(end.lastLine)
    return movesOf(last >= 0 ? all.slice(last + 1) : all.filter((line) => movedAt(line) >= end.at))
  } catch {
    return undefined
  } finally {
    closeSync(fd)
  }
}

/** The moves of reflog lines: `<old> <new> <who> <time> <zone>`, a tab, and why HEAD moved. */
function movesOf(lines: readonly string[]): Move[] {
  return lines.flatMap((line): Move[] => {
    const tab = line.indexOf('\t')
    const hash = line.split(' ', 2)[1]
    return tab > 0 && hash !== undefined ? [{ hash, move: line.slice(tab + 1) }] : []
  })
}

/** When a reflog line says HEAD moved (seconds), NaN for a line that says none. */
function movedAt(line: string): number {
  const tab = line.indexOf('\t')
  const fields = (tab < 0 ? line : line.slice(0, tab)).trimEnd().split(' ')
  return Number(fields.at(-2))
}
