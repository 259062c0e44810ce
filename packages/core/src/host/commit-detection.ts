import type { ShellRedirect, ShellWord } from './shell/parse-shell.js'
import { parseShell } from './shell/parse-shell.js'
import { gitArguments, gitCommand } from './git-command.js'
import type { RunCommand } from './shell/commands-run.js'
import { commandsRun } from './shell/commands-run.js'
/** A shell command that ran `git commit`, or a successful one that ran `git push`. */
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

/** `git`, its options before the subcommand (`-C dir`, `-c key=value`, `--no-pager`, `--git-dir=…`), then `commit`. */
const COMMIT = /(^|[\s;&|(])git(\s+-[Cc]\s+\S+|\s+--[a-z][a-z-]*(=\S+)?)*\s+commit\b/
/** `[main 1a2b3c4] subject`, `[main (root-commit) 1a2b3c4] subject`, `[detached HEAD 1a2b3c4] …`. */
const COMMIT_LINE = /^\[[^\]\n]*?\b([0-9a-f]{7,40})\] (.*)$/gm
/** What git prints when a push failed; a pipe (`git push 2>&1 | tail`) hides its exit code, not this. */
const PUSH_FAILED = /^(?:fatal: |error: failed to push)|\[(?:remote )?rejected\]/m

/** True when a command line runs `git commit` (also `git -C dir commit`, `/usr/bin/git -c user.name='A B' commit`). */
export function runsGitCommit(command: string): boolean {
  return COMMIT.test(command) || gitCommitsOf(command).length > 0
}

/**
 * What one `git commit` of a command line gives as its message: `subject`, the subject git will
 * record (`%s`: the first paragraph of the message, its lines joined by spaces), when the command
 * line spells it out — by the first `-m`/`--message`, or by a here-document or here-string fed to
 * `-F -`; `given` says whether it gave one so (`-m`, `-F -` from a here-document), so that a
 * subject left undefined is either one the shell builds (`-m "$MSG"`, a `$(cat <<EOF …)` heredoc)
 * or none given (`--no-edit`, `-C <commit>`, a file: it comes from elsewhere).
 */
export interface GitCommitMessage {
  readonly subject: string | undefined
  readonly given: boolean
  /**
   * Set when the message comes from a file (`-F <file>`, `--file=<file>`, `-F -` fed by a pipe):
   * `path` as written, relative to the folder git runs in, for a host to read the message from
   * (see node-host's commit watch); undefined when only the shell knows it (`-F "$F"`, stdin).
   */
  readonly file?: { readonly path: string | undefined }
}

/**
 * The `git commit`s a command line runs, in order (in `&&` lists, pipelines, subshells and
 * `$(…)`, `sh -c` and `eval`), each with the message it gives (see {@link GitCommitMessage}). git
 * is found by its name whatever its folder (`/usr/bin/git`) and the wrappers around it
 * (`env GIT_COMMITTER_DATE=… git`, `nohup`, `timeout 60`), after its own options (`-C dir`,
 * `-c name=value`, `-P`, `--no-pager`, `--git-dir .git`).
 */
export function gitCommitsOf(command: string): GitCommitMessage[] {
  if (!command.includes('commit')) return []
  const found: GitCommitMessage[] = []
  for (const run of programsRun(command)) {
    if (run.name !== 'git') continue
    const git = gitArguments(run.args)
    if (git.subcommand !== 'commit') continue
    found.push(commitMessageOf(git.args, run.source.redirects))
  }
  return found
}

