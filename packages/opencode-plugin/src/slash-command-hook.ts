import type { UserCommand } from '@agent-tracker/core'
import { isUserCommand, opencodeCommandTurnPrompt } from '@agent-tracker/core'
import type { Tracker } from '@agent-tracker/node-host'
import { runUserCommand } from '@agent-tracker/node-host/hooks'
import { guardHook } from './hook-guard.js'
import { pausedReason } from './open-runtime.js'
import { inPluginTerms } from './plugin-errors.js'
import type { TrackerContext } from './tracker-context.js'

type CommandInput = { command: string; sessionID: string; arguments: string }

/**
 * The `command.execute.before` hook: runs `/grade`, `/bug`, `/reinstate` and `/tracker` — the
 * user's own channel, so the only place besides the CLI a user grade comes from — toasts the
 * outcome and replaces the command's prompt with it, for the agent to acknowledge.
 */
export function slashCommandHook(context: TrackerContext): (input: CommandInput, output: { parts: unknown[] }) => Promise<void> {
  return guardHook(context.notifier, 'command.execute.before', async (input: CommandInput, output: { parts: unknown[] }) => {
    if (!isUserCommand(input.command)) return
    const runtime = await context.runtime
    context.commandTurns.expect(input.sessionID)
    let reply: string
    try {
      // Paused (a database that cannot be opened or written): said as a failure, or the command's own
      // prompt would reach the model, which would take the grade for recorded.
      if (runtime === undefined) throw new Error(`tracking is paused — ${pausedReason(context.notifier) ?? 'see agent-tracker doctor'}. Nothing was recorded.`)
      reply = await runSlashCommand(context, runtime, input.command, input.sessionID, input.arguments)
      context.notifier.toast(reply, 'success')
    } catch (error) {
      reply = `agent-tracker could not do /${input.command}: ${inPluginTerms(error)}`
      context.notifier.toast(reply, 'error')
    }
    output.parts.splice(0, output.parts.length, { type: 'text', text: opencodeCommandTurnPrompt(reply) })
  })
}

/**
 * Runs one of the plugin's slash commands (see the kit's `runUserCommand`) and says what it did.
 * @throws {TrackerError} for a bad grade or a commit that is already graded.
 */
export async function runSlashCommand(context: TrackerContext, runtime: Tracker, command: UserCommand, sessionID: string, text: string): Promise<string> {
  // A commit made just before is still being recorded in the background.
  await context.settled()
  const pendingBefore = runtime.buffer.pendingCount
  const answer = await runUserCommand(runtime.service, runtime.buffer, { command, arguments: text, project: context.project, session: sessionID, sessionSetup: context.sessions.setupOf(sessionID) })
  // Recorded (it added facts), but written only once another process lets go of the write lock (or by the next host, should OpenCode end first).
  const holder = runtime.buffer.pendingCount > pendingBefore ? runtime.store.writeLockHolder() : undefined
  return holder?.state === 'held' ? `${answer} (Not in the database yet: another process (${String(holder.pid)}) holds its write lock — an agent-tracker merge, import or doctor --repair, or a command stopped with Ctrl-Z. It is written once that process lets go; should OpenCode end first, it waits in ${runtime.store.path}.pending for the next write of any agent-tracker host.)` : answer
}
