import { existsSync } from 'node:fs'
import type { Fact } from '@agent-tracker/core'
import { gitEventsOf, hostCommitFact, hostPushFact, reportedCommitsOf } from '@agent-tracker/core'
import type { CommitNote } from '@agent-tracker/node-host/hooks'
import { commitsOfFinishedCall } from '@agent-tracker/node-host/hooks'
import { projectRoot } from '@agent-tracker/node-host/project-root'
import type { HistoryToolCall } from '../history-events.js'

/**
 * The commits and pushes a shell call from a host's history made, read as live tracking reads them
 * (command and output) and checked against the project's git history where its folder still is a
 * repository: there only commits git knows count, with git's full hash and subject, and a commit
 * made by `git commit --amend` names the commit it replaced while HEAD's reflog still records the
 * amend (then it takes that commit's place). Where the folder is gone, the commits the output
 * reported count as they were printed, each a commit of its own: the output alone cannot say
 * what an amend replaced. A live hook that noted HEAD's reflog before the call passes that note
 * (`before`, see `noteCommitFolders`): the call's commits are then the moves made since, whatever
 * their committer dates say.
 */
export async function shellFacts(call: HistoryToolCall, before?: CommitNote): Promise<Fact[]> {
  const { shell } = call
  if (shell === undefined) return []
  const facts: Fact[] = []
  for (const event of gitEventsOf(shell.command, shell.output, call.exitCode ?? (call.ok ? 0 : 1))) {
    if (event.kind === 'push') {
      facts.push(hostPushFact(call.context, call.callId, event))
      continue
    }
    const printed = reportedCommitsOf(shell.output)
    const reported = [...new Set([...event.hashes, ...shell.reportedHashes])]
    const checked = existsSync(shell.workdir)
      ? await commitsOfFinishedCall({ command: shell.command, workdir: shell.workdir, reported, ranFrom: new Date(shell.startedAt ?? call.context.at), ranTo: new Date(call.context.at), before })
      : { checked: false, commits: [] }
    // A commit git confirmed belongs to the project of the repository it was made in (`cd ../other && git commit`, a
    // call whose workdir is another repository), as the OpenCode plugin records it; one it could not check, to the session's.
    const commits = checked.checked
      ? checked.commits.map((commit) => ({ hash: commit.hash, message: commit.subject, amends: commit.amends, project: projectRoot(commit.folder ?? shell.workdir) }))
      : reported.map((hash) => ({ hash, message: printed.find((line) => line.hash === hash)?.subject ?? '', project: call.context.project }))
    for (const { project, ...commit } of commits) facts.push(hostCommitFact({ ...call.context, project }, call.callId, commit))
  }
  return facts
}
