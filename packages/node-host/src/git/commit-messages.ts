// Which of the commits found while a shell call ran are the call's own, by what its `git commit`s
// say: how many there are, and the subject each message gives.
import type { MadeCommit } from './read-commits.js'
import type { ReadCommitMessage } from './message-files.js'

/**
 * The call's own commits among `candidates` (oldest first, each with what it amended), found in the
 * time the call ran: other commits may be there too (the user's, a call running beside it). Where
 * every `git commit` of the command spells out its message or takes it from a file, a candidate
 * is the call's when git printed it (`reported`), when its subject is one of those messages'
 * (a file's as the host read it, see `readMessageFiles`), or when it amends one of the call's
 * (`--amend --no-edit`). A `git commit -F` whose file gives no subject a candidate has (the file
 * was removed, a pipe fed it) takes the newest candidate not taken so: a `git commit` makes one
 * commit, and the call's is the last made while it ran unless someone committed after it. A
 * message the shell builds (`-m "$MSG"`, a heredoc) could be any subject, and none given
 * (`--no-edit` alone) says nothing: then every candidate is. Of a commit and the amends of it the
 * call made, the newest stands (it names the one it replaced).
 */
export function ownCommits<T extends MadeCommit>(candidates: readonly T[], commits: readonly ReadCommitMessage[], reported: ReadonlySet<string>): T[] {
  const built = commits.some((commit) => commit.given && commit.subject === undefined)
  // Compared with their blanks collapsed: git keeps a message's leading blanks in its subject, and joins a first paragraph's lines.
  const same = (subject: string): string => subject.replace(/\s+/g, ' ').trim()
  const fromFiles = commits.filter((commit) => commit.file !== undefined)
  const subjects = new Set(commits.flatMap((commit) => [...(commit.subject === undefined ? [] : [commit.subject]), ...(commit.fileSubjects ?? [])].map(same)))
  const filtered = !built && (subjects.size > 0 || fromFiles.length > 0)
  const taken = new Set<string>()
  for (const commit of candidates) {
    if (!filtered || reported.has(commit.hash) || subjects.has(same(commit.subject)) || (commit.amends !== undefined && taken.has(commit.amends))) taken.add(commit.hash)
  }
  if (filtered) {
    // The file commits whose message was not found among the candidates: each the newest of those left (and what amended it, which is newer still).
    const candidateSubjects = new Set(candidates.map((commit) => same(commit.subject)))
    let unread = fromFiles.filter((commit) => !(commit.fileSubjects ?? []).some((subject) => candidateSubjects.has(same(subject)))).length
    for (let index = candidates.length - 1; index >= 0 && unread > 0; index--) {
      const commit = candidates[index]
      if (commit === undefined || taken.has(commit.hash)) continue
      taken.add(commit.hash)
      unread -= 1
    }
  }
  // A commit that another of them amended is that one's: the newest of a chain is the call's commit and names the one before
  // it, so a commit the database holds replaced already (an earlier call's, found in the window) cannot come back.
  const amended = new Set(candidates.flatMap((commit) => (commit.amends !== undefined && taken.has(commit.hash) ? [commit.amends] : [])))
  return candidates.filter((commit) => taken.has(commit.hash) && !amended.has(commit.hash))
}
