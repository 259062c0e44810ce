import type { AgentState, GradeTally } from './agent-state.js'
import { communicationCap, isHalted, roundScore } from './agent-state.js'
import type { Fact, TokenUsage } from '../facts/facts.js'
import type { Grade } from '../facts/grade.js'
import { isCountedGrade } from '../facts/grade-channel.js'
import type { Mutable } from '../mutable.js'
import { countedCost } from '../facts/counted-cost.js'
import type { ScoringRules } from './rules.js'

/**
 * The scoring reducer: the state after `fact`. Pure and deterministic — the same facts in the
 * same order give the same state in any process. Never throws for a well-formed fact.
 */
export function applyFact(state: AgentState, fact: Fact, rules: ScoringRules): AgentState {
  const next: Mutable<AgentState> = { ...state }
  applyFactInPlace(next, fact, rules)
  return next
}

/** Applies facts in order, starting from `state`. */
export function applyFacts(state: AgentState, facts: Iterable<Fact>, rules: ScoringRules): AgentState {
  let next = state
  for (const fact of facts) next = applyFact(next, fact, rules)
  return next
}

/**
 * {@link applyFact} on a state the caller owns, changed in place: a planner applying many facts to
 * one setup copies its state once instead of once per fact. Each field changes as a copy with that
 * field replaced would have it, so the result equals `applyFact`'s, down to the order of fields.
 */
export function applyFactInPlace(state: Mutable<AgentState>, fact: Fact, rules: ScoringRules): void {
  applyEffect(state, fact, rules)
  settle(state, rules)
}

function applyEffect(state: Mutable<AgentState>, fact: Fact, rules: ScoringRules): void {
  const gain = rules.experience
  switch (fact.kind) {
    case 'tool_call':
      state.toolCalls = state.toolCalls + 1
      if (fact.ok) state.experience = state.experience + roundScore(gain.toolCall)
      else state.toolFailures = state.toolFailures + 1
      return
    case 'command':
      state.commands = state.commands + 1
      state.experience = state.experience + gain.command
      return
    case 'commit':
      state.commits = state.commits + 1
      state.experience = state.experience + gain.commit
      return
    case 'push':
      state.pushes = state.pushes + 1
      state.experience = state.experience + gain.push
      return
    case 'grade':
      // A user grade from a channel not the user's, not vouched for, is kept as a record only.
      if (!isCountedGrade(fact)) return
      state.communication = state.communication + (fact.agentGrade ?? 0) + (fact.userGrade ?? 0)
      state.experience = state.experience + (fact.userGrade === undefined ? 0 : gain.gradedCommit)
      state.agentGrades = tally(state.agentGrades, fact.agentGrade)
      state.userGrades = tally(state.userGrades, fact.userGrade)
      return
    case 'bug':
      state.bugs = state.bugs + 1
      state.skillPoints = Math.max(0, state.skillPoints - rules.bug.skillPointPenalty)
      return
    case 'reinstate':
      if (isHalted(state)) state.skillPoints = rules.reinstate.skillPoints
      return
    case 'usage':
      state.messages = state.messages + 1
      state.tokens = addTokens(state.tokens, fact.tokens)
      state.cost = state.cost + countedCost(fact)
      return
    case 'retrospective':
    case 'activity':
    case 'evidence':
    case 'verdict':
      return
  }
}

/**
 * Applies a run of consecutive tool calls in one step, in place, with exactly the result of
 * applying them one by one: each call's gain is rounded as a single call's would be, and level-ups
 * consume the same thresholds in the same order whether they are checked per call or at the end
 * (tool calls change no skill point except by levelling up, and no communication score).
 */
export function applyToolCallRunInPlace(state: Mutable<AgentState>, succeeded: number, failed: number, rules: ScoringRules): void {
  const gain = roundScore(rules.experience.toolCall)
  state.toolCalls = state.toolCalls + succeeded + failed
  state.toolFailures = state.toolFailures + failed
  state.experience = state.experience + succeeded * gain
  settle(state, rules)
}

/** Rounds, levels up while XP ≥ factor × SP (never while halted), then clamps CS. */
function settle(state: Mutable<AgentState>, rules: ScoringRules): void {
  let skillPoints = roundScore(state.skillPoints)
  let experience = roundScore(state.experience)
  const factor = rules.levelUp.experiencePerSkillPoint
  while (skillPoints > 0 && experience >= roundScore(factor * skillPoints)) {
    experience = roundScore(experience - factor * skillPoints)
    skillPoints = roundScore(skillPoints + 1)
  }
  const cap = communicationCap(skillPoints, rules)
  const communication = roundScore(Math.min(cap, Math.max(0, state.communication)))
  state.skillPoints = skillPoints
  state.experience = experience
  state.communication = communication
}

function tally(current: GradeTally, grade: Grade | undefined): GradeTally {
  return grade === undefined ? current : { count: current.count + 1, sum: current.sum + grade }
}

/** Sums two token counts field by field. */
export function addTokens(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    input: a.input + b.input,
    output: a.output + b.output,
    reasoning: a.reasoning + b.reasoning,
    cacheRead: a.cacheRead + b.cacheRead,
    cacheWrite: a.cacheWrite + b.cacheWrite,
  }
}
