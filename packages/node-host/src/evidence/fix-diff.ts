import type { GitCallOptions } from './git-process.js'
import { gitOutput } from './git-process.js'

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

/**
 * What `commit` changed or deleted relative to `parent`, ignoring whitespace and blank lines and
 * following renames: `formatting-only` when nothing is left, `too-large` past the limits.
 * @throws {NodeHostError} GIT_FAILED or CANCELLED.
 */
export async function changedLines(folder: string, parent: string, commit: string, limits: ChangeLimits, options: GitCallOptions = {}): Promise<ChangedLines | 'formatting-only' | 'too-large'> {
  const text = await gitOutput(folder, ['diff', '-w', '--ignore-blank-lines', '-U0', '--no-color', '--no-ext-diff', '-M', parent, commit, '--'], options)
  if (text.trim() === '') return 'formatting-only'
  const files: { path: string; ranges: [number, number][] }[] = []
  let current: { path: string; ranges: [number, number][] } | undefined
  let lines = 0
  let touched = 0
  for (const line of text.split('\n')) {
    if (line.startsWith('diff --git ')) {
      touched += 1
      current = undefined
      continue
    }
    if (line.startsWith('--- ')) {
      const path = line.slice(4).replace(/\t$/, '')
      current = path === '/dev/null' ? undefined : { path: path.replace(/^a\//, ''), ranges: [] }
      if (current !== undefined) files.push(current)
      continue
    }
    const hunk = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@/.exec(line)
    if (hunk === null || current === undefined) continue
    const start = Number(hunk[1])
    const count = hunk[2] === undefined ? 1 : Number(hunk[2])
    if (count === 0) continue
    current.ranges.push([start, count])
    lines += count
  }
  if (touched > limits.maxFiles || lines > limits.maxLines) return 'too-large'
  return { files: files.filter((file) => file.ranges.length > 0), lines }
}
