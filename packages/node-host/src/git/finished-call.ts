import { withAmends } from './amended-commits.js'
import { commandFolders } from './commit-watch.js'
import type { MadeCommit } from './read-commits.js'
import { GIT_TIMEOUT_MS, commitsBetween, describeCommit, headCommit } from './read-commits.js'

/** A shell call that ran `git commit`, seen after it finished by a host that noted nothing before it. */
export interface FinishedShellCall {
  readonly command: string
  /** The folder the command ran in. */
  readonly workdir: string
  /** The hashes git printed (`[main 1a2b3c4] …`) or the host saw; none for `git commit -q`. */
  readonly reported: readonly string[]
  /** When the call ran; with no hash reported, the commits made in this window are the call's. */
  readonly ranFrom?: Date | undefined
  readonly ranTo?: Date | undefined
}

/** What git says about a finished call's commits. */
export interface FinishedCallCommits {
  /** False when none of the folders the command may commit in is a repository any more (nothing to check against). */
  readonly checked: boolean
  /** The call's commits git confirmed: full hash and subject (and what each amended), each once, in the order reported. */
  readonly commits: readonly MadeCommit[]
}

const SLACK_MS = 1000

/** The message a `git commit` command line gives with `-m`/`--message` (its first, unquoted), if any. */
export function commitMessageOf(command: string): string | undefined {
  const commit = /(^|[\s;&|(])git(\s+-[Cc]\s+\S+)*\s+commit\b/.exec(command)
  if (commit === null) return undefined
  const rest = command.slice(commit.index + commit[0].length)
  const option = /\s(?:-[a-zA-Z]*m|--message)(?:=|\s*)("((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s;&|]+))/.exec(rest)
  if (option === null) return undefined
  return option[2]?.replace(/\\(.)/g, '$1') ?? option[3] ?? option[4]
}

/**
 * The commits a finished shell call made, confirmed by git, for a host that could not note HEAD
 * before the call (a hook per process, a history read later): each reported hash is looked up in
 * the folders the command may commit in; when none was reported (`git commit -q`), the commits
 * made there while the call ran are its commits. Each comes with the commit it replaced when
 * `git commit --amend` made it, as HEAD's reflog still says (see `amendedCommits`). Never throws.
 */
export async function commitsOfFinishedCall(call: FinishedShellCall, timeoutMs: number = GIT_TIMEOUT_MS): Promise<FinishedCallCommits> {
  const folders: string[] = []
  for (const folder of commandFolders(call.command, call.workdir)) {
    if (typeof (await headCommit(folder, timeoutMs)) === 'string') folders.push(folder)
  }
  if (folders.length === 0) return { checked: false, commits: [] }
  const found = new Map<string, { folder: string; commit: MadeCommit }>()
  for (const hash of call.reported) {
    for (const folder of folders) {
      const commit = await describeCommit(folder, hash, timeoutMs)
      if (commit !== undefined) {
        found.set(commit.hash, { folder, commit })
        break
      }
    }
  }
  if (call.reported.length === 0 && call.ranFrom !== undefined) {
    const from = new Date(call.ranFrom.getTime() - SLACK_MS)
    const to = new Date((call.ranTo ?? call.ranFrom).getTime() + SLACK_MS)
    // Other commits may fall in the window (the user's, an earlier call's): where the command gives its message, only a commit with that subject is the call's.
    const subject = commitMessageOf(call.command)?.split('\n')[0]?.trim()
    for (const folder of folders) {
      for (const commit of await commitsBetween(folder, from, to, timeoutMs)) if (subject === undefined || commit.subject === subject) found.set(commit.hash, { folder, commit })
    }
  }
  return { checked: true, commits: await withAmends([...found.values()], timeoutMs) }
}
