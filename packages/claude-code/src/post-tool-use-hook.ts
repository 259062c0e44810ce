import { existsSync } from 'node:fs'
import type { Fact } from '@agent-tracker/core/host'
import { claudeCodeCommand, claudeCodeFailure, claudeCodeShellResult, gitEventsOf, hostToolCallFact, runsGitCommit } from '@agent-tracker/core/host'
import { commitNotesOf } from './commit-notes.js'
import type { HistoryToolCall } from '@agent-tracker/host-import/claude-code'
import type { HookInput } from './hook-input.js'
import type { HookOptions } from './hook-options.js'
import { hookContext, hookDatabasePath, hookProject, hookSetup } from './hook-options.js'
import { PendingFacts } from './pending-facts.js'
import { noteUntrackedSession } from './untracked-sessions.js'
import type { HookReply } from './hook-reply.js'

/**
 * `PostToolUse` and `PostToolUseFailure`: records the call (a failure with Bash's exit code), and
 * for Bash the commits git confirms and the pushes it made, under the ids the import of the
 * transcript derives too: the moves `git commit` added to HEAD's reflog since PreToolUse noted it,
 * or, without that note, the commits made while the call ran. The facts wait in the pending folder (no database opened) for the turn's
 * end; a push then writes everything at once, as the OpenCode plugin does — and when that write
 * fails, the push waits in the pending folder with the rest for the next write, as it does when the
 * database must first be upgraded from release 0.1.0 (see `writePendingFacts`).
 *
 * A session without a transcript (`claude -p --no-session-persistence`) names no model to any
 * hook: its calls cannot be put under a setup, and are noted as untracked for `doctor` to show.
 */
export async function postToolUseHook(input: HookInput, options: HookOptions): Promise<HookReply> {
  const callId = typeof input.fields.tool_use_id === 'string' ? input.fields.tool_use_id : undefined
  const tool = typeof input.fields.tool_name === 'string' ? input.fields.tool_name : undefined
  const command = tool === 'Bash' ? claudeCodeCommand(input.fields.tool_input) : undefined
  // Taken whether or not the call is tracked, so that no note stays behind.
  const before = callId === undefined || command === undefined || !runsGitCommit(command) ? undefined : (await commitNotesOf(options)).take(callId)
  const setup = callId === undefined ? undefined : hookSetup(input, options, callId)
  if (callId === undefined || tool === undefined) return { exitCode: 0 }
  if (setup === undefined) {
    if (input.transcriptPath !== undefined && !existsSync(input.transcriptPath)) noteUntrackedSession(hookDatabasePath(options), input, hookProject(input, options), options.now?.())
    return { exitCode: 0 }
  }
  const context = hookContext(input, setup, options)
  const outcome = input.event === 'PostToolUseFailure' ? claudeCodeFailure(input.fields.error) : { ran: true, ok: true }
  const ok = outcome.ran && outcome.ok
  const exitCode = 'exitCode' in outcome ? outcome.exitCode : undefined
  const duration = typeof input.fields.duration_ms === 'number' ? input.fields.duration_ms : 0
  const call: HistoryToolCall = {
    kind: 'tool_call', context, callId, tool, ok, exitCode,
    ...(command === undefined ? {} : { shell: { command, workdir: input.cwd, startedAt: new Date(Date.parse(context.at) - duration).toISOString(), ...claudeCodeShellResult(input.fields.tool_response, typeof input.fields.error === 'string' ? input.fields.error : '') } }),
  }
  const git = call.shell === undefined ? [] : gitEventsOf(call.shell.command, call.shell.output, exitCode ?? (ok ? 0 : 1))
  const facts: Fact[] = [hostToolCallFact(context, call), ...(git.length === 0 ? [] : await (await import('@agent-tracker/host-import/claude-code')).shellFacts(call, before))]
  // Written down before any write is tried: a write that fails then loses nothing.
  new PendingFacts(hookDatabasePath(options)).add(input.session, facts)
  if (!git.some((event) => event.kind === 'push')) return { exitCode: 0 }
  const { writePendingFacts } = await import('./open-hook-tracker.js')
  await writePendingFacts(input, options, setup)
  return { exitCode: 0 }
}
