import type { ChildProcessByStdio } from 'node:child_process'
import type { Writable } from 'node:stream'
import type { Io } from './io.js'

/**
 * Starts this CLI again with `args`, detached, in `io`'s folder and environment, its output
 * ignored and its stdin a pipe or nothing (`input`): the same Node binary and bin script (see
 * `thisCliLauncher`), with the Node flags its children take (see `childNodeFlags`). The modules it
 * needs load on the first call, off the hook's start-up path.
 * @throws {Error} when this CLI's bin script is not found or the process cannot be spawned.
 */
export async function startThisCliDetached(args: readonly string[], io: Io, input: 'pipe'): Promise<ChildProcessByStdio<Writable, null, null>>
export async function startThisCliDetached(args: readonly string[], io: Io, input: 'ignore'): Promise<ChildProcessByStdio<null, null, null>>
export async function startThisCliDetached(args: readonly string[], io: Io, input: 'pipe' | 'ignore'): Promise<ChildProcessByStdio<Writable | null, null, null>> {
  const [childProcess, { thisCliLauncher }, { childNodeFlags }] = await Promise.all([import('node:child_process'), import('./hooks/cli-launcher.js'), import('./compile-at-once.js')])
  const { node, bin } = thisCliLauncher()
  const argv = [...childNodeFlags(), bin, ...args]
  const options = { detached: true, cwd: io.cwd, env: { ...io.env }, windowsHide: true }
  return input === 'pipe' ? childProcess.spawn(node, argv, { ...options, stdio: ['pipe', 'ignore', 'ignore'] }) : childProcess.spawn(node, argv, { ...options, stdio: ['ignore', 'ignore', 'ignore'] })
}
