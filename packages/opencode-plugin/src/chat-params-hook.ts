import { OPENCODE_TITLE_AGENT as TITLE_AGENT } from '@agent-tracker/core'
import { field, textField } from './event-shapes.js'
import { guardHook } from './hook-guard.js'
import type { Notifier } from './notifier.js'
import type { CommandTurns } from './command-turns.js'
import type { SessionSetups } from './session-setups.js'

/**
 * The `chat.params` hook: learns which agent and provider/model a session runs — except in the
 * turn that answers the user's slash command, which is no setup's work; never throws.
 */
export function chatParamsHook(sessions: SessionSetups, commandTurns: CommandTurns, notifier: Notifier): (input: unknown) => Promise<void> {
  return guardHook(notifier, 'chat.params', (input: unknown) => {
    const fields = typeof input === 'object' && input !== null ? (input as Readonly<Record<string, unknown>>) : {}
    const sessionID = textField(fields, 'sessionID')
    const model = field(fields, 'model') ?? {}
    const agent = textField(fields, 'agent')
    const messageID = textField(field(fields, 'message') ?? {}, 'id')
    if (sessionID !== undefined && agent !== TITLE_AGENT && messageID !== undefined && commandTurns.claim(sessionID, messageID)) return
    if (sessionID !== undefined) sessions.observe(sessionID, { agent: textField(fields, 'agent'), providerID: textField(model, 'providerID'), modelID: textField(model, 'id') })
  })
}
