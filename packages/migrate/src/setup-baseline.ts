import type { AgentState, GradeTally, ScoringRules, SetupRecord, TokenUsage } from '@agent-tracker/core'
import { initialState } from '@agent-tracker/core'

/**
 * What a setup of another database holds beyond the facts of its log (replayed alone into
 * `replayed`): scores and counts a legacy import brought, which no fact backs. Returned as a setup
 * record whose state is the rules' start plus that part, ready to be added as the other database's
 * part; undefined when its facts explain all of it. Counts never go below what the facts gave (a
 * source with fewer commits than its own facts made has lost nothing to add).
 */
export function baselineOf(stored: SetupRecord, replayed: SetupRecord | undefined, rules: ScoringRules): SetupRecord | undefined {
  const start = initialState(rules)
  const facts = replayed?.state ?? start
  const s = stored.state
  const more = (a: number, b: number): number => Math.max(0, a - b)
  const tally = (a: GradeTally, b: GradeTally): GradeTally => ({ count: more(a.count, b.count), sum: a.count > b.count ? a.sum - b.sum : 0 })
  const tokens = (a: TokenUsage, b: TokenUsage): TokenUsage => ({
    input: more(a.input, b.input), output: more(a.output, b.output), reasoning: more(a.reasoning, b.reasoning),
    cacheRead: more(a.cacheRead, b.cacheRead), cacheWrite: more(a.cacheWrite, b.cacheWrite),
  })
  const part: AgentState = {
    skillPoints: Math.max(0, start.skillPoints + s.skillPoints - facts.skillPoints),
    experience: Math.max(0, start.experience + s.experience - facts.experience),
    communication: Math.max(0, start.communication + s.communication - facts.communication),
    commits: more(s.commits, facts.commits),
    pushes: more(s.pushes, facts.pushes),
    bugs: more(s.bugs, facts.bugs),
    toolCalls: more(s.toolCalls, facts.toolCalls),
    toolFailures: Math.min(more(s.toolFailures, facts.toolFailures), more(s.toolCalls, facts.toolCalls)),
    commands: more(s.commands, facts.commands),
    agentGrades: tally(s.agentGrades, facts.agentGrades),
    userGrades: tally(s.userGrades, facts.userGrades),
    messages: more(s.messages, facts.messages),
    tokens: tokens(s.tokens, facts.tokens),
    cost: more(s.cost, facts.cost),
  }
  if (JSON.stringify(part) === JSON.stringify(start)) return undefined
  return { ...stored, state: part }
}
