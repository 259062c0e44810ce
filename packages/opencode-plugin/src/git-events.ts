/** A successful bash command that made a commit or a push. */
export type GitEvent =
  | { readonly kind: 'commit'; readonly shortHash: string; readonly subject: string }
  | { readonly kind: 'push'; readonly remote?: string; readonly branch?: string }

const COMMIT = /(^|[\s;&|(])git(\s+-[Cc]\s+\S+)*\s+commit\b/
const PUSH = /(^|[\s;&|(])git(\s+-[Cc]\s+\S+)*\s+push\b/
/** `[main 1a2b3c4] subject`, `[main (root-commit) 1a2b3c4] subject`, `[detached HEAD 1a2b3c4] …`. */
const COMMIT_LINE = /^\[[^\]\n]*?\b([0-9a-f]{7,40})\] (.*)$/m

/**
 * Recognises `git commit` and `git push` in a successful bash command from its command line and
 * output. Returns the events in the order they happen (a command may commit and then push).
 */
export function gitEventsOf(command: string, output: string, exitCode: number | undefined): GitEvent[] {
  if (exitCode !== 0) return []
  const events: GitEvent[] = []
  if (COMMIT.test(command)) {
    const line = COMMIT_LINE.exec(output)
    if (line?.[1] !== undefined) events.push({ kind: 'commit', shortHash: line[1], subject: (line[2] ?? '').trim() })
  }
  if (PUSH.test(command)) {
    const words = command.slice(command.search(PUSH)).trim().split(/\s+/).slice(2).filter((word) => !word.startsWith('-'))
    const [remote, refspec] = words
    const branch = refspec?.split(':').at(-1)
    events.push({ kind: 'push', ...(remote === undefined || /[;&|]/.test(remote) ? {} : { remote }), ...(branch === undefined || /[;&|]/.test(branch) ? {} : { branch }) })
  }
  return events
}
