import type { GradeChannel } from '../facts/grade-channel.js'

/** A process above the current one: its id and command line (argv). */
export interface AncestorProcess {
  readonly pid: number
  readonly argv: readonly string[]
}

/** An agent session a process runs under, and what gave it away. */
export interface AgentSession {
  /** The agent host: `opencode`, `claude-code`, `codex` or `agent` (a host that says only that it is one). */
  readonly host: string
  /** What showed it, for messages: an environment variable, or an ancestor process. */
  readonly evidence: string
}

/**
 * Variables agent hosts set for the commands their agents run, most specific first. Verified:
 * OpenCode 1.18 sets `OPENCODE=1`, `OPENCODE_PID` and `AGENT=1`; Claude Code sets `CLAUDECODE=1`;
 * Codex sets `CODEX_SANDBOX_NETWORK_DISABLED=1` (and `CODEX_SANDBOX` under Seatbelt).
 */
const AGENT_VARIABLES: readonly (readonly [variable: string, host: string])[] = [
  ['OPENCODE', 'opencode'],
  ['OPENCODE_PID', 'opencode'],
  ['CLAUDECODE', 'claude-code'],
  ['CLAUDE_CODE_ENTRYPOINT', 'claude-code'],
  ['CODEX_SANDBOX', 'codex'],
  ['CODEX_SANDBOX_NETWORK_DISABLED', 'codex'],
  ['AGENT', 'agent'],
]

/** Executables of agent hosts, by the file name of argv[0] or (for Node scripts) argv[1]. */
const AGENT_EXECUTABLES: readonly (readonly [pattern: RegExp, host: string])[] = [
  [/^opencode(?:\.exe)?$/, 'opencode'],
  [/^claude$/, 'claude-code'],
  [/(?:^|[\\/])@anthropic-ai[\\/]claude-code[\\/]cli\.m?js$/, 'claude-code'],
  [/^codex(?:-[a-z0-9_-]+)?(?:\.exe)?$/, 'codex'],
]

/**
 * The agent session a process runs under, if any: an agent host's variable in its environment
 * (set to anything but empty or `0`), else an agent host among its ancestor processes (which
 * unsetting variables does not hide). Undefined when neither shows one.
 */
export function agentSessionOf(env: Readonly<Record<string, string | undefined>>, ancestors: readonly AncestorProcess[] = []): AgentSession | undefined {
  for (const [variable, host] of AGENT_VARIABLES) {
    const value = env[variable]
    if (value !== undefined && value !== '' && value !== '0') return { host, evidence: `${variable}=${value} is set` }
  }
  for (const ancestor of ancestors) {
    const names = ancestor.argv.slice(0, 2).map((arg, index) => (index === 0 ? baseName(arg) : arg))
    for (const [pattern, host] of AGENT_EXECUTABLES) {
      const name = names.find((candidate) => pattern.test(candidate))
      if (name !== undefined) return { host, evidence: `an ancestor process is ${baseName(name)} (pid ${String(ancestor.pid)})` }
    }
  }
  return undefined
}

/** How the CLI was run, for the channel of a grade it records. */
export interface CliRun {
  readonly stdinIsTerminal: boolean
  readonly stdoutIsTerminal: boolean
  /** The agent session the CLI runs under (see {@link agentSessionOf}), if any. */
  readonly agentSession: AgentSession | undefined
}

/**
 * The channel of a grade given on the command line: `cli-terminal` only when a person is at an
 * interactive terminal (stdin and stdout are terminals) that no agent session runs; else `cli-script`.
 */
export function cliGradeChannel(run: CliRun): Extract<GradeChannel, 'cli-terminal' | 'cli-script'> {
  return run.stdinIsTerminal && run.stdoutIsTerminal && run.agentSession === undefined ? 'cli-terminal' : 'cli-script'
}

function baseName(path: string): string {
  return path.split(/[\\/]/).at(-1) ?? path
}
