import { execFile } from 'node:child_process'
import { resolve } from 'node:path'

/** A commit git confirmed: full hash and subject. */
export interface MadeCommit {
  readonly hash: string
  readonly subject: string
}

/** How long one git call may take before the plugin stops waiting (the host must not stall). */
export const GIT_TIMEOUT_MS = 2000
const MAX_NOTED_CALLS = 64
const MAX_FOLDERS = 4

/** The command line of a bash call, if its arguments have one. */
export function bashCommand(args: unknown): string | undefined {
  const command = (args as { command?: unknown } | null | undefined)?.command
  return typeof command === 'string' ? command : undefined
}

/** The folder a bash call runs in: its `workdir` argument (relative to the project), else the project. */
export function bashWorkdir(args: unknown, project: string): string {
  const workdir = (args as { workdir?: unknown } | null | undefined)?.workdir
  return typeof workdir === 'string' && workdir.trim() !== '' ? resolve(project, workdir) : project
}

/**
 * The folders a command may commit in: its workdir, then each `cd <dir>` / `pushd <dir>` and
 * `git -C <dir>` target in order, relative to the folder before it. At most four.
 */
export function commandFolders(command: string, workdir: string): string[] {
  const folders = [workdir]
  let current = workdir
  for (const simple of command.split(/&&|\|\||[;|\n]/)) {
    const words = simple.trim().split(/\s+/).map((word) => word.replace(/^["']|["']$/g, ''))
    const target = words[0] === 'cd' || words[0] === 'pushd' ? words[1] : words[0] === 'git' && /^-[Cc]$/.test(words[1] ?? '') ? words[2] : undefined
    if (target === undefined || target === '' || target === '-' || target.startsWith('~') || target.includes('$')) continue
    const folder = resolve(current, target)
    if (words[0] !== 'git') current = folder
    if (!folders.includes(folder)) folders.push(folder)
  }
  return folders.slice(0, MAX_FOLDERS)
}

/**
 * Tells which commits a bash call made, so a commit is recorded even when git printed nothing
 * (`git commit -q`) or made it in another repository (`cd sub && git commit`): HEAD of each
 * folder the command may commit in is noted before the call and compared after it, and the
 * hashes git reported are looked up in those folders. Only commits git confirms are returned.
 */
export class CommitWatch {
  readonly #before = new Map<string, Map<string, string | null>>()
  readonly #timeoutMs: number

  constructor(options: { readonly timeoutMs?: number } = {}) {
    this.#timeoutMs = options.timeoutMs ?? GIT_TIMEOUT_MS
  }

  /** Notes HEAD of each folder before the call runs (a folder git cannot answer for in time is skipped). Never throws. */
  async noteBefore(callID: string, command: string, workdir: string): Promise<void> {
    const folders = commandFolders(command, workdir)
    const heads = await Promise.all(folders.map((folder) => headOf(folder, this.#timeoutMs)))
    const noted = new Map<string, string | null>()
    folders.forEach((folder, index) => {
      const head = heads[index]
      if (head !== undefined) noted.set(folder, head)
    })
    this.#before.set(callID, noted)
    for (const oldest of this.#before.keys()) {
      if (this.#before.size <= MAX_NOTED_CALLS) break
      this.#before.delete(oldest)
    }
  }

  /** The commits the call made, each once, oldest report first. Never throws. */
  async commitsAfter(callID: string, command: string, workdir: string, reported: readonly string[]): Promise<MadeCommit[]> {
    const before = this.#before.get(callID)
    this.#before.delete(callID)
    const folders = commandFolders(command, workdir)
    const found = new Map<string, MadeCommit>()
    for (const hash of reported) {
      for (const folder of folders) {
        const commit = await describeCommit(folder, hash, this.#timeoutMs)
        if (commit !== undefined) {
          found.set(commit.hash, commit)
          break
        }
      }
    }
    for (const [folder, head] of before ?? []) {
      const now = await headOf(folder, this.#timeoutMs)
      if (typeof now !== 'string' || now === head || found.has(now)) continue
      const commit = await describeCommit(folder, now, this.#timeoutMs)
      if (commit !== undefined) found.set(commit.hash, commit)
    }
    return [...found.values()]
  }

  /** Drops what was noted for a call that made no commit. */
  forget(callID: string): void {
    this.#before.delete(callID)
  }
}

/** HEAD's full hash; null when there is none (no repository, no commit yet); undefined when git did not answer in time. */
function headOf(folder: string, timeoutMs: number): Promise<string | null | undefined> {
  return git(folder, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], timeoutMs).then((answer) => {
    if (answer === undefined) return undefined
    return answer.ok && /^[0-9a-f]{40,64}$/.test(answer.stdout.trim()) ? answer.stdout.trim() : null
  })
}

function describeCommit(folder: string, ref: string, timeoutMs: number): Promise<MadeCommit | undefined> {
  return git(folder, ['log', '-1', '--format=%H%x1f%s', ref, '--'], timeoutMs).then((answer) => {
    if (answer?.ok !== true) return undefined
    const [hash, subject] = answer.stdout.trim().split('\u001f')
    return hash !== undefined && /^[0-9a-f]{40,64}$/.test(hash) ? { hash, subject: subject ?? '' } : undefined
  })
}

/** Runs git; undefined when it timed out. */
function git(cwd: string, args: readonly string[], timeoutMs: number): Promise<{ ok: boolean; stdout: string } | undefined> {
  return new Promise((done) => {
    try {
      execFile('git', args, { cwd, timeout: timeoutMs, windowsHide: true }, (error, stdout) => {
        done(error?.killed ? undefined : { ok: error === null, stdout })
      })
    } catch {
      done({ ok: false, stdout: '' })
    }
  })
}
