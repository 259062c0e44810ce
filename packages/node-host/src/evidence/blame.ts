import type { GitCallOptions } from './git-process.js'
import { gitOutput } from './git-process.js'

const HEADER = /^([0-9a-f]{40,64}) \d+ \d+(?: \d+)?$/

/**
 * Blames lines of a file at a commit, ignoring whitespace and following moved and copied lines
 * (`git blame -w -M -C`): how many of them each origin commit wrote. Without ranges, the whole file.
 * With `exclude`, the blame stops at those commits' history and gives what it would find there to
 * the boundary commit instead.
 * @throws {NodeHostError} GIT_FAILED or CANCELLED.
 */
export async function blameOrigins(folder: string, commit: string, path: string, ranges: readonly (readonly [number, number])[] | undefined, options: GitCallOptions & { readonly copies?: boolean; readonly exclude?: readonly string[] | undefined } = {}): Promise<Map<string, number>> {
  const lineRanges = (ranges ?? []).flatMap(([start, count]) => ['-L', `${String(start)},+${String(count)}`])
  const moves = options.copies === false ? ['-M'] : ['-M', '-C']
  const text = await gitOutput(folder, ['blame', '-w', '--no-textconv', ...moves, '--porcelain', ...lineRanges, commit, ...(options.exclude ?? []).map((hash) => `^${hash}`), '--', path], options)
  const origins = new Map<string, number>()
  for (const line of text.split('\n')) {
    const match = HEADER.exec(line)
    if (match?.[1] !== undefined) origins.set(match[1], (origins.get(match[1]) ?? 0) + 1)
  }
  return origins
}
