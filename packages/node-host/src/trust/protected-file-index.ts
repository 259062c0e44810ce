import { spawnSync } from 'node:child_process'
import type { Dirent } from 'node:fs'
import { readdirSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join, resolve, sep } from 'node:path'
import type { ProtectedFileLookup, ProtectedFiles, StagedFile } from '@agent-tracker/core/host'
import { isProtectedFile, protectedFiles } from '@agent-tracker/core/host'

/** Options of {@link ProtectedFileIndex}. */
export interface ProtectedFileIndexOptions {
  /** How old the index may get before a look-up starts a new scan in the background; default 10 s. */
  readonly refreshMs?: number
  /** Entries a scan reads at most; past that the index knows only the folders it finished. Default 200 000. */
  readonly maxEntries?: number
  /** The clock, in milliseconds. */
  readonly now?: () => number
}

/** Folders never looked into: git's own store and installed dependencies hold no secret of the user's. */
const SKIPPED = new Set(['.git', 'node_modules'])

interface Scan {
  readonly files: readonly string[]
  /** Folders the scan did not finish (the entry budget ran out): look-ups under them cannot say. */
  readonly unfinished: readonly string[]
  readonly at: number
}

/**
 * The protected files of a project, found by one scan of its folders and refreshed in the
 * background when older than `refreshMs` — the cheap, cached look-up the tool-call guard needs to
 * tell whether a folder a command reads whole holds a protected file. Only the project is known:
 * a folder outside it, or one a scan cut short, gets undefined ("cannot say"), and the guard then
 * assumes the worst. `.git` and `node_modules` are not looked into.
 */
export class ProtectedFileIndex implements ProtectedFileLookup {
  readonly root: string
  readonly protection: ProtectedFiles
  readonly #refreshMs: number
  readonly #maxEntries: number
  readonly #now: () => number
  #scan: Scan | undefined
  #refreshing: Promise<void> | undefined
  /** Work-tree tops by working folder (see {@link ProtectedFileIndex.stagedByGit}). */
  readonly #tops = new Map<string, { readonly top: string | undefined; readonly at: number }>()

  constructor(root: string, protection: ProtectedFiles = protectedFiles(), options: ProtectedFileIndexOptions = {}) {
    this.root = resolve(root)
    this.protection = protection
    this.#refreshMs = options.refreshMs ?? 10_000
    this.#maxEntries = options.maxEntries ?? 200_000
    this.#now = options.now ?? Date.now
  }

