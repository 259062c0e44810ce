import { execFile } from 'node:child_process'
import { resolve } from 'node:path'

/** A commit git confirmed: full hash and subject. */
export interface MadeCommit {
  readonly hash: string
  readonly subject: string
  /**
   * The folder git confirmed it in, when that is not the folder the command ran in (`cd ../other &&
   * git commit`): its repository, not the session's, is the project it belongs to.
   */
  readonly folder?: string
  /** The full hash of the commit `git commit --amend` replaced to make this one, when HEAD's reflog says so. */
  readonly amends?: string
}

/** How long one git call may take before the kit stops waiting (a host must not stall). */
export const GIT_TIMEOUT_MS = 2000

const FULL_HASH = /^[0-9a-f]{40,64}$/

/**
 * HEAD's full hash (`git rev-parse --verify HEAD^{commit}`); null when there is none (no
 * repository, no commit yet); undefined when git did not answer in time. Never throws.
 */
export async function headCommit(folder: string, timeoutMs: number = GIT_TIMEOUT_MS): Promise<string | null | undefined> {
  const answer = await runGit(folder, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], timeoutMs)
  if (answer === undefined) return undefined
  const hash = answer.stdout.trim()
  return answer.ok && FULL_HASH.test(hash) ? hash : null
}

/** The commit a ref or (abbreviated) hash names in a folder's repository, or undefined when git does not know it. Never throws. */
export async function describeCommit(folder: string, ref: string, timeoutMs: number = GIT_TIMEOUT_MS): Promise<MadeCommit | undefined> {
  const answer = await runGit(folder, ['log', '-1', '--format=%H%x1f%s', ref, '--'], timeoutMs)
  if (answer?.ok !== true) return undefined
  const [hash, subject] = answer.stdout.trim().split('\u001f')
  return hash !== undefined && FULL_HASH.test(hash) ? { hash, subject: subject ?? '' } : undefined
}

/** Where a folder's repository keeps HEAD's reflog, and HEAD then (see {@link headCommit}); undefined when git did not answer in time. */
export interface HeadLog {
  readonly head: string | null
  /** The reflog file (`git rev-parse --git-path logs/HEAD`), absolute; undefined where there is no repository. */
  readonly file: string | undefined
}

/** HEAD and the file of its reflog in a folder's repository, by one git call. Never throws. */
export async function headLog(folder: string, timeoutMs: number = GIT_TIMEOUT_MS): Promise<HeadLog | undefined> {
  const answer = await runGit(folder, ['rev-parse', '--git-path', 'logs/HEAD', '--verify', '--quiet', 'HEAD^{commit}'], timeoutMs)
  if (answer === undefined) return undefined
  const [file, hash] = answer.stdout.split('\n').map((line) => line.trim())
  // Without a commit yet, --verify fails but the path is still printed; without a repository, neither is.
  return { head: answer.ok && hash !== undefined && FULL_HASH.test(hash) ? hash : null, file: file === undefined || file === '' ? undefined : resolve(folder, file) }
}

/**
 * Whether a move of HEAD, as its reflog says why (`commit: …`, `commit (amend): …`, `commit
 * (initial): …`, `commit (merge): …`), made a commit with `git commit`: not a checkout, reset,
 * merge, pull, rebase or cherry-pick, which move HEAD to commits made elsewhere or rewrite ones
 * made already. The one rule of both kinds of host (see `commitsBetween` and `CommitWatch`).
 */
export function madeByGitCommit(move: string): boolean {
  return move.startsWith('commit')
}

/**
 * True when the moves of HEAD a reflog records to `hash` are there and none of them is a `git
 * commit` (see {@link madeByGitCommit}): git printed it like a commit, but a cherry-pick, a revert
 * or a rebase made it, a copy of a commit made before.
 */
export function copiedCommit(moves: readonly { readonly hash: string; readonly move: string }[], hash: string): boolean {
  const to = moves.filter((entry) => entry.hash === hash)
  return to.length > 0 && !to.some((entry) => madeByGitCommit(entry.move))
}

/** How many of HEAD's newest reflog entries are read: a commit made in the last thousand moves of HEAD is found. */
export const REFLOG_ENTRIES = 1000

/** One move of HEAD as its reflog records it: where HEAD went, that commit's parents, committer time (seconds) and subject, and why it moved (`commit (amend): …`, `checkout: …`). */
export interface ReflogEntry {
  readonly hash: string
  readonly parents: string
  readonly time: number
  readonly subject: string
  readonly move: string
  /** When HEAD moved (seconds), by the reflog's own clock. */
  readonly movedAt: number
}

