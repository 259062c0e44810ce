import { existsSync } from 'node:fs'
import type { AgentStatus, ToolCall, ToolCallPolicy } from '@agent-tracker/core/host'
import { DEFAULT_RULES, guardToolCall, toAgentStatus } from '@agent-tracker/core/host'
import { ProtectedFileIndex, resolveProtectedFiles } from '@agent-tracker/node-host/trust'
import type { HookInput } from './hook-input.js'
import type { HookOptions } from './hook-options.js'
import { hookDatabasePath, hookSetup } from './hook-options.js'
import type { HookReply } from './hook-reply.js'
import { denyToolCall, warnUser } from './hook-reply.js'
import { isUntrackedSession } from './untracked-sessions.js'

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
  const setup = await awaitSetup(input, options, typeof input.fields.tool_use_id === 'string' ? input.fields.tool_use_id : undefined)
  const verdict = setup === undefined ? first : guardToolCall({ ...call, status: await statusOf(setup, options) }, policy)
  if (verdict.action === 'block') return denyToolCall(verdict.message)
  return verdict.action === 'warn' ? warnUser(verdict.message) : { exitCode: 0 }
}

/** How long a first tool call of a session waits for the transcript to name its model. */
const MODEL_WAIT_MS = 3000

/** How long it waits for a transcript file that is not there yet. */
const TRANSCRIPT_WAIT_MS = 1000

/**
 * The setup making the call. Claude Code may run the hook before its transcript holds the response
 * that asked for the call (it writes the transcript on its own schedule, later on a busy machine):
 * in a session whose transcript names no model yet, the hook waits for it rather than let a halted
 * setup's first call through unchecked — and the file itself may come a moment after the first
 * call's hook (seen under load), so a missing file is waited for a second. A session noted as
 * untracked after such a wait (`--no-session-persistence`: it writes no transcript at all) is not
 * waited for again, so only its first call pays that second.
 */
async function awaitSetup(input: HookInput, options: HookOptions, toolUseId: string | undefined): Promise<string | undefined> {
  const started = Date.now()
  const deadline = started + (options.modelWaitMs ?? MODEL_WAIT_MS)
  const noFileBy = started + Math.min(options.modelWaitMs ?? MODEL_WAIT_MS, TRANSCRIPT_WAIT_MS)
  const transcript = input.transcriptPath
  if (transcript !== undefined && !existsSync(transcript) && isUntrackedSession(hookDatabasePath(options), input.session)) return undefined
  for (;;) {
    const setup = hookSetup(input, options, toolUseId)
    if (setup !== undefined || transcript === undefined || Date.now() >= deadline) return setup
    if (!existsSync(transcript) && Date.now() >= noFileBy) return setup
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** The setup's status from the database (one record read, without opening the store); undefined when it or the database is not there yet. */
async function statusOf(setup: string, options: HookOptions): Promise<AgentStatus | undefined> {
  const { peekRecord } = await import('@agent-tracker/lmdb-store/peek')
  const record = peekRecord(hookDatabasePath(options), 'setups', [setup])
  // A halt is SP ≤ 0 under any rules; the default rules only name the tiers of the status card.
  return record === undefined ? undefined : toAgentStatus(record, DEFAULT_RULES)
}
