import type { BacktestFigures, BacktestSummary, JudgedDecision } from '@agent-tracker/core'
import { CALIBRATION_LEVELS } from '@agent-tracker/core/backtest'
import { percent, utcCell } from '../format.js'
import type { Column } from '../table.js'

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

const VERDICTS: Readonly<Record<JudgedDecision['verdict'], string>> = {
  named: 'named a best',
  'not-distinguishable': 'not distinguishable',
  'not-enough-data': 'not enough data',
  'no-data': 'no data',
}

/** How a decision held up: a named best right or wrong, a held-back answer warranted or not, else – (nothing to judge it by). */
function judged(d: JudgedDecision): string {
  if (d.namedCorrect !== null) return d.namedCorrect ? 'right' : 'wrong'
  if (d.warranted !== null) return d.warranted ? 'warranted' : 'unwarranted'
  return '–'
}

const NINETY = CALIBRATION_LEVELS.findIndex((level) => Math.abs(level - 0.9) < 1e-9)

/** The 90% intervals that held the outcome at a decision, of those judged (`2/3`), or – when none was. */
function ninetyHeld(d: JudgedDecision): string {
  if (d.intervals.length === 0) return '–'
  return `${String(d.intervals.filter((i) => i.hits[NINETY] === true).length)}/${String(d.intervals.length)}`
}

/** The columns of `backtest --decisions` for people: each decision point of a replay, what `recommend` answered there and how that held up against what was realised. */
export function decisionColumns(): Column<JudgedDecision>[] {
  return [
    { header: 'AT (UTC)', value: (d) => utcCell(d.at), priority: 6 },
    { header: 'PROJECT', value: (d) => d.project.split(/[\\/]/).at(-1) ?? d.project, priority: 10 },
    { header: 'ANSWER', value: (d) => VERDICTS[d.verdict], priority: 9 },
    { header: 'BEST BET', value: (d) => d.pick ?? '–', priority: 8 },
    { header: 'BEST REALISED', value: (d) => d.trueBest ?? '–', priority: 7 },
    { header: 'JUDGED', value: judged, priority: 8 },
    { header: '90% HELD', value: ninetyHeld, align: 'right', priority: 5 },
    { header: 'REGRET', value: (d) => (d.regret === null ? '–' : d.regret.toFixed(3)), align: 'right', priority: 4 },
  ]
}
