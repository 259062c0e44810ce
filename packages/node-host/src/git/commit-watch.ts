import { resolve } from 'node:path'
import { folderStepsOf } from '@agent-tracker/core'
import { withAmends } from './amended-commits.js'
import { elsewhere } from './commit-folders.js'
import type { MadeCommit } from './read-commits.js'
import { GIT_TIMEOUT_MS, describeCommit, headCommit } from './read-commits.js'

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

/**
 * Tells which commits a shell command made, so a commit is recorded even when git printed nothing
 * (`git commit -q`) or made it in another repository (`cd sub && git commit`): HEAD of each
 * folder the command may commit in is noted before the call and compared after it, and the
 * hashes git reported are looked up in those folders. Only commits git confirms are returned, each
 * with the commit it replaced when `git commit --amend` made it (see `amendedCommits`).
 * For hosts whose hooks run in one process; a host with a process per hook passes the hashes it
 * saw to {@link CommitWatch.commitsAfter} without a note (they are still confirmed by git).
 */
export class CommitWatch {
  readonly #before = new Map<string, Map<string, string | null>>()
  readonly #timeoutMs: number

  constructor(options: { readonly timeoutMs?: number } = {}) {
    this.#timeoutMs = options.timeoutMs ?? GIT_TIMEOUT_MS
  }

  /** Notes HEAD of each folder before the call runs (a folder git cannot answer for in time is skipped). Never throws. */
  async noteBefore(callID: string, command: string, workdir: string): Promise<void> {
    const folders = commandFolders(command, workdir)
    const heads = await Promise.all(folders.map((folder) => headCommit(folder, this.#timeoutMs)))
    const noted = new Map<string, string | null>()
    folders.forEach((folder, index) => {
      const head = heads[index]
      if (head !== undefined) noted.set(folder, head)
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
    for (const hash of reported) {
      for (const folder of folders) {
        const commit = await describeCommit(folder, hash, this.#timeoutMs)
        if (commit !== undefined) {
          found.set(commit.hash, { folder, commit })
          break
        }
      }
    }
    for (const [folder, head] of before ?? []) {
      const now = await headCommit(folder, this.#timeoutMs)
      if (typeof now !== 'string' || now === head || found.has(now)) continue
      const commit = await describeCommit(folder, now, this.#timeoutMs)
      if (commit !== undefined) found.set(commit.hash, { folder, commit })
    }
    return elsewhere([...found.values()], await withAmends([...found.values()], this.#timeoutMs), workdir)
  }

  /** Drops what was noted for a call that made no commit. */
  forget(callID: string): void {
    this.#before.delete(callID)
  }
}
