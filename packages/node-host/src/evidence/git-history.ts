import type { GitCallOptions } from './git-process.js'
import { gitOutput, gitRecords } from './git-process.js'

/** One commit of a history, as `git log` gives it. */
export interface GitCommit {
  readonly hash: string
  readonly parents: readonly string[]
  /** Committer time, ISO 8601 UTC. */
  readonly at: string
  readonly author: string
  readonly subject: string
  readonly message: string
}

const FIELD = '\u001f'
const RECORD = '\u001e'

/**
 * The commits of a revision range (e.g. `HEAD`, `<last scanned>..HEAD`), oldest first, streamed.
 * @throws {NodeHostError} GIT_FAILED or CANCELLED.
 */
export async function* readHistory(folder: string, range: string, options: GitCallOptions = {}): AsyncGenerator<GitCommit> {
  const format = ['%H', '%P', '%cI', '%ae', '%s', '%B'].join('%x1f') + '%x1e'
  for await (const record of gitRecords(folder, ['log', '--reverse', '--topo-order', `--format=${format}`, range, '--'], RECORD, options)) {
    const [hash, parents, at, author, subject, message] = record.replace(/^\n/, '').split(FIELD)
    if (hash === undefined || hash === '') continue
    yield {
      hash,
      parents: (parents ?? '').split(' ').filter((parent) => parent !== ''),
      at: new Date(at ?? '').toISOString(),
      author: author ?? '',
      subject: subject ?? '',
      message: message ?? '',
    }
  }
}

/** A repository's HEAD: its full hash, and whether the clone is shallow (its history cut off). */
export interface GitHead {
  readonly commit: string
  readonly shallow: boolean
}

/** HEAD, or undefined when the folder has no repository or no commit (one git call). Never throws but CANCELLED. */
export async function readHead(folder: string, options: GitCallOptions = {}): Promise<GitHead | undefined> {
  try {
    const [shallow, commit] = (await gitOutput(folder, ['rev-parse', '--is-shallow-repository', '--verify', '--quiet', 'HEAD^{commit}'], options)).split('\n')
    return commit === undefined || commit.trim() === '' ? undefined : { commit: commit.trim(), shallow: shallow?.trim() === 'true' }
  } catch (error) {
    if ((error as { code?: string }).code === 'CANCELLED') throw error
    return undefined
  }
}

/** True when `ancestor` is reachable from `descendant` (both known commits). */
export async function isAncestor(folder: string, ancestor: string, descendant: string, options: GitCallOptions = {}): Promise<boolean> {
  try {
    await gitOutput(folder, ['merge-base', '--is-ancestor', ancestor, descendant], options)
    return true
  } catch (error) {
    if ((error as { code?: string }).code === 'CANCELLED') throw error
    return false
  }
}

/**
 * True when a commit is still in the repository's history: some branch, tag or remote-tracking
 * branch has it. A commit that a rebase or a reset left behind has none (only the reflog keeps it);
 * one on another branch than HEAD's keeps that branch.
 */
export async function onSomeRef(folder: string, commit: string, options: GitCallOptions = {}): Promise<boolean> {
  try {
    return (await gitOutput(folder, ['for-each-ref', '--count=1', '--format=%(refname)', '--contains', commit, 'refs/heads', 'refs/tags', 'refs/remotes'], options)).trim() !== ''
  } catch (error) {
    if ((error as { code?: string }).code === 'CANCELLED') throw error
    // A commit the repository no longer has (collected as garbage) is on no ref.
    return false
  }
}

/** Every file path at a commit (files and links; not submodules). */
export async function filesAt(folder: string, commit: string, options: GitCallOptions = {}): Promise<Set<string>> {
  const files = new Set<string>()
  // `<mode> <type> <object>\t<path>`: files only, not submodules (`commit` entries), which blame cannot read.
  for await (const entry of gitRecords(folder, ['ls-tree', '-r', '-z', commit], '\u0000', options)) {
    const tab = entry.indexOf('\t')
    if (tab > 0 && entry.slice(0, tab).split(' ')[1] === 'blob') files.add(entry.slice(tab + 1))
  }
  return files
}
