import { accessSync, constants, statSync } from 'node:fs'
import { delimiter, isAbsolute, join } from 'node:path'
import type { Io } from '../io.js'

/** A `node_modules/.bin` folder: package runners (`npx`, `npm exec`, `npm run`, `pnpm exec`) put these first on PATH for one command only. */
const RUNNER_BIN = /[\\/]node_modules[\\/]\.bin[\\/]?$/

/**
 * The folders of `PATH` that a program started later from the user's shell — an agent host, and
 * the hooks it runs — searches too: the absolute ones, less the `node_modules/.bin` folders a
 * package runner added for the command running now (`npx agent-tracker …` finds itself there, but
 * Claude Code will not). A relative entry depends on the folder a hook runs in, so it counts for nothing.
 */
export function lastingSearchPath(env: Io['env']): string[] {
  const path = env.PATH ?? env.Path ?? ''
  return path.split(delimiter).filter((folder) => folder !== '' && isAbsolute(folder) && !RUNNER_BIN.test(folder))
}

/** The first executable file called `name` in the {@link lastingSearchPath} (on Windows also with `PATHEXT`'s extensions), or undefined. */
export function findExecutable(name: string, env: Io['env']): string | undefined {
  const extensions = process.platform === 'win32' ? ['', ...(env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter((ext) => ext !== '')] : ['']
  for (const folder of lastingSearchPath(env)) {
    for (const extension of extensions) {
      const file = join(folder, name + extension)
      if (isExecutableFile(file)) return file
    }
  }
  return undefined
}

/** True for a regular file (or a link to one) this user may run. */
export function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false
    if (process.platform !== 'win32') accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}
