import type { AgentStatus, ToolCall, ToolCallPolicy } from '@agent-tracker/core/host'
import { DEFAULT_RULES, guardToolCall, toAgentStatus } from '@agent-tracker/core/host'
import { resolveDatabasePath } from '@agent-tracker/node-host/database-path'
import { ProtectedFileIndex, resolveProtectedFiles } from '@agent-tracker/node-host/trust'
import type { HookInput } from './hook-input.js'
import type { HookOptions } from './hook-options.js'
import { hookSetup } from './hook-options.js'
import type { HookReply } from './hook-reply.js'
import { denyToolCall, warnUser } from './hook-reply.js'

/**
 * `PreToolUse`: the guard every host calls (`guardToolCall`): the user's own channels, protected
 * files (`.env` and the patterns of `AGENT_TRACKER_PROTECTED_FILES`; needs no database), then the
 * halt — a halted setup's call is denied with the reason and how the user reinstates it (or, with
 * `enforceHalt: warn`, the user is warned). Reads the database only for the setup's status.
 */
export async function preToolUseHook(input: HookInput, options: HookOptions): Promise<HookReply> {
  const protection = resolveProtectedFiles([], options.env)
  const call: ToolCall = { tool: typeof input.fields.tool_name === 'string' ? input.fields.tool_name : '', args: input.fields.tool_input, cwd: input.cwd }
  const policy: ToolCallPolicy = { envProtection: options.envProtection, protectedFiles: protection, lookup: new ProtectedFileIndex(input.cwd, protection), enforceHalt: options.enforceHalt }
  const first = guardToolCall(call, { ...policy, enforceHalt: 'off' })
  if (first.action === 'block') return denyToolCall(first.message)
  if (options.enforceHalt === 'off') return { exitCode: 0 }
  const setup = hookSetup(input, options, typeof input.fields.tool_use_id === 'string' ? input.fields.tool_use_id : undefined)
  const verdict = setup === undefined ? first : guardToolCall({ ...call, status: await statusOf(setup, options) }, policy)
  if (verdict.action === 'block') return denyToolCall(verdict.message)
  return verdict.action === 'warn' ? warnUser(verdict.message) : { exitCode: 0 }
}

/** The setup's status from the database (one record read, without opening the store); undefined when it or the database is not there yet. */
async function statusOf(setup: string, options: HookOptions): Promise<AgentStatus | undefined> {
  const { peekRecord } = await import('@agent-tracker/lmdb-store/peek')
  const record = peekRecord(resolveDatabasePath({ databasePath: options.databasePath, env: options.env, homeDir: options.homeDir }), 'setups', [setup])
  // A halt is SP ≤ 0 under any rules; the default rules only name the tiers of the status card.
  return record === undefined ? undefined : toAgentStatus(record, DEFAULT_RULES)
}
