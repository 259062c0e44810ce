import { field, textField } from './event-shapes.js'
import { guardHook } from './hook-guard.js'
import type { Notifier } from './notifier.js'
import type { SessionSetups } from './session-setups.js'

/** The `chat.params` hook: learns which agent and provider/model a session runs; never throws. */
export function chatParamsHook(sessions: SessionSetups, notifier: Notifier): (input: unknown) => Promise<void> {
  return guardHook(notifier, 'chat.params', (input: unknown) => {
    const fields = typeof input === 'object' && input !== null ? (input as Readonly<Record<string, unknown>>) : {}
    const sessionID = textField(fields, 'sessionID')
    const model = field(fields, 'model') ?? {}
    if (sessionID !== undefined) sessions.observe(sessionID, { agent: textField(fields, 'agent'), providerID: textField(model, 'providerID'), modelID: textField(model, 'id') })
  })
}
