import type { AgentStatus } from '@agent-tracker/core'
import { formatStatusLine } from '@agent-tracker/core'

/** A setup's status card as one line of text for agents and notifications; a halted setup's says how the user reinstates it. */
export function statusCardText(status: AgentStatus): string {
  const line = formatStatusLine(status)
  return status.halted ? `${line}. HALTED: tool calls are blocked until the user runs /reinstate (or agent-tracker reinstate ${status.setup}).` : line
}
