import type { SessionSetups } from './session-setups.js'

type ChatParamsInput = { sessionID: string; agent: string; model: { id: string; providerID: string } }

/** The `chat.params` hook: learns which agent and provider/model a session runs. */
export function chatParamsHook(sessions: SessionSetups): (input: ChatParamsInput) => Promise<void> {
  return (input: ChatParamsInput) => {
    sessions.observe(input.sessionID, { agent: input.agent, providerID: input.model.providerID, modelID: input.model.id })
    return Promise.resolve()
  }
}
