import type { SetupRecord } from '../store/records.js'
import type { SetupTotalsRecord } from './setup-totals.js'
import { emptySetupTotals } from './setup-totals.js'

/** One number of a setup's scored state that differs from what its records and logged facts add up to. */
export interface ScoreDrift {
  readonly setup: string
  /** The state's field, dotted for nested ones: `commits`, `tokens.input`, `userGrades.sum`. */
  readonly field: string
  readonly stored: number
  readonly expected: number
}

/** What {@link checkScores} found. */
export interface ScoreCheck {
  /** Setups whose state was compared. */
  readonly checked: number
  /**
   * Setups left out: their scores hold parts imported from other databases or legacy files
   * (`imports`), which may come without the dated records a recount needs.
   */
  readonly imported: number
  readonly drift: readonly ScoreDrift[]
}

/**
 * Compares each setup's scored state (what the leaderboard, the status card and the halt read)
 * with its totals as the records and logged facts add them up (`expected`: the recount's day
 * rollups, added up per setup): commits, pushes, bugs, tool calls and failures, commands,
 * messages, tokens, cost, and the count and sum of the agent's and the user's grades. The two are
 * kept by different code on every write — the state by the scoring rules, the rollups by the store —
 * so a difference means one of them missed or double-counted something. XP, SP and CS are not
 * compared: they follow from the order of events under the rules, which a recount does not replay.
 */
export function checkScores(setups: readonly SetupRecord[], expected: ReadonlyMap<string, SetupTotalsRecord>): ScoreCheck {
  const drift: ScoreDrift[] = []
  let imported = 0
  for (const setup of setups) {
    if (Object.keys(setup.imports ?? {}).length > 0) {
      imported += 1
      continue
    }
    const want = expected.get(setup.id) ?? emptySetupTotals(setup.id)
    const { state } = setup
    const pairs: [string, number, number][] = [
      ['commits', state.commits, want.commits],
      ['pushes', state.pushes, want.pushes],
      ['bugs', state.bugs, want.bugs],
      ['toolCalls', state.toolCalls, want.toolCalls],
      ['toolFailures', state.toolFailures, want.toolFailures],
      ['commands', state.commands, want.commands],
      ['messages', state.messages, want.messages],
      ['tokens.input', state.tokens.input, want.tokens.input],
      ['tokens.output', state.tokens.output, want.tokens.output],
      ['tokens.reasoning', state.tokens.reasoning, want.tokens.reasoning],
      ['tokens.cacheRead', state.tokens.cacheRead, want.tokens.cacheRead],
      ['tokens.cacheWrite', state.tokens.cacheWrite, want.tokens.cacheWrite],
      ['userGrades.count', state.userGrades.count, want.grades.user.count],
      ['userGrades.sum', state.userGrades.sum, want.grades.user.sum],
      ['agentGrades.count', state.agentGrades.count, want.grades.agent.count],
      ['agentGrades.sum', state.agentGrades.sum, want.grades.agent.sum],
    ]
    for (const [field, stored, wanted] of pairs) if (stored !== wanted) drift.push({ setup: setup.id, field, stored, expected: wanted })
    // The state keeps its cost to 6 decimals after each message; the rollups add it unrounded.
    if (Math.abs(state.cost - want.cost) > COST_ROUNDING * (state.messages + 1)) drift.push({ setup: setup.id, field: 'cost', stored: state.cost, expected: want.cost })
  }
  return { checked: setups.length - imported, imported, drift }
}

/** The most a state's cost may differ from the unrounded sum per message it added (half its last kept decimal). */
const COST_ROUNDING = 5e-7
