import { gradeLabel } from '@agent-tracker/core'
import { statusText } from './agent-tools.js'
import { messageOf } from './hook-guard.js'
import type { SlashCommand } from './slash-commands.js'
import { isSlashCommand, parseGradeArguments, unquote } from './slash-commands.js'
import type { TrackerContext } from './tracker-context.js'
import type { TrackerRuntime } from './tracker-runtime.js'

type CommandInput = { command: string; sessionID: string; arguments: string }

/**
 * The `command.execute.before` hook: runs `/grade`, `/bug`, `/reinstate` and `/tracker` — the
 * user's own channel, so the only place besides the CLI a user grade comes from — toasts the
 * outcome and replaces the command's prompt with it, for the agent to acknowledge.
 */
export function slashCommandHook(context: TrackerContext): (input: CommandInput, output: { parts: unknown[] }) => Promise<void> {
  return context.whenTracking('command.execute.before', async (runtime, input: CommandInput, output: { parts: unknown[] }) => {
    if (!isSlashCommand(input.command)) return
    let reply: string
    try {
      reply = await runSlashCommand(context, runtime, input.command, input.sessionID, input.arguments)
      context.notifier.toast(reply, 'success')
    } catch (error) {
      reply = `agent-tracker could not do /${input.command}: ${messageOf(error)}`
      context.notifier.toast(reply, 'error')
    }
    output.parts.splice(0, output.parts.length, { type: 'text', text: `[agent-tracker] ${reply}\nAcknowledge this to the user in one short sentence. Do not change any files.` })
  })
}

/**
 * Runs one of the plugin's slash commands and says what it did.
 * @throws {TrackerError} for a bad grade or a commit that is already graded.
 */
export async function runSlashCommand(context: TrackerContext, runtime: TrackerRuntime, command: SlashCommand, sessionID: string, text: string): Promise<string> {
  // A commit made just before is still being recorded in the background.
  await context.settled()
  const setup = await context.setupForCommand(runtime, sessionID)
  if (command === 'grade' && setup === undefined) return 'There is no commit by an agent in this project yet, so there is nothing to grade.'
  if (setup === undefined) return 'No agent has worked in this project yet.'
  const facts = { setup, project: context.project, session: sessionID }
  switch (command) {
    case 'grade': {
      const { userGrade, agentGrade, note } = parseGradeArguments(text)
      const outcome = await runtime.service.userGrade({ ...facts, userGrade, ...(agentGrade === undefined ? {} : { agentGrade }), ...(note === undefined ? {} : { note }) })
      const retro = outcome.retrospective
      const grades = [retro?.agentGrade === undefined ? undefined : `agent ${gradeLabel(retro.agentGrade)}`, `user ${gradeLabel(userGrade)}`].filter((part) => part !== undefined).join(', ')
      return `Graded ${outcome.commit.hash.slice(0, 8)} (${outcome.commit.message}) of ${setup}: ${grades}. Communication score now ${outcome.status.state.communication.toFixed(1)} (${outcome.status.communicationTier}).`
    }
    case 'bug': {
      const note = unquote(text)
      const status = await runtime.service.reportBug({ ...facts, by: 'user', ...(note === '' ? {} : { note }) })
      return `Bug recorded against ${setup}. ${statusText(status)}`
    }
    case 'reinstate': {
      const outcome = await runtime.service.reinstate(facts)
      return outcome.reinstated ? `${setup} is reinstated and may work again. ${statusText(outcome.status)}` : `${setup} is not halted; nothing changed.`
    }
    case 'tracker': {
      const status = await runtime.service.getStatus(setup)
      return status === undefined ? `${setup} has no recorded work yet.` : statusText(status)
    }
  }
}
