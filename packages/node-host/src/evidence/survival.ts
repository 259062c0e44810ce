import { blameOrigins } from './blame.js'
import type { GitCallOptions } from './git-process.js'
import { BLAME_CONCURRENCY, gitRecords } from './git-process.js'
import { gitPath } from './git-paths.js'

/** What one commit added: lines, and the files (as the commit left them) they went into. */
export interface CommitAdditions {
  readonly added: number
  readonly files: readonly string[]
}

/**
 * The lines each commit added, and where, from `git log --numstat` over the given commits (one
 * git call for all). Binary files count nothing.
 * @throws {NodeHostError} GIT_FAILED or CANCELLED.
 */
export async function commitAdditions(folder: string, commits: readonly string[], options: GitCallOptions = {}): Promise<Map<string, CommitAdditions>> {
  const found = new Map<string, CommitAdditions>()
  if (commits.length === 0) return found
  // --raw beside --numstat: its lines (`:100644 160000 … A<TAB>sub`) give each path's mode.
  const args = ['log', '--no-walk=unsorted', '--stdin', '-M', '--no-textconv', '--raw', '--numstat', '--format=%x1e%H']
  for await (const record of gitRecords(folder, args, '\u001e', { ...options, input: `${commits.join('\n')}\n` })) {
    const [hash, ...lines] = record.split('\n')
    if (hash === undefined || hash.trim() === '') continue
    let added = 0
    const files: string[] = []
    const gitlinks = new Set<string>()
    for (const line of lines) {
      if (line.startsWith(':')) {
        const [modes, ...paths] = line.split('\t')
        if (modes?.split(' ')[1] === GITLINK) gitlinks.add(paths.at(-1) ?? '')
        continue
      }
      const [plus, , printed] = line.split('\t')
      if (printed === undefined || plus === undefined || plus === '-') continue
      // A submodule's "line" is a commit id; a name that is no UTF-8 cannot be blamed: neither is measured.
      const path = gitPath(renamedTo(printed))
      if (path === undefined || gitlinks.has(renamedTo(printed))) continue
      added += Number(plus)
      if (Number(plus) > 0) files.push(path)
    }
    found.set(hash.trim(), { added, files })
  }
  return found
}

/** The mode git gives a submodule's entry (a gitlink). */
const GITLINK = '160000'

/** The new path of a numstat path, which shows a rename as `old => new` or `dir/{old => new}/file`. */
function renamedTo(path: string): string {
  const braces = /^(.*)\{(.*) => (.*)\}(.*)$/.exec(path)
  if (braces !== null) return `${braces[1] ?? ''}${braces[3] ?? ''}${braces[4] ?? ''}`.replace(/\/\//g, '/')
  const arrow = path.indexOf(' => ')
  return arrow < 0 ? path : path.slice(arrow + 4)
}

/** A rename in a history: at a commit's time, `from` became `to`. */
export interface Rename {
  readonly at: string
  readonly from: string
  readonly to: string
}

/**
 * The renames between `since` and `head`, oldest first (`git log -M --diff-filter=R`).
 * @throws {NodeHostError} GIT_FAILED or CANCELLED.
 */
export async function renamesSince(folder: string, head: string, since: string, options: GitCallOptions = {}): Promise<Rename[]> {
  const renames: Rename[] = []
  const args = ['log', '--reverse', '-M', '--diff-filter=R', '--name-status', '--format=%x1e%cI', `--since=${since}`, head, '--']
  for await (const record of gitRecords(folder, args, '\u001e', options)) {
    const [at, ...lines] = record.split('\n')
    if (at === undefined || at.trim() === '') continue
    for (const line of lines) {
      const [status, printedFrom, printedTo] = line.split('\t')
      const from = printedFrom === undefined ? undefined : gitPath(printedFrom)
      const to = printedTo === undefined ? undefined : gitPath(printedTo)
      if (status?.startsWith('R') === true && from !== undefined && to !== undefined) renames.push({ at: new Date(at.trim()).toISOString(), from, to })
    }
  }
  return renames
}

/** Where a file a commit wrote at `at` is now, after the renames that followed (which are oldest first). */
export function followRenames(path: string, at: string, renames: readonly Rename[]): string {
  let current = path
  for (const rename of renames) if (rename.at >= at && rename.from === current) current = rename.to
  return current
}

/**
 * Blames each file at `head` once (ignoring whitespace, following moves within the file) and
 * counts, per file, the lines each commit wrote (what `exclude` cuts off is given to the boundary).
 * Files are blamed a few at a time.
 * @throws {NodeHostError} GIT_FAILED or CANCELLED.
 */
export async function blameFilesAt(folder: string, head: string, paths: Iterable<string>, options: GitCallOptions & { readonly exclude?: readonly string[] | undefined } = {}, onFile?: () => void): Promise<Map<string, Map<string, number>>> {
  const queue = [...paths]
  const counts = new Map<string, Map<string, number>>()
  const worker = async (): Promise<void> => {
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
      counts.set(path, await blameOrigins(folder, head, path, undefined, { ...options, copies: false }))
      onFile?.()
    }
  }
  await Promise.all(Array.from({ length: BLAME_CONCURRENCY }, worker))
  return counts
}
