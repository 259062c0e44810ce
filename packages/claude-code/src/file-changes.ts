import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

/** One change to Claude Code's folder: a file written (made, with its folders, when absent), a file removed, or an empty folder removed. */
export type FileChange =
  | { readonly kind: 'write'; readonly file: string; readonly text: string }
  | { readonly kind: 'remove'; readonly file: string }
  | { readonly kind: 'remove-folder'; readonly folder: string }

/**
 * A change to Claude Code's folder that could not be made: `path` is the file (or folder) it was
 * for, `action` what was to be done to it, `folder` the folder that would have needed permission
 * (`path` itself for a file written in place), `code` the system's error code (`EACCES`, …).
 * `undone` is false only when changes made before it could not all be undone.
 */
export class FileChangeProblem extends Error {
  override readonly name = 'FileChangeProblem'

  readonly path: string
  readonly action: 'write' | 'create' | 'remove'
  readonly folder: string
  readonly code: string | undefined
  readonly undone: boolean

  constructor(options: { path: string; action: 'write' | 'create' | 'remove'; folder: string; cause: unknown; undone: boolean }) {
    const code = (options.cause as NodeJS.ErrnoException).code
    super(`Cannot ${options.action} ${options.path}: ${(options.cause as Error).message}`, { cause: options.cause })
    this.path = options.path
    this.action = options.action
    this.folder = options.folder
    this.code = code
    this.undone = options.undone
  }

  /** True when the user lacks the permission (`EACCES`, `EPERM`): making `folder` (or the file) writable is the fix. */
  get denied(): boolean {
    return this.code === 'EACCES' || this.code === 'EPERM'
  }
}

/**
 * Makes all of `changes` or none: each is checked first (that its file, or the folder it goes in
 * or leaves, can be written by this user), then they are made in order, and when one fails all the
 * way, those made before it are undone (a file written back as it was, a file or folder made
 * removed). Nothing is ever left half done for lack of a permission.
 * @throws {FileChangeProblem} naming the change that cannot be made.
 */
export function applyFileChanges(changes: readonly FileChange[]): void {
  for (const change of changes) {
    const refused = checkChange(change)
    if (refused !== undefined) throw new FileChangeProblem({ ...refused, undone: true })
  }
  const undo: (() => void)[] = []
  for (const change of changes) {
    try {
      undo.push(makeChange(change))
    } catch (error) {
      let undone = true
      for (const step of undo.reverse()) {
        try {
          step()
        } catch {
          undone = false
        }
      }
      throw new FileChangeProblem({ ...describeChange(change), cause: error, undone })
    }
  }
}

function describeChange(change: FileChange): { path: string; action: 'write' | 'create' | 'remove'; folder: string } {
  switch (change.kind) {
    case 'write': return existsSync(change.file) ? { path: change.file, action: 'write', folder: change.file } : { path: change.file, action: 'create', folder: existingFolder(dirname(change.file)) }
    case 'remove': return { path: change.file, action: 'remove', folder: dirname(change.file) }
    case 'remove-folder': return { path: change.folder, action: 'remove', folder: dirname(change.folder) }
  }
}

/** Why a change cannot be made, checked before any is: the file, or its folder, not writable for this user; undefined when it can be. */
function checkChange(change: FileChange): { path: string; action: 'write' | 'create' | 'remove'; folder: string; cause: unknown } | undefined {
  const described = describeChange(change)
  try {
    if (change.kind === 'write' && described.action === 'write') {
      if (statSync(change.file).isDirectory()) throw Object.assign(new Error(`EISDIR: illegal operation on a directory, open '${change.file}'`), { code: 'EISDIR' })
      accessSync(change.file, constants.W_OK)
    } else {
      if (!statSync(described.folder).isDirectory()) throw Object.assign(new Error(`ENOTDIR: not a directory, '${described.folder}'`), { code: 'ENOTDIR' })
      accessSync(described.folder, constants.W_OK | constants.X_OK)
    }
    return undefined
  } catch (error) {
    return { ...described, cause: error }
  }
}

/** The nearest folder of `folder` and its parents that exists: where a new file's folders would be made. */
function existingFolder(folder: string): string {
  let at = folder
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at)
  return at
}

/** Makes one change; returns how to undo it. */
function makeChange(change: FileChange): () => void {
  switch (change.kind) {
    case 'write': {
      const before = existsSync(change.file) ? readFileSync(change.file) : undefined
      const made = mkdirSync(dirname(change.file), { recursive: true })
      writeFileSync(change.file, change.text)
      return () => {
        if (before !== undefined) writeFileSync(change.file, before)
        else rmSync(change.file, { force: true })
        if (made !== undefined) rmSync(made, { recursive: true, force: true })
      }
    }
    case 'remove': {
      const before = readFileSync(change.file)
      rmSync(change.file)
      return () => {
        writeFileSync(change.file, before)
      }
    }
    case 'remove-folder': {
      rmdirSync(change.folder)
      return () => {
        mkdirSync(change.folder)
      }
    }
  }
}