/** HEAD's newest {@link REFLOG_ENTRIES} moves, newest first; undefined when git did not answer (no repository, no reflog). Never throws. */
export async function headReflog(folder: string, timeoutMs: number = GIT_TIMEOUT_MS): Promise<ReflogEntry[] | undefined> {
  const answer = await runGit(folder, ['log', '-g', `-n${String(REFLOG_ENTRIES)}`, '--date=unix', '--format=%H%x1f%P%x1f%ct%x1f%s%x1f%gd%x1f%gs', 'HEAD', '--'], timeoutMs)
  if (answer?.ok !== true) return undefined
  return answer.stdout.split('\n').flatMap((line): ReflogEntry[] => {
    const [hash, parents, time, subject, selector, ...move] = line.split('\u001f')
    const movedAt = Number(/\{(\d+)\}$/.exec(selector ?? '')?.[1] ?? Number.NaN)
    return hash !== undefined && FULL_HASH.test(hash) ? [{ hash, parents: parents ?? '', time: Number(time), subject: subject ?? '', move: move.join('\u001f'), movedAt }] : []
  })
}

/** A reader of a folder's HEAD reflog (see {@link headReflog}). */
export type ReflogReader = (folder: string) => Promise<ReflogEntry[] | undefined>

/**
 * A {@link ReflogReader} that reads each folder's reflog once, however often asked: what one
 * finished call made and what those commits amended come from one `git log -g` per folder.
 */
export function reflogReadOnce(timeoutMs: number = GIT_TIMEOUT_MS): ReflogReader {
  const read = new Map<string, Promise<ReflogEntry[] | undefined>>()
  return (folder) => {
    let entries = read.get(folder)
    if (entries === undefined) {
      entries = headReflog(folder, timeoutMs)
      read.set(folder, entries)
    }
    return entries
  }
}

/**
 * The commits made in a folder's repository in a time window (committer time, to the second, both
 * ends included), oldest first: those HEAD's reflog says a `git commit` made (see
 * {@link madeByGitCommit}) — also one a later `git commit --amend` replaced, which HEAD's history no
 * longer holds — and, where the reflog does not reach back to the window, those HEAD's history
 * holds. Commits of the same second are in the order the reflog says they were made (a commit
 * and its amend in one call share a second), after any that only HEAD's history holds. Empty when
 * the folder is no repository or git did not answer. Never throws.
 */
export async function commitsBetween(folder: string, from: Date, to: Date, timeoutMs: number = GIT_TIMEOUT_MS, reflogOf: ReflogReader = (at) => headReflog(at, timeoutMs)): Promise<MadeCommit[]> {
  const since = Math.floor(from.getTime() / 1000)
  const until = Math.ceil(to.getTime() / 1000)
  const reflog = await reflogOf(folder)
  // HEAD's history holds what pulls, merges and checkouts brought in as well: it is read only where
  // the reflog does not reach back to the window (a fresh clone, an expired reflog: a history
  // imported long after), so that the commits made elsewhere are not taken for the call's.
  const oldest = reflog?.at(-1)?.movedAt
  const reflogCovers = oldest !== undefined && oldest <= since
  const history = reflogCovers ? undefined : await runGit(folder, ['log', '--reverse', '--format=%H%x1f%ct%x1f%s', `--since=@${String(since)}`, `--until=@${String(until)}`, 'HEAD', '--'], timeoutMs)
  const found = new Map<string, MadeCommit & { readonly time: number }>()
  const add = (hash: string, time: number, subject: string): void => {
    if (time >= since && time <= until && !found.has(hash)) found.set(hash, { hash, subject, time })
  }
  if (history?.ok === true) {
    for (const line of history.stdout.split('\n')) {
      const [hash, time, subject] = line.split('\u001f')
      if (hash !== undefined && FULL_HASH.test(hash)) add(hash, Number(time), subject ?? '')
    }
  }
  // Oldest first, as git will not reverse a reflog; only a move a commit made (`commit: …`,
  // `commit (amend): …`) made a commit, not a checkout or reset.
  const made = new Map<string, number>()
  for (const entry of [...(reflog ?? [])].reverse()) {
    if (!madeByGitCommit(entry.move)) continue
    add(entry.hash, entry.time, entry.subject)
    if (!made.has(entry.hash)) made.set(entry.hash, made.size)
  }
  const place = (hash: string): number => made.get(hash) ?? -1
  return [...found.values()].sort((a, b) => a.time - b.time || place(a.hash) - place(b.hash)).map(({ hash, subject }) => ({ hash, subject }))
}

/** The most output of one git call that is read: 64 MiB. */
const GIT_OUTPUT_BYTES = 64 * 1024 * 1024

/** Runs git with `input` as its standard input (empty without); undefined when it timed out, `ok: false` when it failed or could not start. Never throws. */
export function runGit(cwd: string, args: readonly string[], timeoutMs: number, input?: string): Promise<{ ok: boolean; stdout: string } | undefined> {
  return new Promise((done) => {
    try {
      // Room for a thousand reflog entries of long subjects (the default 1 MiB ends the read, and git's answer is lost).
      const child = execFile('git', args, { cwd, timeout: timeoutMs, windowsHide: true, maxBuffer: GIT_OUTPUT_BYTES }, (error, stdout) => {
        done(error?.killed ? undefined : { ok: error === null, stdout })
      })
      // A git that exits before it read its input all is answered as it is.
      child.stdin?.on('error', () => undefined)
      child.stdin?.end(input)
    } catch {
      done({ ok: false, stdout: '' })
    }
  })
}
