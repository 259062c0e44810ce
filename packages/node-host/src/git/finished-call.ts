import { withAmends } from './amended-commits.js'
import { elsewhere } from './commit-folders.js'
import type { CommitNote } from './commit-watch.js'
import { commandFolders, commitsSinceNote } from './commit-watch.js'
import type { MadeCommit } from './read-commits.js'
import { gitCommitsOf } from '@agent-tracker/core/host'
import { ownCommits } from './commit-messages.js'
import { readMessageFiles } from './message-files.js'
import { GIT_TIMEOUT_MS, commitsBetween, copiedCommit, describeCommit, headCommit, reflogReadOnce } from './read-commits.js'


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
  /**
   * HEAD and its reflog's end noted before the call (see `noteCommitFolders`), by a host that
   * could: then the call's commits are the moves `git commit` added to the reflog since, whatever
   * their dates say, and the window is not read.
   */
  readonly before?: CommitNote | undefined
}

/** What git says about a finished call's commits. */
export interface FinishedCallCommits {
  /** False when none of the folders the command may commit in is a repository any more (nothing to check against). */
  readonly checked: boolean
  /** The call's commits git confirmed: full hash and subject (and what each amended), each once, in the order reported. */
  readonly commits: readonly MadeCommit[]
}

const SLACK_MS = 1000

/**
 * The commits a finished shell call made, confirmed by git, for a host that could not note HEAD
 * before the call (a hook per process, a history read later): each reported hash is looked up in
 * the folders the command may commit in; when fewer were reported than the command runs `git
 * commit` (`git commit -q`, or a printed commit and a quiet amend of it), the commits made there
 * while the call ran are its commits too — of a commit and its amends, the newest. They come
 * oldest first, each with the commit it replaced when `git commit --amend` made it, as HEAD's
 * reflog still says (see `amendedCommits`). The window is read by committer time, which a
 * command may set (`GIT_COMMITTER_DATE=…`, which dates the reflog's line too): a host that can
 * note HEAD's reflog before the call passes that note (`before`), and the moves made since are
 * read instead. Never throws.
 */
export async function commitsOfFinishedCall(call: FinishedShellCall, timeoutMs: number = GIT_TIMEOUT_MS): Promise<FinishedCallCommits> {
  const folders: string[] = []
  for (const folder of commandFolders(call.command, call.workdir)) {
    if (typeof (await headCommit(folder, timeoutMs)) === 'string') folders.push(folder)
  }
  if (folders.length === 0) return { checked: false, commits: [] }
  if (call.before !== undefined) return { checked: true, commits: await commitsSinceNote(call.before, call.command, call.workdir, call.reported, timeoutMs) }
  // HEAD's reflog, read once per folder: it tells the commits made in the window and what they amended.
  const reflogOf = reflogReadOnce(timeoutMs)
  const reported = new Map<string, { folder: string; commit: MadeCommit }>()
  // Printed like commits, but made by a cherry-pick, a revert or a rebase (as HEAD's reflog says): copies of commits made before.
  let copies = 0
  for (const hash of call.reported) {
    for (const folder of folders) {
      const commit = await describeCommit(folder, hash, timeoutMs)
      if (commit === undefined) continue
      if (copiedCommit((await reflogOf(folder)) ?? [], commit.hash)) copies += 1
      else reported.set(commit.hash, { folder, commit })
      break
    }
  }
  const commits = gitCommitsOf(call.command)
  if (call.ranFrom === undefined || call.reported.length - copies >= Math.max(1, commits.length)) return { checked: true, commits: elsewhere([...reported.values()], await withAmends([...reported.values()], timeoutMs, reflogOf), call.workdir) }
  const from = new Date(call.ranFrom.getTime() - SLACK_MS)
  const to = new Date((call.ranTo ?? call.ranFrom).getTime() + SLACK_MS)
  const made = new Map<string, { folder: string; commit: MadeCommit }>()
  for (const folder of folders) for (const commit of await commitsBetween(folder, from, to, timeoutMs, reflogOf)) made.set(commit.hash, { folder, commit })
  // Oldest first: a reported commit the window does not hold (its clock was set) before those made while the call ran.
  const found = [...[...reported.values()].filter(({ commit }) => !made.has(commit.hash)), ...made.values()]
  const candidates = elsewhere(found, await withAmends(found, timeoutMs, reflogOf), call.workdir)
  // Other commits may fall in the window (the user's, an earlier call's): see `ownCommits`.
  return { checked: true, commits: ownCommits(candidates, readMessageFiles(commits, commandFolders(call.command, call.workdir)), new Set(reported.keys())) }
}
