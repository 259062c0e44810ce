import { spawnSync } from 'node:child_process'
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, dirname, relative, resolve, sep } from 'node:path'
import type { Io } from '../io.js'

/** How a file was kept out of git. */
export type GitExclusion =
  /** No git, or the folder is no git work tree: nothing to do. */
  | { readonly kind: 'no-repository' }
  /** git ignores it already (a .gitignore, the repository's exclude file, the user's excludes). */
  | { readonly kind: 'ignored' }
  /** Added to the repository's own exclude file (`.git/info/exclude`), which is never committed. */
  | { readonly kind: 'excluded'; readonly excludeFile: string; readonly pattern: string }
  /** git tracks it already, so no ignore rule keeps it out: its changes would be committed. */
  | { readonly kind: 'tracked' }
  /** It should be excluded, but the exclude file could not be written (`reason` says why). */
  | { readonly kind: 'failed'; readonly excludeFile: string; readonly pattern: string; readonly reason: string }

const GIT_TIMEOUT_MS = 5000

/** The line `keepOutOfGit` writes above its pattern: how its lines are known again, to take them out. */
const EXCLUDE_NOTE = "# agent-tracker: Claude Code's personal settings for this project (they name this machine's paths)"

/** Runs git in `folder`: its status and output (no status and no output when git cannot be run). */
function gitIn(folder: string, env: Io['env']): (...args: string[]) => { status: number | null; stdout: string } {
  return (...args) => {
    const run = spawnSync('git', args, { cwd: folder, env: { ...env, GIT_OPTIONAL_LOCKS: '0' }, encoding: 'utf8', timeout: GIT_TIMEOUT_MS, windowsHide: true })
    // No git (the spawn failed): no status, and no output (null, whatever the types say).
    return run.error === undefined ? { status: run.status, stdout: run.stdout } : { status: null, stdout: '' }
  }
}

/**
 * Keeps `file` out of git when it lies in a git work tree that would not ignore it: adds an
 * anchored pattern for it to the repository's `info/exclude` (local to this clone; the project's
 * tracked `.gitignore` is never edited). Says what it found or did, and never throws: no git, no
 * repository or git failing is `no-repository`; an exclude file that cannot be written is `failed`.
 */
export function keepOutOfGit(file: string, env: Io['env']): GitExclusion {
  const folder = dirname(file)
  const git = gitIn(folder, env)
  if (git('rev-parse', '--is-inside-work-tree').stdout.trim() !== 'true') return { kind: 'no-repository' }
  if (git('ls-files', '--error-unmatch', '--', basename(file)).status === 0) return { kind: 'tracked' }
  const ignored = git('check-ignore', '--quiet', '--', basename(file)).status
  if (ignored === 0) return { kind: 'ignored' }
  const excludePath = git('rev-parse', '--git-path', 'info/exclude')
  const prefix = git('rev-parse', '--show-prefix')
  if (ignored !== 1 || excludePath.status !== 0 || prefix.status !== 0) return { kind: 'no-repository' }
  const excludeFile = resolve(folder, excludePath.stdout.trim())
  const pattern = `/${globEscape(`${prefix.stdout.trim()}${basename(file)}`)}`
  try {
    mkdirSync(dirname(excludeFile), { recursive: true })
    const before = existsSync(excludeFile) ? readFileSync(excludeFile, 'utf8') : ''
    const gap = before === '' || before.endsWith('\n') ? '' : '\n'
    appendFileSync(excludeFile, `${gap}${EXCLUDE_NOTE}\n${pattern}\n`)
  } catch (error) {
    return { kind: 'failed', excludeFile, pattern, reason: error instanceof Error ? error.message : String(error) }
  }
  return { kind: 'excluded', excludeFile, pattern }
}

/** A path as a gitignore pattern that matches only it: its wildcards and a trailing space escaped. */
function globEscape(path: string): string {
  return path.replace(/[*?[\]\\]/g, '\\$&').replace(/ $/, '\\ ')
}

/** What `releaseFromGit` did: took `keepOutOfGit`'s lines for the file out of `excludeFile`, or found none (or no repository). */
export type GitRelease =
  | { readonly kind: 'released'; readonly excludeFile: string; readonly pattern: string }
  | { readonly kind: 'none' }
  | { readonly kind: 'failed'; readonly excludeFile: string; readonly pattern: string; readonly reason: string }

/**
 * Undoes {@link keepOutOfGit} for `file`, once it is gone: takes the lines it added to the
 * repository's `info/exclude` (its note and the pattern under it) out again, and nothing else.
 * Never throws: no git, no repository, no such lines is `none`; an exclude file that cannot be written is `failed`.
 */
export function releaseFromGit(file: string, env: Io['env']): GitRelease {
  // Its folder may be gone with it (uninstall removes a .claude folder it left empty): git runs in the nearest one left.
  let folder = dirname(file)
  while (!existsSync(folder) && dirname(folder) !== folder) folder = dirname(folder)
  const git = gitIn(folder, env)
  const excludePath = git('rev-parse', '--git-path', 'info/exclude')
  const prefix = git('rev-parse', '--show-prefix')
  if (excludePath.status !== 0 || prefix.status !== 0) return { kind: 'none' }
  const excludeFile = resolve(folder, excludePath.stdout.trim())
  const pattern = `/${globEscape(`${prefix.stdout.trim()}${relative(folder, file).split(sep).join('/')}`)}`
  try {
    if (!existsSync(excludeFile)) return { kind: 'none' }
    const before = readFileSync(excludeFile, 'utf8')
    const ours = `${EXCLUDE_NOTE}\n${pattern}\n`
    if (!before.includes(ours)) return { kind: 'none' }
    writeFileSync(excludeFile, before.split(ours).join(''))
  } catch (error) {
    return { kind: 'failed', excludeFile, pattern, reason: error instanceof Error ? error.message : String(error) }
  }
  return { kind: 'released', excludeFile, pattern }
}
