import { parseSetupId } from '../facts/setup-id.js'

/** Which setups a report covers; every field optional. */
export interface SetupFilter {
  /** Exact setup id. */
  readonly setup?: string | undefined
  /** Agent name, e.g. `build`. */
  readonly agent?: string | undefined
  /** Model as `provider/model` or just `model`, e.g. `anthropic/claude-sonnet-4-5`. */
  readonly model?: string | undefined
}

/** True when a setup passes the filter. */
export function matchesSetupFilter(setup: string, filter: SetupFilter): boolean {
  if (filter.setup !== undefined && setup !== filter.setup) return false
  if (filter.agent === undefined && filter.model === undefined) return true
  const parts = parseSetupId(setup)
  if (filter.agent !== undefined && parts.agent !== filter.agent) return false
  if (filter.model !== undefined) {
    const full = parts.provider === undefined ? undefined : `${parts.provider}/${parts.model ?? ''}`
    if (filter.model !== full && filter.model !== parts.model) return false
  }
  return true
}
