import type { TrackerStore, TrackingService, UserCommand } from '@agent-tracker/core'
import { evidenceHandle, findEvidence, fixDescription, gradeLabel, latestSetupIn, listEvidence, parseGradeArguments, unquoteArguments, verdictFacts } from '@agent-tracker/core'
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
  if (input.command === 'bug') {
    const answer = await suspectedBugCommand(service, store, input)
    if (answer !== undefined) return answer
  }
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
      return `Graded ${outcome.commit.hash.slice(0, 8)}${outcome.commit.message.trim() === '' ? '' : ` (${outcome.commit.message})`} of ${setup}: ${grades}. Communication score now ${outcome.status.state.communication.toFixed(1)} (${outcome.status.communicationTier}).`
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

const VERDICT = /^(confirm|dismiss)\s+(\S+)\s*(.*)$/s

/**
 * `/bug confirm <handle> [note]` and `/bug dismiss <handle> [note]`: the user's verdict on a
 * suspected bug git evidence found; `/bug` alone, while the project has suspected bugs waiting,
 * lists them. Undefined when the command is an ordinary bug report.
 */
async function suspectedBugCommand(service: TrackingService, store: TrackerStore, input: UserCommandInput): Promise<string | undefined> {
  const text = unquoteArguments(input.arguments).trim()
  const verdict = VERDICT.exec(text)
  if (verdict !== null) {
    const record = await findEvidence(store, verdict[2] ?? '', { signal: 'suspected-bug' })
    const note = (verdict[3] ?? '').trim()
    const decision = verdict[1] === 'confirm' ? 'confirmed' : 'dismissed'
    await store.applyFacts(verdictFacts(record, decision, new Date().toISOString(), note === '' ? undefined : note))
    const what = `suspected bug ${evidenceHandle(record)} (commit ${record.commit.slice(0, 8)} of ${record.setup}, fixed by ${record.source.slice(0, 8)})`
    if (decision === 'dismissed') return `Dismissed the ${what}.`
    const status = await service.getStatus(record.setup)
    return `Confirmed the ${what} as a bug.${status === undefined ? '' : ` ${statusCardText(status)}`}`
  }
  if (text !== '') return undefined
  const pending = await listEvidence(store, { project: input.project, signal: 'suspected-bug', status: 'open' })
  if (pending.length === 0) return undefined
  return [
    `Suspected bugs from git evidence waiting for your verdict (${String(pending.length)}):`,
    ...pending.map((record) => `- ${evidenceHandle(record)}: commit ${record.commit.slice(0, 8)} of ${record.setup}; fix ${record.source.slice(0, 8)}${fixDescription(record, { files: false })}`),
    'Confirm one with /bug confirm <handle> (it becomes a bug, SP −1), dismiss it with /bug dismiss <handle>, or report a new bug with /bug <what went wrong>.',
  ].join('\n')
}
