import { baseName } from './paths.js'
import type { ProtectedFiles } from './protected-files.js'
import { DEFAULT_PROTECTION, isProtectedFile, protectedNameMatching } from './protected-files.js'
import { bashAccess } from './bash-reads.js'
import type { TreeRead } from './tree-reads.js'
import { rgGlob } from './tree-reads.js'
import { treeHit } from './tree-hit.js'

/** Where the protected files are: the host's cheap, cached view of the project (see the Node kit's `ProtectedFileIndex`). */
export interface ProtectedFileLookup {
  /** The protected files under an absolute folder, as absolute paths; undefined when it cannot say (outside the project). */
  filesUnder(folder: string): readonly string[] | undefined
  /**
   * Of these protected files (absolute; `'all'`: every one the project holds), those git would
   * stage from the working folder `cwd`: tracked with changes (`tracked`), and — unless
   * `trackedOnly` — untracked and not ignored. Undefined when it cannot say (no git, not a
   * repository). Asked only for a `git add` or `git commit` of whole folders (see
   * `gitStageAccess`): it may run git.
   */
  stagedByGit?(cwd: string, files: readonly string[] | 'all', trackedOnly: boolean): readonly StagedFile[] | undefined
}

/** A protected file git would stage (see `ProtectedFileLookup.stagedByGit`). */
export interface StagedFile {
  /** Its absolute path. */
  readonly file: string
  /** Git tracks it (its changes would be staged); else it is untracked and not ignored. */
  readonly tracked: boolean
}

/** What the secret guard knows besides the tool call. */
export interface SecretGuardContext {
  /** Which files are protected; default `.env` and `.env.*` but the templates. */
  readonly protection?: ProtectedFiles | undefined
  /** The absolute folder relative paths start from (a bash call's working folder). */
  readonly cwd?: string | undefined
  /** Which protected files a folder holds. Without it every folder is taken to hold some. */
  readonly lookup?: ProtectedFileLookup | undefined
}

/** The context with the protection decided. */
export type GuardContext = SecretGuardContext & { readonly protection: ProtectedFiles }

/** How a tool call would reach a protected file. */
export interface SecretAccess {
  /** The protected file (or, for a folder not looked into, the pattern it may hold), as the message shows it. */
  readonly file: string
  /** What the call does, completing "it …": `touches .env, a protected file`. */
  readonly what: string
  /** How to do it without the protected file, when there is a way. */
  readonly fix?: string
}

/**
 * How a tool call would read (or write) a protected file, or undefined when it would not. Judged
 * by what the call reads, not by a name appearing in it:
 * - bash: files its programs are given (arguments, redirections; `echo`, `ls`, `test`, a commit
 *   message, a grep pattern read nothing), folders read whole (`grep -r`, `rg`, `ag`,
 *   `git grep --no-index`, `tar c`, `zip -r`, `cp -r`, `rsync -a`, `diff -r`, `git stash -u`,
 *   `find -exec`) that hold protected files their filters let through, a `git add` of whole folders
 *   (`-A`, `.`, a folder) or `git commit -a` that would stage a protected file git does not ignore
 *   (asked of git through the lookup), loops and `xargs` that read
 *   what a listing of hidden files gives them, and interpreter code (`python -c`, `node -e`, …,
 *   and code piped or here-documented into an interpreter or a shell) that names a protected file
 *   or loads `.env` files;
 * - grep: its folder, with its `include` read as ripgrep reads globs (`*` matches `.env`);
 * - glob, read, edit, write, patches and any other tool: the paths they are given.
 * Tool names are matched without regard to case (OpenCode's `bash`, Claude Code's `Bash`).
 */
export function secretAccessIn(tool: string, args: unknown, context: SecretGuardContext = {}): SecretAccess | undefined {
  const fields: Fields = typeof args === 'object' && args !== null ? (args as Fields) : {}
  const protection = context.protection ?? DEFAULT_PROTECTION
  const text = (name: string): string[] => (typeof fields[name] === 'string' ? [fields[name]] : [])
  switch (tool.toLowerCase()) {
    case 'bash':
      return text('command').map((command) => bashAccess(command, { ...context, protection }, 0)).find((found) => found !== undefined)
    case 'grep':
      return namedIn(text('path'), protection) ?? grepToolAccess(fields, { ...context, protection })
    case 'glob':
      // The glob tool lists names and reads nothing: only a pattern that spells out a protected name is held back.
      return namedIn([...text('pattern').filter((pattern) => !/^[*?[{]/.test(pattern.split('/').at(-1) ?? '')), ...text('path')], protection)
    case 'apply_patch':
    case 'patch':
      return namedIn([...text('patchText').flatMap((patch) => [...patch.matchAll(PATCH_FILE)].map((line) => (line[1] ?? line[2] ?? '').trim())), ...pathStrings(fields)], protection)
    default:
      return namedIn(pathStrings(fields), protection)
  }
}

type Fields = Readonly<Record<string, unknown>>
const PATH_KEY = /path|file|dir|include|glob/i
const PATCH_FILE = /^\*\*\* (?:Add|Update|Delete) File: (.+)$|^\*\*\* Move to: (.+)$/gm

/** Strings under path-like keys (`filePath`, `path`, `files`, …), at any depth up to 3; never the text a tool writes. */
function pathStrings(value: unknown, underPathKey = false, depth = 0): string[] {
  if (typeof value === 'string') return underPathKey ? [value] : []
  if (depth > 3 || typeof value !== 'object' || value === null) return []
  if (Array.isArray(value)) return value.flatMap((item) => pathStrings(item, underPathKey, depth + 1))
  return Object.entries(value).flatMap(([key, inner]) => pathStrings(inner, underPathKey || PATH_KEY.test(key), depth + 1))
}

/** The first of these paths (globs read as a shell reads them) that is or could be a protected file. */
function namedIn(paths: readonly string[], protection: ProtectedFiles): SecretAccess | undefined {
  for (const path of paths) {
    const file = /[*?[{]/.test(path) ? protectedNameMatching(protection, path, false) : isProtectedFile(protection, path) ? baseName(path) : undefined
    if (file !== undefined) return { file: path, what: `touches ${path}, a protected file` }
  }
  return undefined
}

/** A grep tool (OpenCode's searches hidden files) may not search a folder holding a protected file its `include` lets through. */
function grepToolAccess(fields: Fields, context: GuardContext): SecretAccess | undefined {
  // OpenCode names the filter `include`, Claude Code `glob` (and `type`, a ripgrep file type).
  const filter = [fields.include, fields.glob].find((value): value is string => typeof value === 'string' && value.trim() !== '')
  if (filter === undefined && typeof fields.type === 'string' && fields.type.trim() !== '') return undefined
  const include = filter
  const path = typeof fields.path === 'string' && fields.path.trim() !== '' ? fields.path : '.'
  const read: TreeRead = {
    trees: [path],
    include: include === undefined || include.startsWith('!') ? [] : [rgGlob(include)],
    exclude: include?.startsWith('!') === true ? [rgGlob(include.slice(1))] : [],
    hidden: true,
    fix: () => '',
  }
  const hit = treeHit(read, context.cwd, context)
  if (hit === undefined) return undefined
  return {
    file: hit.file,
    what: `searches ${include === undefined ? 'every file' : `files matching "${include}"`} under ${path}, which ${hit.known ? 'holds' : 'may hold'} the protected file ${hit.file}`,
    fix: `Pass an include that names the files you need (e.g. "*.ts" or "*.{js,json,md}"), or a path below it that holds no protected file.`,
  }
}
