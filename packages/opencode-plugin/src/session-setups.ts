import type { SetupIdentity } from '@agent-tracker/core'
import { OPENCODE_TITLE_AGENT as TITLE_AGENT, formatSetupId } from '@agent-tracker/core'

interface Seen {
  agent?: string
  providerID?: string
  modelID?: string
}

/**
 * Which setup (agent + provider/model) each session runs. `tool.execute.*` inputs carry only a
 * session id, so the plugin learns agent and model from `chat.params` and `message.updated` and
 * keeps them here. Subagents run in child sessions and so get their own setup.
 */
export class SessionSetups {
  readonly #sessions = new Map<string, Seen>()
  readonly #identity: SetupIdentity

  constructor(identity: SetupIdentity) {
    this.#identity = identity
  }

  /** Learns from what a session is running; ignores OpenCode's hidden title agent. */
  observe(sessionID: string, seen: { agent?: string | undefined; providerID?: string | undefined; modelID?: string | undefined }): void {
    if (seen.agent === TITLE_AGENT || sessionID === '') return
    const known = this.#sessions.get(sessionID) ?? {}
    this.#sessions.set(sessionID, {
      ...known,
      ...(nonEmpty(seen.agent) ? { agent: seen.agent } : {}),
      ...(nonEmpty(seen.providerID) ? { providerID: seen.providerID } : {}),
      ...(nonEmpty(seen.modelID) ? { modelID: seen.modelID } : {}),
    })
  }

  /** The session's setup id, or undefined before its agent is known. */
  setupOf(sessionID: string, agentHint?: string): string | undefined {
    const seen = this.#sessions.get(sessionID)
    const agent = nonEmpty(agentHint) ? agentHint : seen?.agent
    if (agent === undefined || agent === TITLE_AGENT) return undefined
    try {
      return formatSetupId({ agent, ...(seen?.providerID === undefined ? {} : { provider: seen.providerID }), ...(seen?.modelID === undefined ? {} : { model: seen.modelID }) }, this.#identity)
    } catch {
      return undefined
    }
  }

  /** Forgets a deleted session. */
  forget(sessionID: string): void {
    this.#sessions.delete(sessionID)
  }
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== ''
}
