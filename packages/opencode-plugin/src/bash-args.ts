import { resolve } from 'node:path'

/** The command line of an OpenCode bash call, if its arguments have one. */
export function bashCommand(args: unknown): string | undefined {
  const command = (args as { command?: unknown } | null | undefined)?.command
  return typeof command === 'string' ? command : undefined
}

/** The folder an OpenCode bash call runs in: its `workdir` argument (relative to the folder OpenCode runs in), else that folder. */
export function bashWorkdir(args: unknown, directory: string): string {
  const workdir = (args as { workdir?: unknown } | null | undefined)?.workdir
  return typeof workdir === 'string' && workdir.trim() !== '' ? resolve(directory, workdir) : directory
}
