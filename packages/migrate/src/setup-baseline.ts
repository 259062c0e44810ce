import type { AgentState, GradeTally, ScoringRules, SetupRecord, TokenUsage } from '@agent-tracker/core'
import { initialState } from '@agent-tracker/core'

/**
 * What a setup of another database holds beyond the facts of its log and the parts it imported:
 * scores and counts a legacy import brought, which no fact backs. Its facts were replayed alone
 * into `replayed`, from `from` — the rules' start, or for a setup holding imported parts, those
 * parts added up (so that a level-up they made with its facts is the replay's, not a part of its
 * own). Returned as a setup record whose state is `from` plus that part, keeping the record's
 * `imports` (so its own part is the state without them), ready to be added as the other database's
 * part; undefined when its facts explain all of it. Counts never go below what the replay gave (a
 * source with fewer commits than its own facts made has lost nothing to add).
 */
export function baselineOf(stored: SetupRecord, replayed: SetupRecord | undefined, rules: ScoringRules, from: AgentState = initialState(rules)): SetupRecord | undefined {
  const start = initialState(rules)
  const facts = replayed?.state ?? from
  const s = stored.state
  const more = (a: number, b: number): number => Math.max(0, a - b)
  const tally = (base: GradeTally, a: GradeTally, b: GradeTally): GradeTally => ({ count: base.count + more(a.count, b.count), sum: base.sum + (a.count > b.count ? a.sum - b.sum : 0) })
  const tokens = (base: TokenUsage, a: TokenUsage, b: TokenUsage): TokenUsage => ({
    input: base.input + more(a.input, b.input), output: base.output + more(a.output, b.output), reasoning: base.reasoning + more(a.reasoning, b.reasoning),
    cacheRead: base.cacheRead + more(a.cacheRead, b.cacheRead), cacheWrite: base.cacheWrite + more(a.cacheWrite, b.cacheWrite),
  })
  const part: AgentState = {
    skillPoints: Math.max(0, from.skillPoints + s.skillPoints - facts.skillPoints),
    experience: Math.max(0, from.experience + s.experience - facts.experience),
    communication: Math.max(0, from.communication + s.communication - facts.communication),
    commits: from.commits + more(s.commits, facts.commits),
    pushes: from.pushes + more(s.pushes, facts.pushes),
    bugs: from.bugs + more(s.bugs, facts.bugs),
    toolCalls: from.toolCalls + more(s.toolCalls, facts.toolCalls),
    toolFailures: from.toolFailures + Math.min(more(s.toolFailures, facts.toolFailures), more(s.toolCalls, facts.toolCalls)),
    commands: from.commands + more(s.commands, facts.commands),
    agentGrades: tally(from.agentGrades, s.agentGrades, facts.agentGrades),
    userGrades: tally(from.userGrades, s.userGrades, facts.userGrades),
    messages: from.messages + more(s.messages, facts.messages),
    tokens: tokens(from.tokens, s.tokens, facts.tokens),
    cost: from.cost + more(s.cost, facts.cost),
  }
  if (JSON.stringify(part) === JSON.stringify(start)) return undefined
  return { ...stored, state: part }
}
