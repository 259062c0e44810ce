import { readFileSync } from 'node:fs'
import type { AgentSession, AncestorProcess } from '@agent-tracker/core/host'
import { agentSessionOf } from '@agent-tracker/core/host'

/** How far up the process tree to look: deep enough for shells in shells, bounded for loops. */
const MAX_ANCESTORS = 64

/**
 * The processes above `pid`, nearest first, read from Linux's `/proc` (each one's parent from
 * `stat`, its command line from `cmdline`). Empty where there is no `/proc` (macOS, Windows) and
 * stops at the first process it cannot read.
 */
export function ancestorProcesses(pid: number = process.pid, readProc: (path: string) => string = (path) => readFileSync(path, 'utf8')): AncestorProcess[] {
  const ancestors: AncestorProcess[] = []
  let current = pid
  for (let depth = 0; depth < MAX_ANCESTORS; depth++) {
    const parent = parentOf(current, readProc)
    if (parent === undefined || parent <= 1) break
    let argv: string[]
    try {
      argv = readProc(`/proc/${String(parent)}/cmdline`).split('\0').filter((arg) => arg !== '')
    } catch {
      break
    }
    ancestors.push({ pid: parent, argv })
    current = parent
  }
  return ancestors
}

/**
 * The agent session this process runs under (see core's `agentSessionOf`): an agent host's
 * variable in `env`, else an agent host among the ancestors of `pid`.
 */
export function detectAgentSession(env: Readonly<Record<string, string | undefined>> = process.env, pid: number = process.pid): AgentSession | undefined {
  return agentSessionOf(env) ?? agentSessionOf({}, ancestorProcesses(pid))
}

function parentOf(pid: number, readProc: (path: string) => string): number | undefined {
  try {
    // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so read after the last `)`.
    const stat = readProc(`/proc/${String(pid)}/stat`)
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const parent = Number(fields[1])
    return Number.isInteger(parent) ? parent : undefined
  } catch {
    return undefined
  }
}
