import { realpathSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'

/** Options of {@link projectRoot}. */
export interface ProjectRootOptions {
  /** The user's home folder; default the operating system's. */
  readonly homeDir?: string | undefined
}

// Hook processes resolve once; the OpenCode plugin and the importer resolve the same few folders
// many times. Folders do not move in or out of repositories while a process runs often enough to
// matter, and a process that lives on (the plugin) resolves its own folder once at start anyway.
const resolved = new Map<string, string>()

/**
 * The project an agent working in `folder` works on: the root of the git work tree holding it (the
 * nearest folder upward with a `.git` entry — a folder, or a file as in linked worktrees and
 * submodules, so a nested repository or submodule is its own project), else the folder itself.
 * Two exceptions keep a project from swallowing what is not its own: a repository at the home
 * folder (a dotfiles repository) is the project only of work in the home folder itself, and the
 * walk never goes above the home folder; a folder that does not exist (an old session's, read by
 * an import) is taken as recorded. Only file-system stats, no git process; cached per process.
 * Never throws.
 */
export function projectRoot(folder: string, options: ProjectRootOptions = {}): string {
  const start = resolve(folder)
  const home = resolve(options.homeDir ?? homedir())
  const key = `${home}\0${start}`
  const cached = resolved.get(key)
  if (cached !== undefined) return cached
  const root = findProjectRoot(start, homesOf(home))
  resolved.set(key, root)
  return root
}

/**
 * The home folder as given and as the file system has it: hosts give their working folder as the
 * physical path (`process.cwd()`), and a home reached through a link (`/home` → `/usr/home`, NFS
 * homes) would not be met on the way up by name. Once per home and process.
 */
function homesOf(home: string): ReadonlySet<string> {
  let known = homes.get(home)
  if (known === undefined) {
    let real = home
    try {
      real = realpathSync(home)
    } catch {
      // A home that is not there: as given.
    }
    known = new Set([home, real])
    homes.set(home, known)
  }
  return known
}

const homes = new Map<string, ReadonlySet<string>>()

function findProjectRoot(start: string, home: ReadonlySet<string>): string {
  if (!isFolder(start)) return start
  for (let folder = start; ; folder = dirname(folder)) {
    if (home.has(folder)) return folder === start && holdsGit(folder) ? folder : start
    if (holdsGit(folder)) return folder
    if (dirname(folder) === folder) return start
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true
  } catch {
    return false
  }
}

/** Whether git would see a repository here: `.git` as a folder (a repository) or a file (`gitdir:` of a worktree or submodule). */
function holdsGit(folder: string): boolean {
  try {
    const entry = statSync(join(folder, '.git'), { throwIfNoEntry: false })
    return entry !== undefined && (entry.isDirectory() || entry.isFile())
  } catch {
    return false
  }
}
