import type { TrackerStore, TrackingService, UserCommand } from '@agent-tracker/core'
import { gradeLabel, latestSetupIn, parseGradeArguments, unquoteArguments } from '@agent-tracker/core'
import { statusCardText } from './status-card.js'

/** A user command as a host received it. */
export interface UserCommandInput {
  readonly command: UserCommand
  /** The arguments as typed; quotes a host wrapped them in are undone. */
  readonly arguments: string
  /** The project the command was given in. */
  readonly project: string
  readonly session?: string | undefined
  /** The setup of the session the command was given in, when the host knows it. */
  readonly sessionSetup?: string | undefined
}

/**
 * Runs a user command — `/grade`, `/bug`, `/reinstate`, `/tracker`: the user's own channel, so the
 * only place besides the CLI a user grade comes from — about the session's setup, else the one that
 * last worked in the project, and says what it did in a sentence for the user.
 * @throws {TrackerError} for a bad grade, a commit that is already graded, or a store failure.
 */
export async function runUserCommand(service: TrackingService, store: TrackerStore, input: UserCommandInput): Promise<string> {
  const setup = input.sessionSetup ?? (await latestSetupIn(store, input.project))
  if (input.command === 'grade' && setup === undefined) return 'There is no commit by an agent in this project yet, so there is nothing to grade.'
  if (setup === undefined) return 'No agent has worked in this project yet.'
  const facts = { setup, project: input.project, ...(input.session === undefined ? {} : { session: input.session }) }
  switch (input.command) {
    case 'grade': {
      const { userGrade, agentGrade, note } = parseGradeArguments(input.arguments)
      const outcome = await service.userGrade({ ...facts, channel: 'slash-command', userGrade, ...(agentGrade === undefined ? {} : { agentGrade }), ...(note === undefined ? {} : { note }) })
      const retro = outcome.retrospective
      const grades = [retro?.agentGrade === undefined ? undefined : `agent ${gradeLabel(retro.agentGrade)}`, `user ${gradeLabel(userGrade)}`].filter((part) => part !== undefined).join(', ')
      return `Graded ${outcome.commit.hash.slice(0, 8)} (${outcome.commit.message}) of ${setup}: ${grades}. Communication score now ${outcome.status.state.communication.toFixed(1)} (${outcome.status.communicationTier}).`
    }
    case 'bug': {
      const note = unquoteArguments(input.arguments)
      const status = await service.reportBug({ ...facts, by: 'user', ...(note === '' ? {} : { note }) })
      return `Bug recorded against ${setup}. ${statusCardText(status)}`
    }
    case 'reinstate': {
      const outcome = await service.reinstate(facts)
      return outcome.reinstated ? `${setup} is reinstated and may work again. ${statusCardText(outcome.status)}` : `${setup} is not halted; nothing changed.`
    }
    case 'tracker': {
      const status = await service.getStatus(setup)
      return status === undefined ? `${setup} has no recorded work yet.` : statusCardText(status)
    }
  }
}