  /** The protected files under an absolute folder (the first call scans the project); undefined outside the project or where a scan was cut short. */
  filesUnder(folder: string): readonly string[] | undefined {
    const target = resolve(folder)
    if (target !== this.root && !target.startsWith(`${this.root}${sep}`)) return undefined
    const scan = this.#scan ?? this.#scanNow()
    if (this.#now() - scan.at > this.#refreshMs) this.#refreshInBackground()
    if (scan.unfinished.some((unfinished) => target === unfinished || target.startsWith(`${unfinished}${sep}`) || unfinished.startsWith(`${target}${sep}`))) return undefined
    return target === this.root ? scan.files : scan.files.filter((file) => file.startsWith(`${target}${sep}`))
  }

  /**
   * Of these protected files (`'all'`: every one of the project), those git would stage from `cwd`
   * (see `ProtectedFileLookup.stagedByGit`): one `git status` of just those files — tracked with
   * changes, or untracked and not ignored (`??`; ignored files are not listed) — so a `git add -A`
   * in a repository that ignores `.env` passes at the cost of one short git run. Undefined when
   * git cannot say (not a repository, git not found, a run over {@link GIT_TIMEOUT_MS}); a folder
   * found to be in no repository is remembered for the index's refresh time, so such a command
   * there costs no git run each time.
   */
  stagedByGit(cwd: string, files: readonly string[] | 'all', trackedOnly: boolean): readonly StagedFile[] | undefined {
    const candidates = files === 'all' ? this.filesUnder(this.root) : files
    if (candidates === undefined) return undefined
    if (candidates.length === 0) return []
    const top = this.#workTreeTop(cwd)
    if (top === undefined) return undefined
    const listed = runGit(cwd, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames', '--', ...candidates])
    if (listed === undefined) return undefined
    const known = new Set(candidates)
    return listed.split('\0').flatMap((entry) => {
      // `XY path`, the path from the work tree's top; `??` untracked (and not ignored), else tracked with changes.
      if (entry.length < 4 || entry.startsWith('!!') || (trackedOnly && entry.startsWith('??'))) return []
      const file = resolve(top, entry.slice(3))
      return known.has(file) ? [{ file, tracked: !entry.startsWith('??') }] : []
    })
  }

  /** The top of the git work tree holding `cwd` (as `cwd` spells it, links not followed), remembered; undefined outside one. */
  #workTreeTop(cwd: string): string | undefined {
    const remembered = this.#tops.get(cwd)
    if (remembered !== undefined && (remembered.top !== undefined || this.#now() - remembered.at <= this.#refreshMs)) return remembered.top
    const up = runGit(cwd, ['rev-parse', '--show-cdup'])
    const top = up === undefined ? undefined : resolve(cwd, up.trim())
    if (this.#tops.size > 64) this.#tops.clear()
    this.#tops.set(cwd, { top, at: this.#now() })
    return top
  }

  /** Scans the project now, synchronously. */
  refresh(): void {
    this.#scanNow()
  }

  /** Starts the first scan in the background (a host calls it at start), so that the first look-up need not wait for one. */
  warmUp(): void {
    if (this.#scan === undefined) this.#refreshInBackground()
  }

  #scanNow(): Scan {
    const scan = walk(this.root, this.protection, this.#maxEntries, this.#now)
    this.#scan = scan
    return scan
  }

  /** Settles when a background scan (if any) has finished. */
  async settled(): Promise<void> {
    await this.#refreshing
  }

  #refreshInBackground(): void {
    if (this.#refreshing !== undefined) return
    this.#refreshing = walkAsync(this.root, this.protection, this.#maxEntries, this.#now)
      .then((scan) => {
        this.#scan = scan
      })
      .catch(() => undefined)
      .finally(() => {
        this.#refreshing = undefined
      })
  }
}

/** The steps of a scan: it yields each folder to read and is given the folder's entries (undefined when unreadable). */
function* scanSteps(root: string, protection: ProtectedFiles, maxEntries: number, now: () => number): Generator<string, Scan, Dirent[] | undefined> {
  const files: string[] = []
  const pending = [root]
  let entries = 0
  while (pending.length > 0 && entries < maxEntries) {
    const folder = pending.pop() ?? root
    const children = yield folder
    if (children === undefined) continue
    entries += children.length
    collect(folder, children, protection, files, pending)
  }
  return { files, unfinished: pending, at: now() }
}

function walk(root: string, protection: ProtectedFiles, maxEntries: number, now: () => number): Scan {
  const steps = scanSteps(root, protection, maxEntries, now)
  for (let step = steps.next(); ; ) {
    if (step.done === true) return step.value
    let children: Dirent[] | undefined
    try {
      children = readdirSync(step.value, { withFileTypes: true })
    } catch {
      children = undefined
    }
    step = steps.next(children)
  }
}

async function walkAsync(root: string, protection: ProtectedFiles, maxEntries: number, now: () => number): Promise<Scan> {
  const steps = scanSteps(root, protection, maxEntries, now)
  for (let step = steps.next(); ; ) {
    if (step.done === true) return step.value
    step = steps.next(await readdir(step.value, { withFileTypes: true }).catch(() => undefined))
  }
}

function collect(folder: string, children: readonly Dirent[], protection: ProtectedFiles, files: string[], pending: string[]): void {
  for (const child of children) {
    const path = join(folder, child.name)
    if (child.isDirectory()) {
      if (!SKIPPED.has(child.name)) pending.push(path)
    } else if (isProtectedFile(protection, path)) files.push(path)
  }
}

/** The variable that adds protected file patterns for every host (comma-separated), after the plugin's or CLI's own. */
export const PROTECTED_FILES_VARIABLE = 'AGENT_TRACKER_PROTECTED_FILES'

/**
 * The protected files a host guards: the defaults, then `patterns` (a host's option), then those
 * in `AGENT_TRACKER_PROTECTED_FILES` (comma-separated; `!name` un-protects).
 * @throws {TrackerError} INVALID_OPTION for a pattern that is not a non-empty string.
 */
export function resolveProtectedFiles(patterns: readonly unknown[] = [], env: Readonly<Record<string, string | undefined>> = process.env): ProtectedFiles {
  const fromEnv = (env[PROTECTED_FILES_VARIABLE] ?? '').split(',').map((pattern) => pattern.trim()).filter((pattern) => pattern !== '')
  return protectedFiles([...patterns, ...fromEnv])
}

/** How long the guard waits for git at most: a tool call waits for it. */
const GIT_TIMEOUT_MS = 3000

/** What git prints running `args` in `cwd`, without taking the index lock (`GIT_OPTIONAL_LOCKS=0`); undefined when it fails. */
function runGit(cwd: string, args: readonly string[]): string | undefined {
  const result = spawnSync('git', ['-C', cwd, ...args], { encoding: 'utf8', timeout: GIT_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' }, maxBuffer: 16 * 1024 * 1024 })
  return result.status === 0 ? result.stdout : undefined
}
