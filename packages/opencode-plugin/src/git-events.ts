/** A successful bash command that ran `git commit` or `git push`. */
export type GitEvent =
  /** `hashes`: the abbreviated hashes git reported (`[main 1a2b3c4] …`); none for `git commit -q`. */
  | { readonly kind: 'commit'; readonly hashes: readonly string[] }
  | { readonly kind: 'push'; readonly remote?: string; readonly branch?: string }

const COMMIT = /(^|[\s;&|(])git(\s+-[Cc]\s+\S+)*\s+commit\b/
const PUSH = /(^|[\s;&|(])git(\s+-[Cc]\s+\S+)*\s+push\b/
/** `[main 1a2b3c4] subject`, `[main (root-commit) 1a2b3c4] subject`, `[detached HEAD 1a2b3c4] …`. */
const COMMIT_LINE = /^\[[^\]\n]*?\b([0-9a-f]{7,40})\] /gm

/** True when a command line runs `git commit` (also `git -C dir commit`). */
export function runsGitCommit(command: string): boolean {
  return COMMIT.test(command)
}

/**
 * Recognises `git commit` and `git push` in a successful bash command from its command line and
 * output. Returns the events in the order they happen (a command may commit and then push).
 * Whether a commit really happened is for git to say (see CommitWatch).
 */
export function gitEventsOf(command: string, output: string, exitCode: number | undefined): GitEvent[] {
  if (exitCode !== 0) return []
  const events: GitEvent[] = []
  if (runsGitCommit(command)) events.push({ kind: 'commit', hashes: [...output.matchAll(COMMIT_LINE)].map((line) => line[1] ?? '').filter((hash) => hash !== '') })
  if (PUSH.test(command)) {
    const words = command.slice(command.search(PUSH)).trim().split(/\s+/).slice(2).filter((word) => !word.startsWith('-'))
    const [remote, refspec] = words
    const branch = refspec?.split(':').at(-1)
    events.push({ kind: 'push', ...(remote === undefined || /[;&|]/.test(remote) ? {} : { remote }), ...(branch === undefined || /[;&|]/.test(branch) ? {} : { branch }) })
  }
  return events
}
