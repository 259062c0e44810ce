import type { SetupReportRow } from '@agent-tracker/core'
import { moneyPerCommit } from './format.js'

type CostRow = Pick<SetupReportRow, 'setup' | 'commits' | 'messages' | 'costPerCommit' | 'estimatedCost' | 'unpricedMessages'>

/** A cost marked `~` when it is estimated from list prices (the host recorded none), as every cost display marks it. */
export function estimateMark(estimated: boolean): string {
  return estimated ? '~' : ''
}

/** Cost per commit, marked `~` when part of it is estimated from list prices; `–` when unknown. */
export function costPerCommitCell(row: Pick<CostRow, 'costPerCommit' | 'estimatedCost'>): string {
  return `${estimateMark(row.estimatedCost > 0 && row.costPerCommit !== null)}${moneyPerCommit(row.costPerCommit)}`
}

/** What the cost column does not say by itself: which costs are estimates, and whose cost is unknown and why. */
export function costNotes(rows: readonly CostRow[]): string[] {
  // A grouped report shows a setup once per group: each is named once, with its unpriced responses added up.
  const unpriced = [...rows.reduce((sums, row) => (row.unpricedMessages > 0 ? sums.set(row.setup, (sums.get(row.setup) ?? 0) + row.unpricedMessages) : sums), new Map<string, number>())]
  const noUsage = [...new Set(rows.filter((row) => row.commits > 0 && row.messages === 0).map((row) => row.setup))]
  return [
    ...(rows.some((row) => row.estimatedCost > 0 && row.costPerCommit !== null) ? ['~ cost includes estimates from list prices, where the agent host recorded no cost (Claude Code, Codex).'] : []),
    ...(unpriced.length === 0 ? [] : [`Cost unknown (–) for ${unpriced.map(([setup, count]) => `${setup} (${String(count)} response(s) of a model without a known price)`).join(', ')}.`]),
    ...(noUsage.length === 0 ? [] : [`Cost and tokens unknown (–) for ${noUsage.join(', ')}: no usage recorded for the work shown.`]),
  ]
}
