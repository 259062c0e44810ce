import type { AgentStatus } from '../scoring/status.js'
import type { ProtectedFileLookup } from './protection/secret-access.js'
import { secretAccessIn } from './protection/secret-access.js'
import type { ProtectedFiles } from './protection/protected-files.js'
import { userChannelIn } from './user-channel-guard.js'

/** How every message of a blocked call starts: the agent reads it, and a host's records keep it. */
const BLOCKED = 'agent-tracker blocked this'

/** True for the error a host recorded for a call agent-tracker's guard blocked: that call never ran. */
export function isTrackerBlock(error: string): boolean {
  return error.startsWith(`${BLOCKED} `)
}

/** What a host does with a tool call before it runs; `message` is for the agent (block) or the user (warn). */
export type ToolCallVerdict =
  | { readonly action: 'allow' }
  | { readonly action: 'block'; readonly reason: 'secret-file'; readonly file: string; readonly message: string }
  | { readonly action: 'block'; readonly reason: 'user-channel'; readonly command: string; readonly message: string }
  | { readonly action: 'block' | 'warn'; readonly reason: 'halted'; readonly setup: string; readonly message: string }

/** What a host does with a halted setup's tool calls: stop them, let them run with a warning, or ignore the halt. */
export type HaltMode = 'block' | 'warn' | 'off'

/** How a host guards tool calls. */
export interface ToolCallPolicy {
  /** Stop tool calls that read or write protected files; default true. */
  readonly envProtection?: boolean | undefined
  /** Which files are protected (see `protectedFiles`); default `.env` and `.env.*` but the templates. */
  readonly protectedFiles?: ProtectedFiles | undefined
  /** Which protected files a folder holds (the host's cached view); without it every folder may hold some. */
  readonly lookup?: ProtectedFileLookup | undefined
  /** What happens to a halted setup's tool calls; default `block`. */
  readonly enforceHalt?: HaltMode | undefined
}

/** A tool call as a host sees it before it runs. */
export interface ToolCall {
  readonly tool: string
  readonly args: unknown
  /** The status of the setup making the call, for the halt. */
  readonly status?: AgentStatus | undefined
  /** The absolute folder the call works in (a bash call's working folder), for relative paths. */
  readonly cwd?: string | undefined
}

const ALLOW: ToolCallVerdict = { action: 'allow' }

/**
 * Blocks a tool call that would read or write a protected file (see `secretAccessIn`), naming the
 * file, how the call reaches it, and how to do without it.
 */
export function guardSecretFiles(call: ToolCall, policy: Pick<ToolCallPolicy, 'protectedFiles' | 'lookup'> = {}): ToolCallVerdict {
  let access: ReturnType<typeof secretAccessIn>
  try {
    // Commands nested deeper than the guard reads throw (`ShellTooDeepError`): such a call is held back.
    access = secretAccessIn(call.tool, call.args, { protection: policy.protectedFiles, cwd: call.cwd, lookup: policy.lookup })
  } catch (error) {
    // A call the guard could not read through is held back: a host goes on after a guard that throws.
    const why = error instanceof Error ? error.message : String(error)
    return { action: 'block', reason: 'secret-file', file: '', message: `${BLOCKED} ${call.tool} call: agent-tracker could not check it for protected files (${why}). Split it into simpler commands.` }
  }
  if (access === undefined) return ALLOW
  const fix = access.fix === undefined ? '' : ` ${access.fix}`
  return { action: 'block', reason: 'secret-file', file: access.file, message: `${BLOCKED} ${call.tool} call: it ${access.what}.${fix} Protected files hold the user's secrets: use .env.example for placeholders, and ask the user for any value you need.` }
}

/**
 * Blocks a shell tool call that would use one of the user's own channels (see `userChannelIn`):
 * grading, reporting bugs, reinstating, or bringing in records through the tracker's CLI or a
 * nested OpenCode run.
 */
export function guardUserChannels(call: ToolCall): ToolCallVerdict {
  const command = (call.args as { command?: unknown } | null | undefined)?.command
  if (call.tool.toLowerCase() !== 'bash' || typeof command !== 'string') return ALLOW
  let use: ReturnType<typeof userChannelIn>
  try {
    use = userChannelIn(command)
  } catch (error) {
    // A command line the guard could not read through (nested too deep) is held back, as for protected files.
    const why = error instanceof Error ? error.message : String(error)
    return { action: 'block', reason: 'user-channel', command: '', message: `${BLOCKED} ${call.tool} call: agent-tracker could not check what it runs (${why}). Split it into simpler commands.` }
  }
  if (use === undefined) return ALLOW
  return {
    action: 'block', reason: 'user-channel', command: use.command,
    message: `${BLOCKED} ${call.tool} call: it runs ${use.command}, which only the user may use — grades, bug reports, reinstating a halted agent and bringing in records come from the user. Grade your own work and report your own bugs with your tracker tools, and tell the user what you think they should record.`,
  }
}

/** Blocks (or warns about) a tool call of a halted setup, saying why and how the user reinstates it. */
export function guardHaltedSetup(tool: string, status: AgentStatus | undefined, mode: HaltMode = 'block'): ToolCallVerdict {
  if (status?.halted !== true || mode === 'off') return ALLOW
  const { setup } = status
  const why = `${setup} is halted: it lost all its skill points to reported bugs. The user can reinstate it with /reinstate (or: agent-tracker reinstate ${setup}).`
  return mode === 'block'
    ? { action: 'block', reason: 'halted', setup, message: `${BLOCKED} ${tool} call. ${why} Stop working and tell the user.` }
    : { action: 'warn', reason: 'halted', setup, message: why }
}

/**
 * Decides on a tool call before it runs — the one entry point every host adapter calls: the
 * user's channels first (always guarded), then protected files (unless `envProtection` is off),
 * then the halt (given the status of the setup making the call). The first verdict that is not
 * `allow` wins.
 */
export function guardToolCall(call: ToolCall, policy: ToolCallPolicy = {}): ToolCallVerdict {
  const channel = guardUserChannels(call)
  if (channel.action !== 'allow') return channel
  const secret = policy.envProtection === false ? ALLOW : guardSecretFiles(call, policy)
  return secret.action !== 'allow' ? secret : guardHaltedSetup(call.tool, call.status, policy.enforceHalt)
}
