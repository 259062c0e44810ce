import { resolve } from 'node:path'

/** The command line of an OpenCode bash call, if its arguments have one. */
export function bashCommand(args: unknown): string | undefined {
  const command = (args as { command?: unknown } | null | undefined)?.command
  return typeof command === 'string' ? command : undefined
}

/** The folder an OpenCode bash call runs in: its `workdir` argument (relative to the project), else the project. */
export function bashWorkdir(args: unknown, project: string): string {
  const workdir = (args as { workdir?: unknown } | null | undefined)?.workdir
  return typeof workdir === 'string' && workdir.trim() !== '' ? resolve(project, workdir) : project
}
