/** A successful shell command that ran `git commit` or `git push`. */
export type GitEvent =
  /** `hashes`: the abbreviated hashes git reported (`[main 1a2b3c4] …`); none for `git commit -q`. */
  | { readonly kind: 'commit'; readonly hashes: readonly string[] }
  | { readonly kind: 'push'; readonly remote?: string; readonly branch?: string }

/** A folder a command names on its way to a commit: a `cd`/`pushd` target (which moves it) or a `git -C` target (which does not). */
export interface FolderStep {
  /** The folder as written, relative to the folder the command is in at that point. */
  readonly target: string
  /** True for `cd` and `pushd`: later steps are relative to this folder. */
  readonly moves: boolean
}

const COMMIT = /(^|[\s;&|(])git(\s+-[Cc]\s+\S+)*\s+commit\b/
const PUSH = /(^|[\s;&|(])git(\s+-[Cc]\s+\S+)*\s+push\b/
/** `[main 1a2b3c4] subject`, `[main (root-commit) 1a2b3c4] subject`, `[detached HEAD 1a2b3c4] …`. */
const COMMIT_LINE = /^\[[^\]\n]*?\b([0-9a-f]{7,40})\] (.*)$/gm

/** True when a command line runs `git commit` (also `git -C dir commit`). */
export function runsGitCommit(command: string): boolean {
  return COMMIT.test(command)
}

/**
 * Recognises `git commit` and `git push` in a successful shell command from its command line and
 * output. Returns the events in the order they happen (a command may commit and then push).
 * Whether a commit really happened is for git to say (the host kit's commit watch asks it).
 */
export function gitEventsOf(command: string, output: string, exitCode: number | undefined): GitEvent[] {
  if (exitCode !== 0) return []
  const events: GitEvent[] = []
  if (runsGitCommit(command)) events.push({ kind: 'commit', hashes: reportedCommitsOf(output).map((commit) => commit.hash) })
  if (PUSH.test(command)) {
    const words = command.slice(command.search(PUSH)).trim().split(/\s+/).slice(2).filter((word) => !word.startsWith('-'))
    const [remote, refspec] = words
    const branch = refspec?.split(':').at(-1)
    events.push({ kind: 'push', ...(remote === undefined || /[;&|]/.test(remote) ? {} : { remote }), ...(branch === undefined || /[;&|]/.test(branch) ? {} : { branch }) })
  }
  return events
}

/** The commits git reported in a command's output (`[main 1a2b3c4] subject`), in order: abbreviated hash and subject. */
export function reportedCommitsOf(output: string): { hash: string; subject: string }[] {
  return [...output.matchAll(COMMIT_LINE)].flatMap((line) => (line[1] === undefined ? [] : [{ hash: line[1], subject: (line[2] ?? '').trim() }]))
}

/**
 * The folders a command names before it may commit, in order: each `cd <dir>` / `pushd <dir>` and
 * `git -C <dir>`. Targets the command's shell would expand (`~…`, `$VAR`) or that go back (`-`)
 * are left out: only the shell knows where they lead.
 */
export function folderStepsOf(command: string): FolderStep[] {
  const steps: FolderStep[] = []
  for (const simple of command.split(/&&|\|\||[;|\n]/)) {
    const words = simple.trim().split(/\s+/).map((word) => word.replace(/^["']|["']$/g, ''))
    const moves = words[0] === 'cd' || words[0] === 'pushd'
    const target = moves ? words[1] : words[0] === 'git' && /^-[Cc]$/.test(words[1] ?? '') ? words[2] : undefined
    if (target === undefined || target === '' || target === '-' || target.startsWith('~') || target.includes('$')) continue
    steps.push({ target, moves })
  }
  return steps
}
