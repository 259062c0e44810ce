import type { GitCallOptions } from './git-process.js'
import { gitRecords } from './git-process.js'
import { gitPath } from './git-paths.js'

/** The lines a commit changed or deleted, by file, as they were at its parent. */
export interface ChangedLines {
  readonly files: readonly { readonly path: string; readonly ranges: readonly (readonly [number, number])[] }[]
  /** Lines changed or deleted, over all files. */
  readonly lines: number
}

/** Limits that keep one commit's blame bounded: a commit past either is skipped as too large. */
export interface ChangeLimits {
  readonly maxFiles: number
  readonly maxLines: number
}

/** What a commit changed, or why there is nothing to blame. */
export type CommitChange = ChangedLines | 'formatting-only' | 'too-large'

/** The diff options both readings share: whitespace and blank lines ignored, no context, renames followed. */
export const CHANGE_DIFF_OPTIONS: readonly string[] = ['-w', '--ignore-blank-lines', '-U0', '--no-color', '--no-ext-diff', '--no-textconv', '-M']

const COMMIT_MARK = '\u001e'

/** The header lines of a diff that say the file is a submodule: mode 160000. */
const GITLINK_MODE = /^(?:index [0-9a-f]+\.\.[0-9a-f]+ 160000|(?:new file|deleted file|old|new) mode 160000)$/

/**
 * What each of `commits` (each with exactly one parent) changed or deleted relative to its
 * parent, ignoring whitespace and blank lines and following renames: `formatting-only` when
 * nothing is left, `too-large` past the limits. One `git log -p` reads them all, streamed: the
 * same diffs as `git diff <parent> <commit>` each, without a process per commit.
 * @throws {NodeHostError} GIT_FAILED or CANCELLED.
 */
export async function changedLinesOf(folder: string, commits: readonly string[], limits: ChangeLimits, options: GitCallOptions = {}): Promise<Map<string, CommitChange>> {
  const changes = new Map<string, CommitChange>()
  if (commits.length === 0) return changes
  const args = ['log', '--no-walk=unsorted', '--stdin', '--no-show-signature', '-p', ...CHANGE_DIFF_OPTIONS, `--format=${COMMIT_MARK}%H`]
  let commit: string | undefined
  let reader = changeReader(limits)
  for await (const line of gitRecords(folder, args, '\n', { ...options, maxBytes: Number.POSITIVE_INFINITY, input: `${commits.join('\n')}\n` })) {
    if (line.startsWith(COMMIT_MARK)) {
      if (commit !== undefined) changes.set(commit, reader.result())
      commit = line.slice(COMMIT_MARK.length).trim()
      reader = changeReader(limits)
    } else reader.read(line)
  }
  if (commit !== undefined) changes.set(commit, reader.result())
  return changes
}

/** Reads one commit's `-U0` diff a line at a time: the changed ranges at the parent, by file. */
export function changeReader(limits: ChangeLimits): { read: (line: string) => void; result: () => CommitChange } {
  const files: { path: string; ranges: [number, number][] }[] = []
  let current: { path: string; ranges: [number, number][] } | undefined
  let printed = false
  let lines = 0
  let touched = 0
  /** The file under way is a submodule (a gitlink): its "line" is a commit id, nothing to blame. */
  let gitlink = false
  const read = (line: string): void => {
    if (line.trim() !== '') printed = true
    if (line.startsWith('diff --git ')) {
      touched += 1
      current = undefined
      gitlink = false
      return
    }
    if (GITLINK_MODE.test(line)) {
      gitlink = true
      return
    }
    if (line.startsWith('--- ')) {
      // A name git quoted is read back; one that is no UTF-8 cannot be blamed, and is left out.
      const path = gitPath(line.slice(4).replace(/\t$/, ''))
      current = path === undefined || path === '/dev/null' || gitlink ? undefined : { path: path.replace(/^a\//, ''), ranges: [] }
      if (current !== undefined) files.push(current)
      return
    }
    const hunk = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@/.exec(line)
    if (hunk === null || current === undefined) return
    const start = Number(hunk[1])
    const count = hunk[2] === undefined ? 1 : Number(hunk[2])
    if (count === 0) return
    // Past the limits the commit is skipped anyway: stop keeping its ranges.
    if (lines <= limits.maxLines) current.ranges.push([start, count])
    lines += count
  }
  const result = (): CommitChange => {
    if (!printed) return 'formatting-only'
    if (touched > limits.maxFiles || lines > limits.maxLines) return 'too-large'
    return { files: files.filter((file) => file.ranges.length > 0), lines }
  }
  return { read, result }
}
