import type { HookInput } from './hook-input.js'
import { readHookInput } from './hook-input.js'
import type { HookOptions } from './hook-options.js'
import type { HookReply } from './hook-reply.js'
import { trackingFailed } from './hook-reply.js'

/**
 * Handles one Claude Code hook event, given the JSON Claude Code wrote on the hook's stdin, and
 * says what to answer. Each event loads only what it needs: a prompt that is no user command and
 * the `.env` guard load no database. Never throws: a failure of agent-tracker is a non-blocking
 * hook error, and Claude Code goes on.
 */
export async function runClaudeCodeHook(stdin: string, options: HookOptions): Promise<HookReply> {
  let input: HookInput | undefined
  try {
    input = readHookInput(stdin)
    if (input === undefined) return { exitCode: 0 }
    switch (input.event) {
      case 'UserPromptSubmit':
        if (!/^\s*\//.test(typeof input.fields.prompt === 'string' ? input.fields.prompt : '')) return { exitCode: 0 }
        return await (await import('./user-prompt-hook.js')).userPromptHook(input, options)
      case 'PreToolUse':
        return await (await import('./pre-tool-use-hook.js')).preToolUseHook(input, options)
      case 'PostToolUse':
      case 'PostToolUseFailure':
        return await (await import('./post-tool-use-hook.js')).postToolUseHook(input, options)
      case 'Stop':
      case 'SubagentStop':
      case 'SessionEnd':
        return await (await import('./usage-hook.js')).usageHook(input, options)
    }
  } catch (error) {
    return trackingFailed(error)
  }
}
export { recordDetachedOutcome } from './detached-outcome.js'
