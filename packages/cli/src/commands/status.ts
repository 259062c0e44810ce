import type { AgentStatus } from '@agent-tracker/core'
import { formatStatusLine, setupReport, setupStatuses } from '@agent-tracker/core'
import type { CommandContext } from '../context.js'
import { estimateMark } from '../estimated-cost.js'
import { grade, money, percent, plural, score, tokens, when } from '../format.js'
import { requireSetup } from './lookups.js'

/** `status [setup]`: one setup's card, or a line per setup. */
export async function statusCommand(ctx: CommandContext, setup: string | undefined): Promise<void> {
  const store = await ctx.readStore()
  if (setup !== undefined) {
    const status = await requireSetup(store, setup)
    // How its cost is known: the part estimated from list prices, and responses without a known price (from its day rollups).
    const [row] = (await setupReport(store, { setup: status.setup })).rows
    const cost: CostKnown = { estimatedCost: row?.estimatedCost ?? 0, unpricedMessages: row?.unpricedMessages ?? 0 }
    ctx.print({ ...status, ...cost }, () => card(ctx, status, cost))
    return
  }
  const all = await setupStatuses(store)
  ctx.print(all, () => (all.length === 0 ? 'No setups recorded yet. Install the OpenCode plugin (agent-tracker init) or feed facts with agent-tracker ingest.' : all.map((s) => formatStatusLine(s)).join('\n')))
}

/** How much of a setup's cost is an estimate, and how many of its responses have no known price. */
interface CostKnown {
  readonly estimatedCost: number
  readonly unpricedMessages: number
}

/** The usage line's cost (of a setup with usage recorded), marked `~` when part of it is estimated from list prices. */
function usageCost(state: AgentStatus['state'], cost: CostKnown): string {
  const spent = `${estimateMark(cost.estimatedCost > 0)}${money(state.cost)}${cost.estimatedCost > 0 ? ' (~ estimated from list prices)' : ''}`
  return cost.unpricedMessages === 0 ? spent : `${spent}, and ${plural(cost.unpricedMessages, 'response')} of a model without a known price not in it`
}

function card(ctx: CommandContext, status: AgentStatus, cost: CostKnown): string {
  const { state } = status
  const c = ctx.colours
  const failureRate = state.toolCalls === 0 ? null : state.toolFailures / state.toolCalls
  const lines = [
    c.bold(status.setup),
    `  Skill points   ${score(state.skillPoints)}  ${status.trustTier}`,
    `  Experience     ${score(state.experience)} / ${score(status.nextLevelAt)} ${!status.halted && state.experience >= status.nextLevelAt ? 'to the next skill point: reached, it levels up with the next fact (imported scores add up without levelling up)' : 'to the next skill point'}`,
    `  Communication  ${score(state.communication)}  ${status.communicationTier}`,
    `  Commits        ${String(state.commits)} (${plural(state.pushes, 'push', 'pushes')}), ${plural(state.bugs, 'bug')}`,
    `  Grades         agent ${state.agentGrades.count === 0 ? '–' : grade(state.agentGrades.sum / state.agentGrades.count)} (${String(state.agentGrades.count)}), user ${state.userGrades.count === 0 ? '–' : grade(state.userGrades.sum / state.userGrades.count)} (${String(state.userGrades.count)})`,
    `  Tool calls     ${String(state.toolCalls)}, ${percent(failureRate)} failed`,
    state.messages === 0
      ? '  Usage          none recorded: tokens and cost unknown'
      : `  Usage          ${tokens(state.tokens.input + state.tokens.output + state.tokens.reasoning)} tokens, ${usageCost(state, cost)} over ${plural(state.messages, 'message')}`,
    `  Active         ${when(status.firstSeenAt)} – ${when(status.lastSeenAt)}`,
  ]
  if (status.halted) {
    lines.push(c.red(`  HALTED${status.haltedAt === undefined ? '' : ` since ${when(status.haltedAt)}`}: it lost all skill points. Reinstate with /reinstate in OpenCode or: agent-tracker reinstate ${status.setup}`))
  }
  return lines.join('\n')
}
