import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join, resolve } from 'node:path'
import type { GitCallOptions } from './git-process.js'
import { gitOutput } from './git-process.js'

/** A commit graph written for one scan: the options that make git read it, and its removal. */
export interface CommitGraphCache {
  /** `options` with the environment that points git at the graph. */
  readonly options: GitCallOptions
  /** Deletes the graph. */
  readonly remove: () => void
}

/**
 * Writes a commit graph with changed-path filters for `head`'s history into a temporary object
 * directory that borrows the repository's objects as an alternate — a cache git's blame and
 * path-limited walks read instead of opening every commit and tree, while the repository itself
 * is not written to. Git answers the same with or without it. When git cannot write one (too old
 * a git, a shallow clone), the scan goes on without: the options are returned unchanged.
 * @throws {NodeHostError} CANCELLED.
 */
export async function temporaryCommitGraph(folder: string, head: string, options: GitCallOptions = {}): Promise<CommitGraphCache> {
  const directory = mkdtempSync(join(tmpdir(), 'agent-tracker-graph-'))
  const remove = (): void => {
    // A leftover in the temporary folder must not hide the scan's own outcome.
    try {
      rmSync(directory, { recursive: true, force: true, maxRetries: 3 })
    } catch {
      // The system's temporary folder is cleaned in time.
    }
  }
  try {
    const objects = resolve(folder, (await gitOutput(folder, ['rev-parse', '--git-path', 'objects'], options)).trim())
    mkdirSync(join(directory, 'info'))
    const alternates = [quoted(objects), ...(process.env.GIT_ALTERNATE_OBJECT_DIRECTORIES ?? '').split(delimiter).filter((path) => path !== '')]
    const env = { ...options.env, GIT_OBJECT_DIRECTORY: directory, GIT_ALTERNATE_OBJECT_DIRECTORIES: alternates.join(delimiter) }
    await gitOutput(folder, ['commit-graph', 'write', '--stdin-commits', '--changed-paths', '--no-progress'], { ...options, env, input: `${head}\n` })
    // A shallow clone (or grafts, or replace refs): git writes nothing and says nothing.
    if (!existsSync(join(directory, 'info', 'commit-graph'))) throw new Error('no commit graph written')
    return { options: { ...options, env }, remove }
  } catch (error) {
    remove()
    if ((error as { code?: string }).code === 'CANCELLED') throw error
    return { options, remove: () => undefined }
  }
}

/** An alternates entry as git reads it: C-quoted when the path holds the separator or starts with a quote. */
function quoted(path: string): string {
  return path.includes(delimiter) || path.startsWith('"') ? `"${path.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : path
}
