import type { BacktestSummary } from './summarise-backtest.js'

/** The headline figures of a backtest, as shares and means (null where nothing was there to measure). */
export interface BacktestFigures {
  /** Share of 90% intervals that held the truth (or the realised mean). */
  readonly coverage: number | null
  /** Share of named best setups that were the true best. */
  readonly winnerPrecision: number | null
  /** Share of decision points that named no best setup. */
  readonly noWinnerRate: number | null
  /** Share of held-back verdicts (not distinguishable, not enough data) that were warranted. */
  readonly heldBackWarranted: number | null
  /** Mean score lost per decision against always choosing the true best. */
  readonly regret: number | null
  /** Median graded commits per setup before setups 0.5 and 1.0 grade points apart were told apart. */
  readonly separation: readonly { readonly gap: number; readonly median: number | null; readonly separated: number; readonly pairs: number }[]
  /** Commits after each drift until the best bet followed it (null: it did not within the history). */
  readonly driftDelays: readonly (number | null)[]
}

/** Turns a summary's counts into the figures a report shows. */
export function backtestFigures(summary: BacktestSummary): BacktestFigures {
  const share = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole)
  const ninety = summary.calibration.find((c) => Math.abs(c.level - 0.9) < 1e-9)
  const v = summary.verdicts
  return {
    coverage: ninety === undefined ? null : share(ninety.covered, ninety.scored),
    winnerPrecision: share(v.namedCorrect, v.namedJudged),
    noWinnerRate: share(summary.decisionPoints - v.named, summary.decisionPoints),
    heldBackWarranted: share(v.heldBackWarranted, v.heldBackJudged),
    regret: share(summary.regret.total, summary.regret.decisions),
    separation: summary.separation.map((s) => ({ gap: s.gap, median: median(s.samples), separated: s.samples.length, pairs: s.pairs })),
    driftDelays: summary.drift.map((d) => d.commitsUntilSwitch),
  }
}

/** The median of some numbers; null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] ?? null : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}
