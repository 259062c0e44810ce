import { describeValue } from '../describe-value.js'
import { TrackerError } from '../errors.js'

/** How a setup is identified: agent and provider/model (default), or the agent name only. */
export type SetupIdentity = 'agent+model' | 'agent'

/** The identities a user may configure. */
export const SETUP_IDENTITIES: readonly SetupIdentity[] = ['agent+model', 'agent']

/** The parts of a setup id. Provider and model are absent for `agent` identity. */
export interface SetupParts {
  readonly agent: string
  readonly provider?: string
  readonly model?: string
}

/**
 * Builds a setup id: `<agent>@<provider>/<model>`, or `<agent>` for `agent` identity
 * or when provider/model are unknown.
 * @throws {TrackerError} INVALID_SETUP_ID when the agent name is empty or contains `@`.
 */
export function formatSetupId(parts: SetupParts, identity: SetupIdentity = 'agent+model'): string {
  const agent = parts.agent.trim()
  if (agent === '' || agent.includes('@')) {
    throw new TrackerError(
      'INVALID_SETUP_ID',
      `Invalid agent name ${describeValue(parts.agent)}: a non-empty name without "@" is required.`,
    )
  }
  if (identity === 'agent' || !parts.provider || !parts.model) return agent
  return `${agent}@${parts.provider}/${parts.model}`
}

/**
 * Splits a setup id into agent, provider and model. The model may itself contain `/` or `@`
 * (e.g. `openrouter/anthropic/claude` or Vertex `claude@20240229`).
 * @throws {TrackerError} INVALID_SETUP_ID naming the id and the accepted shapes.
 */
export function parseSetupId(id: string): SetupParts {
  const known = PARSED.get(id)
  if (known !== undefined) return known
  const parts = splitSetupId(id)
  if (PARSED.size >= 512) PARSED.clear()
  PARSED.set(id, parts)
  return parts
}

/** Setup ids already parsed (a session uses the same few over and over); frozen, so safe to share. */
const PARSED = new Map<string, SetupParts>()

function splitSetupId(id: string): SetupParts {
  const at = id.indexOf('@')
  if (at === -1) {
    if (id.trim() === '' || id !== id.trim()) throw invalidSetupId(id)
    return Object.freeze({ agent: id })
  }
  const agent = id.slice(0, at)
  const rest = id.slice(at + 1)
  const slash = rest.indexOf('/')
  const provider = slash === -1 ? '' : rest.slice(0, slash)
  const model = slash === -1 ? '' : rest.slice(slash + 1)
  if (agent === '' || provider === '' || model === '') throw invalidSetupId(id)
  return Object.freeze({ agent, provider, model })
}

function invalidSetupId(id: string): TrackerError {
  return new TrackerError(
    'INVALID_SETUP_ID',
    `Invalid setup id ${describeValue(id)}: expected "<agent>@<provider>/<model>" (e.g. build@anthropic/claude-sonnet-4-5) or "<agent>".`,
  )
}
