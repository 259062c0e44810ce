import { existsSync } from 'node:fs'
import type { AgentStatus, ToolCall, ToolCallPolicy, ToolCallVerdict } from '@agent-tracker/core/host'
import { DEFAULT_RULES, claudeCodeCommand, guardToolCall, runsGitCommit, toAgentStatus } from '@agent-tracker/core/host'
import { ProtectedFileIndex, resolveProtectedFiles } from '@agent-tracker/node-host/trust'
import { commitNotesOf } from './commit-notes.js'
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
 * A Bash call it lets run that runs `git commit` has HEAD's reflog noted first (see
 * {@link noteCommitsBefore}).
 */
export async function preToolUseHook(input: HookInput, options: HookOptions): Promise<HookReply> {
  const verdict = await guardVerdict(input, options)
  if (verdict.action === 'block') return denyToolCall(verdict.message)
  await noteCommitsBefore(input, options)
  return verdict.action === 'warn' ? warnUser(verdict.message) : { exitCode: 0 }
}

/** What the guard says of the call: the user's channels and protected files first, then (unless `enforceHalt` is off) the halt. */
async function guardVerdict(input: HookInput, options: HookOptions): Promise<ToolCallVerdict> {
  const protection = resolveProtectedFiles([], options.env)
  const call: ToolCall = { tool: typeof input.fields.tool_name === 'string' ? input.fields.tool_name : '', args: input.fields.tool_input, cwd: input.cwd }
  const policy: ToolCallPolicy = { envProtection: options.envProtection, protectedFiles: protection, lookup: new ProtectedFileIndex(input.cwd, protection), enforceHalt: options.enforceHalt }
  const first = guardToolCall(call, { ...policy, enforceHalt: 'off' })
  if (first.action === 'block' || options.enforceHalt === 'off') return first
  const setup = await awaitSetup(input, options, typeof input.fields.tool_use_id === 'string' ? input.fields.tool_use_id : undefined)
  return setup === undefined ? first : guardToolCall({ ...call, status: await statusOf(setup, options) }, policy)
}

/**
 * Notes HEAD and where its reflog ends in each folder a Bash command that runs `git commit` may
 * commit in, for PostToolUse to read the moves the call added (see `noteCommitFolders`): the
 * commits it made are then found by their place in the reflog, not by a time the command can set
 * (`GIT_COMMITTER_DATE=2020-01-01 git commit -q`). Never throws: without a note, PostToolUse
 * finds them by the time the call ran.
 */
async function noteCommitsBefore(input: HookInput, options: HookOptions): Promise<void> {
  const callId = input.fields.tool_use_id
  const command = input.fields.tool_name === 'Bash' ? claudeCodeCommand(input.fields.tool_input) : undefined
  if (typeof callId !== 'string' || command === undefined || !runsGitCommit(command)) return
  try {
    const { noteCommitFolders } = await import('@agent-tracker/node-host/hooks')
    ;(await commitNotesOf(options)).save(callId, await noteCommitFolders(command, input.cwd))
  } catch {
    // Found by the time the call ran instead.
  }
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
