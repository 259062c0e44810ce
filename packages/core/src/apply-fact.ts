import type { AgentState, GradeTally } from './agent-state.js'
import { communicationCap, isHalted, roundScore } from './agent-state.js'
import type { Fact, TokenUsage } from './facts.js'
import type { Grade } from './grade.js'
import type { ScoringRules } from './rules.js'

/**
 * The scoring reducer: the state after `fact`. Pure and deterministic — the same facts in the
 * same order give the same state in any process. Never throws for a well-formed fact.
 */
export function applyFact(state: AgentState, fact: Fact, rules: ScoringRules): AgentState {
  return settle(applyEffect(state, fact, rules), rules)
}

/** Applies facts in order, starting from `state`. */
export function applyFacts(state: AgentState, facts: Iterable<Fact>, rules: ScoringRules): AgentState {
  let next = state
  for (const fact of facts) next = applyFact(next, fact, rules)
  return next
}

function applyEffect(state: AgentState, fact: Fact, rules: ScoringRules): AgentState {
  const gain = rules.experience
  switch (fact.kind) {
    case 'tool_call':
      return fact.ok
        ? { ...state, toolCalls: state.toolCalls + 1, experience: state.experience + roundScore(gain.toolCall) }
        : { ...state, toolCalls: state.toolCalls + 1, toolFailures: state.toolFailures + 1 }
    case 'command':
      return { ...state, commands: state.commands + 1, experience: state.experience + gain.command }
    case 'commit':
      return { ...state, commits: state.commits + 1, experience: state.experience + gain.commit }
    case 'push':
      return { ...state, pushes: state.pushes + 1, experience: state.experience + gain.push }
    case 'grade':
      return {
        ...state,
        communication: state.communication + (fact.agentGrade ?? 0) + (fact.userGrade ?? 0),
        experience: state.experience + (fact.userGrade === undefined ? 0 : gain.gradedCommit),
        agentGrades: tally(state.agentGrades, fact.agentGrade),
        userGrades: tally(state.userGrades, fact.userGrade),
      }
    case 'bug':
      return {
        ...state,
        bugs: state.bugs + 1,
        skillPoints: Math.max(0, state.skillPoints - rules.bug.skillPointPenalty),
      }
    case 'reinstate':
      return isHalted(state) ? { ...state, skillPoints: rules.reinstate.skillPoints } : state
    case 'usage':
      return {
        ...state,
        messages: state.messages + 1,
        tokens: addTokens(state.tokens, fact.tokens),
        cost: state.cost + fact.cost,
      }
    case 'retrospective':
    case 'activity':
      return state
  }
}

/**
 * Applies a run of consecutive tool calls in one step, with exactly the result of applying them
 * one by one: each call's gain is rounded as a single call's would be, and level-ups consume
 * the same thresholds in the same order whether they are checked per call or at the end
 * (tool calls change no skill point except by levelling up, and no communication score).
 */
export function applyToolCallRun(state: AgentState, succeeded: number, failed: number, rules: ScoringRules): AgentState {
  const gain = roundScore(rules.experience.toolCall)
  return settle({
    ...state,
    toolCalls: state.toolCalls + succeeded + failed,
    toolFailures: state.toolFailures + failed,
    experience: state.experience + succeeded * gain,
  }, rules)
}

/** Rounds, levels up while XP ≥ factor × SP (never while halted), then clamps CS. */
function settle(state: AgentState, rules: ScoringRules): AgentState {
  let skillPoints = roundScore(state.skillPoints)
  let experience = roundScore(state.experience)
  const factor = rules.levelUp.experiencePerSkillPoint
  while (skillPoints > 0 && experience >= roundScore(factor * skillPoints)) {
    experience = roundScore(experience - factor * skillPoints)
    skillPoints = roundScore(skillPoints + 1)
  }
  const cap = communicationCap(skillPoints, rules)
  const communication = roundScore(Math.min(cap, Math.max(0, state.communication)))
  return { ...state, skillPoints, experience, communication }
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
