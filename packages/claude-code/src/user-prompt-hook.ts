import { isUserCommand } from '@agent-tracker/core/host'
import { runUserCommand } from '@agent-tracker/node-host'
import type { HookInput } from './hook-input.js'
import type { HookOptions } from './hook-options.js'
import { hookSetup } from './hook-options.js'
import type { HookReply } from './hook-reply.js'
import { blockPrompt } from './hook-reply.js'
import { withHookTracker } from './open-hook-tracker.js'

/**
 * `UserPromptSubmit`: the user's own `/grade`, `/bug`, `/reinstate` and `/tracker` — only a user
 * types a prompt, and the installed command files keep the model from invoking them — run about
 * the session's setup (else the one that last worked in the project), and kept from the model: the
 * prompt is blocked with the outcome, which Claude Code shows the user. The tool hooks' pending facts
 * are written first, so a commit just made can be graded.
 */
export async function userPromptHook(input: HookInput, options: HookOptions): Promise<HookReply> {
  const prompt = typeof input.fields.prompt === 'string' ? input.fields.prompt : ''
  const [, name = '', args = ''] = /^\s*\/([\w-]+)\s*(.*)$/s.exec(prompt) ?? []
  if (!isUserCommand(name)) return { exitCode: 0 }
  try {
    const reply = await withHookTracker(input, options, (tracker) => runUserCommand(tracker.service, tracker.buffer, { command: name, arguments: args, project: tracker.project, session: input.session, sessionSetup: hookSetup(input, options) }))
    return blockPrompt(`[agent-tracker] ${reply}`)
  } catch (error) {
    return blockPrompt(`[agent-tracker] /${name} failed: ${error instanceof Error ? error.message : String(error)}`)
  }
}
