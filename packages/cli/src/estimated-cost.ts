import type { SetupReportRow } from '@agent-tracker/core'
import { moneyPerCommit } from './format.js'

type CostRow = Pick<SetupReportRow, 'costPerCommit' | 'estimatedCost' | 'unpricedMessages'>

/** Cost per commit, marked `~` when part of it is estimated from list prices (the host recorded none). */
export function costPerCommitCell(row: CostRow): string {
  return `${row.estimatedCost > 0 && row.costPerCommit !== null ? '~' : ''}${moneyPerCommit(row.costPerCommit)}`
}

/** What the cost column does not say by itself: which costs are estimates, and which responses have no price. */
export function costNotes(rows: readonly CostRow[]): string[] {
  const unpriced = rows.reduce((sum, row) => sum + row.unpricedMessages, 0)
  return [
    ...(rows.some((row) => row.estimatedCost > 0 && row.costPerCommit !== null) ? ['~ cost includes estimates from list prices, where the agent host recorded no cost (Claude Code, Codex).'] : []),
    ...(unpriced > 0 ? [`${String(unpriced)} response(s) of models without a known price are not in the cost.`] : []),
  ]
}
