import type { AgentStatus } from '../scoring/status.js'
import { secretFileIn } from './env-guard.js'

/** What a host does with a tool call before it runs; `message` is for the agent (block) or the user (warn). */
export type ToolCallVerdict =
  | { readonly action: 'allow' }
  | { readonly action: 'block'; readonly reason: 'secret-file'; readonly file: string; readonly message: string }
  | { readonly action: 'block' | 'warn'; readonly reason: 'halted'; readonly setup: string; readonly message: string }

/** What a host does with a halted setup's tool calls: stop them, let them run with a warning, or ignore the halt. */
export type HaltMode = 'block' | 'warn' | 'off'

/** How a host guards tool calls. */
export interface ToolCallPolicy {
  /** Stop tool calls that touch `.env`-style secret files; default true. */
  readonly envProtection?: boolean
  /** What happens to a halted setup's tool calls; default `block`. */
  readonly enforceHalt?: HaltMode
}

const ALLOW: ToolCallVerdict = { action: 'allow' }

/** Blocks a tool call that could touch a `.env`-style secret file (see `secretFileIn`), naming the file and what to do instead. */
export function guardSecretFiles(tool: string, args: unknown): ToolCallVerdict {
  const file = secretFileIn(tool, args)
  if (file === undefined) return ALLOW
  return { action: 'block', reason: 'secret-file', file, message: `agent-tracker blocked this ${tool} call: it touches ${file}, a secret env file. Use .env.example for placeholders, and ask the user for any value you need.` }
}

/** Blocks (or warns about) a tool call of a halted setup, saying why and how the user reinstates it. */
export function guardHaltedSetup(tool: string, status: AgentStatus | undefined, mode: HaltMode = 'block'): ToolCallVerdict {
  if (status?.halted !== true || mode === 'off') return ALLOW
  const { setup } = status
  const why = `${setup} is halted: it lost all its skill points to reported bugs. The user can reinstate it with /reinstate (or: agent-tracker reinstate ${setup}).`
  return mode === 'block'
    ? { action: 'block', reason: 'halted', setup, message: `agent-tracker blocked this ${tool} call. ${why} Stop working and tell the user.` }
    : { action: 'warn', reason: 'halted', setup, message: why }
}

/**
 * Decides on a tool call before it runs: the `.env` guard first, then the halt (given the status
 * of the setup making the call). The first verdict that is not `allow` wins.
 */
export function guardToolCall(call: { readonly tool: string; readonly args: unknown; readonly status?: AgentStatus | undefined }, policy: ToolCallPolicy = {}): ToolCallVerdict {
  const secret = policy.envProtection === false ? ALLOW : guardSecretFiles(call.tool, call.args)
  return secret.action !== 'allow' ? secret : guardHaltedSetup(call.tool, call.status, policy.enforceHalt)
}