/** The programs a command line runs, wrappers taken off (see `commandsRun`); for one nested too deep to read to the end, its simple commands as they stand. */
function programsRun(command: string): readonly Pick<RunCommand, 'name' | 'args' | 'source'>[] {
  try {
    return commandsRun(command)
  } catch {
    return parseShell(command).commands.map((source) => ({ name: (source.words[0]?.text ?? '').replace(/^.*\//, ''), args: source.words.slice(1), source }))
  }
}

/**
 * The message `git commit`'s arguments give: the first `-m`/`--message` (also `-am <msg>`,
 * `-mmsg`, `--message=msg`; short options that take no value may come before the `m`) or
 * `-F`/`--file` (`-F <file>`, `-Ffile`, `--file=<file>`, `-F -` with the command's standard input).
 */
function commitMessageOf(args: readonly ShellWord[], redirects: readonly ShellRedirect[]): GitCommitMessage {
  for (let index = 0; index < args.length; index++) {
    const word = args[index]
    if (word === undefined || word.text === '--') break
    const message = optionValue(args, index, 'm', '--message')
    if (message !== undefined) {
      if (message.dynamic) return { subject: undefined, given: true }
      return { subject: commitSubject(message.text), given: true }
    }
    const file = optionValue(args, index, 'F', '--file')
    if (file === undefined) continue
    if (file.text === '-' && !file.dynamic) {
      const stdin = standardInput(redirects)
      return stdin === undefined ? { subject: undefined, given: false, file: { path: undefined } } : { subject: commitSubject(stdin), given: true }
    }
    return { subject: undefined, given: false, file: { path: file.dynamic ? undefined : file.text } }
  }
  return { subject: undefined, given: false }
}

/** The value `args[index]` gives a `git commit` option: `-<letter> v`, `-<letter>v`, `<long> v`, `<long>=v`, after letters of options that take no value (`-am v`). */
function optionValue(args: readonly ShellWord[], index: number, letter: string, long: string): { readonly text: string; readonly dynamic: boolean } | undefined {
  const word = args[index]
  if (word === undefined) return undefined
  const text = word.text
  if (text === long || new RegExp(`^-[aqvsnepoiz]*${letter}$`).test(text)) {
    const next = args[index + 1]
    return next === undefined ? undefined : { text: next.text, dynamic: next.dynamic }
  }
  if (text.startsWith(`${long}=`)) return { text: text.slice(long.length + 1), dynamic: word.dynamic }
  if (new RegExp(`^-[aqvsnepoiz]*${letter}.`).test(text)) return { text: text.slice(text.indexOf(letter) + 1), dynamic: word.dynamic }
  return undefined
}

/**
 * What a command's own redirections put on its standard input, when the command line spells it
 * out: a here-document the shell does not expand (its delimiter quoted, or nothing in it to
 * expand) or a here-string of a fixed word (with the line end the shell adds); undefined otherwise
 * (a pipe, a file, an expansion).
 */
function standardInput(redirects: readonly ShellRedirect[]): string | undefined {
  const input = redirects.findLast((redirect) => redirect.op === '<' || redirect.op === '<<' || redirect.op === '<<-' || redirect.op === '<<<')
  if (input?.target === undefined) return undefined
  if (input.op === '<<<') return input.target.dynamic ? undefined : `${input.target.text}\n`
  if (input.op === '<') return undefined
  const body = input.body ?? ''
  const quoted = input.target.raw !== input.target.text
  return quoted || !/[$`\\]/.test(body) ? body : undefined
}

/** The subject git records of a message (`%s`): its first paragraph, blank lines before it skipped, lines joined by spaces. */
export function commitSubject(message: string): string {
  const lines = message.split('\n').map((line) => line.trim())
  const start = lines.findIndex((line) => line !== '')
  if (start === -1) return ''
  const end = lines.indexOf('', start)
  return lines.slice(start, end === -1 ? undefined : end).join(' ')
}

/**
 * Recognises `git commit` and `git push` in a shell command from its command line and output.
 * Returns the events in the order they happen (a command may commit and then push).
 * - A commit: when the command runs `git commit`, whatever its exit code — `git commit -m x && npm
 *   test` made its commit however the tests went. Whether a commit really happened is for git to
 *   say: the host kit's commit watch asks it (a `git commit` that failed made none).
 * - A push: when the command succeeded and runs `git push` as a command of its own — not a word of
 *   an `echo` or a quoted text, not `--dry-run` —, and git printed no failure (a pipe's exit code
 *   is its last command's).
 */
export function gitEventsOf(command: string, output: string, exitCode: number | undefined): GitEvent[] {
  const events: GitEvent[] = []
  const reported = reportedCommitsOf(output)
  if (runsGitCommit(command)) events.push({ kind: 'commit', hashes: reported.map((commit) => commit.hash) })
  const push = exitCode === 0 && !PUSH_FAILED.test(output) ? pushOf(command, output) : undefined
  if (push !== undefined) events.push(push)
  return events
}

/**
 * The push a command line runs: the first simple command (split at `;`, `&&`, `||`, `|`,
 * parentheses and line ends, quoted text left out) whose words, after `VAR=value` assignments, are
 * `git`, its options (`-C dir`, `-c key=value`, `--no-pager`, …), then `push` — with its remote
 * and branch; undefined for none or a dry run. The command line's success says the push went through only when nothing
 * but `&&` follows it (`git push || true`, `git push; echo done`, `git push 2>&1 | tail` succeed
 * whatever the push did): else git's own report of a push must be in the output.
 */
function pushOf(command: string, output: string): GitEvent | undefined {
  const parts = command.replace(QUOTED, ' ').split(/(&&|\|\||[;|()\n])/)
  for (let index = 0; index < parts.length; index += 2) {
    const words = (parts[index] ?? '').trim().split(/\s+/).filter((word) => word !== '')
    let at = 0
    while (at < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[at] ?? '')) at += 1
    if (words[at] !== 'git') continue
    at += 1
    // git's own options before the subcommand: `-C dir`, `-c key=value`, `--no-pager`, `--git-dir=…`.
    for (;;) {
      if (/^-[Cc]$/.test(words[at] ?? '')) at += 2
      else if (/^--[a-z][a-z-]*(=\S+)?$/.test(words[at] ?? '')) at += 1
      else break
    }
    if (words[at] !== 'push') continue
    const args = words.slice(at + 1)
    if (args.some((word) => word === '--dry-run' || /^-[a-zA-Z]*n[a-zA-Z]*$/.test(word))) return undefined
    // What follows it: separators at even places, commands at odd ones.
    const rest = parts.slice(index + 1)
    const more = rest.some((part, at) => at % 2 === 1 && part.trim() !== '')
    const onlyAnd = rest.every((part, at) => at % 2 === 1 || part === '&&' || part === ')')
    if (more && !onlyAnd && !PUSHED.test(output)) return undefined
    const [remote, refspec] = args.filter((word) => !word.startsWith('-'))
    const branch = refspec?.split(':').at(-1)
    return { kind: 'push', ...(remote === undefined ? {} : { remote }), ...(branch === undefined || branch === '' ? {} : { branch }) }
  }
  return undefined
}

/** What git prints for a push that reached the remote: `To <remote>` (then the refs it updated), or that all was up to date. */
const PUSHED = /^To \S|^Everything up-to-date$/m

/** Quoted text of a command line: `'…'` and `"…"` (escaped quotes inside double quotes kept in). */
const QUOTED = /'[^']*'|"(?:[^"\\]|\\.)*"/g

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
  const add = (word: ShellWord | undefined, moves: boolean): void => {
    if (word === undefined || word.dynamic) return
    const target = word.text
    if (target === '' || target === '-' || /^[+-]\d+$/.test(target) || word.raw.startsWith('~')) return
    steps.push({ target, moves })
  }
  for (const run of parseShell(command).commands) {
    const words = run.words
    const name = words[0]?.text
    if (name === 'cd' || name === 'pushd') {
      // `cd -P dir`, `cd -- dir`: the folder is the first word that is no option.
      // Inside `$(…)` or a subshell a `cd` moves that shell only: its folder is watched, the folders after it stay where they were.
      add(words.slice(1).find((word, index, rest) => !word.text.startsWith('-') || (index > 0 && rest[index - 1]?.text === '--')), run.depth === 0)
      continue
    }
    // Each of git's -C options names a folder, relative to the one before.
    for (const folder of gitCommand(words)?.folders ?? []) add(folder, false)
  }
  return steps
}

