import type { Fact } from '@agent-tracker/core'
import { claudeCodeCommand, claudeCodeFailure, claudeCodeShellResult, hostToolCallFact } from '@agent-tracker/core'
import type { HistoryToolCall } from '@agent-tracker/host-import/claude-code'
import { shellFacts } from '@agent-tracker/host-import/claude-code'
import { openTracker } from '@agent-tracker/node-host'
import type { HookInput } from './hook-input.js'
import type { HookOptions } from './hook-options.js'
import { hookContext, hookSetup } from './hook-options.js'
import type { HookReply } from './hook-reply.js'

/**
 * `PostToolUse` and `PostToolUseFailure`: records the call (a failure with Bash's exit code), and
 * for Bash the commits git confirms and the pushes it made, under the ids the import of the
 * transcript derives too; then writes them (one transaction) and refreshes `.agent/status.json`.
 */
export async function postToolUseHook(input: HookInput, options: HookOptions): Promise<HookReply> {
  const callId = typeof input.fields.tool_use_id === 'string' ? input.fields.tool_use_id : undefined
  const tool = typeof input.fields.tool_name === 'string' ? input.fields.tool_name : undefined
  const setup = callId === undefined ? undefined : hookSetup(input, options, callId)
  if (callId === undefined || tool === undefined || setup === undefined) return { exitCode: 0 }
  const context = hookContext(input, setup, options)
  const outcome = input.event === 'PostToolUseFailure' ? claudeCodeFailure(input.fields.error) : { ran: true, ok: true }
  const ok = outcome.ran && outcome.ok
  const exitCode = 'exitCode' in outcome ? outcome.exitCode : undefined
  const command = tool === 'Bash' ? claudeCodeCommand(input.fields.tool_input) : undefined
  const duration = typeof input.fields.duration_ms === 'number' ? input.fields.duration_ms : 0
  const call: HistoryToolCall = {
    kind: 'tool_call', context, callId, tool, ok, exitCode,
    ...(command === undefined ? {} : { shell: { command, workdir: input.cwd, startedAt: new Date(Date.parse(context.at) - duration).toISOString(), ...claudeCodeShellResult(input.fields.tool_response) } }),
  }
  const facts: Fact[] = [hostToolCallFact(context, call), ...(await shellFacts(call))]
  const tracker = openTracker({ databasePath: options.databasePath, env: options.env, homeDir: options.homeDir, project: input.cwd, flushOnExit: false })
  try {
    tracker.noteWork(setup)
    await tracker.buffer.applyFacts(facts)
  } finally {
    await tracker.close()
  }
  return { exitCode: 0 }
}
