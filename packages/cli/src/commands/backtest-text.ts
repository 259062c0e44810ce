import type { BacktestFigures, BacktestSummary } from '@agent-tracker/core'
import { percent } from '../format.js'

/** Lines describing a backtest's figures for people. */
export function describeBacktest(summary: BacktestSummary, figures: BacktestFigures): string[] {
  const realised = summary.mode === 'realised'
  const v = summary.verdicts
  const ninety = summary.calibration.find((c) => Math.abs(c.level - 0.9) < 1e-9)
  const lines = [
    `90% intervals: ${percent(figures.coverage)} held ${realised ? 'the realised mean grade' : 'the true expected grade'} (${String(ninety?.covered ?? 0)} of ${String(ninety?.scored ?? 0)}).`,
    `  By graded commits: ${summary.coverageBySamples.filter((b) => b.scored > 0).map((b) => `${b.label} ${percent(b.covered / b.scored)} (${String(b.scored)})`).join(' · ') || 'none scored'}`,
    `  Calibration: ${summary.calibration.map((c) => `${String(Math.round(c.level * 100))}% → ${percent(c.scored === 0 ? null : c.covered / c.scored)}`).join(' · ')}`,
    `Named a best setup at ${String(v.named)} of ${String(summary.decisionPoints)} decision points; it was ${realised ? 'the best realised' : 'the true best'} in ${percent(figures.winnerPrecision)} (${String(v.namedCorrect)} of ${String(v.namedJudged)} judged).`,
    `Held back at ${String(v.notDistinguishable + v.notEnoughData)} ("not distinguishable" ${String(v.notDistinguishable)}, "not enough data" ${String(v.notEnoughData)}; no data ${String(v.noData)}): warranted in ${percent(figures.heldBackWarranted)} of ${String(v.heldBackJudged)} judged.`,
    `Regret: ${figures.regret === null ? '–' : figures.regret.toFixed(3)} score points per decision against always choosing the ${realised ? 'best realised' : 'true best'} (${String(summary.regret.decisions)} decisions).`,
  ]
  for (const s of summary.separation) {
    const measured = figures.separation.find((f) => f.gap === s.gap)
    const planned = s.planned === null ? '' : `; the rule needs about ${String(s.planned.even)} per setup for an even chance, ${String(s.planned.likely)} for 80%`
    const seen = measured === undefined || measured.pairs === 0 ? 'not measured here' : `${measured.median === null ? 'never told apart' : `told apart after a median of ${String(measured.median)} graded commits each`} (${String(measured.separated)} of ${String(measured.pairs)} pairs)`
    lines.push(`Setups ${s.gap.toFixed(1)} grade points apart: ${seen}${planned}.`)
  }
  if (summary.exploration.judged > 0) {
    lines.push(`Exploration: where the best bet was not the ${realised ? 'best realised' : 'true best'}, the suggested trial was the ${realised ? 'best realised' : 'true best'} in ${percent(summary.exploration.foundBest / summary.exploration.judged)} of ${String(summary.exploration.judged)}.`)
  }
  for (const d of summary.drift) {
    lines.push(d.commitsUntilSwitch === null
      ? `Drift on ${d.kind} at ${d.at.slice(0, 10)} (${d.from} → ${d.to}): the best bet did not follow within the ${String(d.commitsAfter)} commits after it.`
      : `Drift on ${d.kind} at ${d.at.slice(0, 10)} (${d.from} → ${d.to}): the best bet followed after ${String(d.commitsUntilSwitch)} commits (${String(d.changedSetupCommits ?? 0)} of them by the changed setup).`)
  }
  return lines
}
