import type { LoadedBacktest } from '../backtest-file.js'
import { percent } from '../format.js'
import { calibrationChart } from './calibration-chart.js'
import { barChart } from './charts/bar-chart.js'
import { escapeHtml, seriesColour } from './charts/svg.js'
import type { HtmlSection } from './report-data.js'

/**
 * The report's "is the recommendation right?" section, from the last backtest; a pointer to
 * `backtest` when there is none. A backtest replays the whole database (as `agent-tracker
 * backtest` does, which takes no filters), so in a report narrowed by its filters (`narrowedTo`,
 * as a person reads them) the section says plainly, in its title and first line, that it covers
 * the whole database and not those filters.
 */
export function backtestSection(loaded: LoadedBacktest, narrowedTo = ''): HtmlSection {
  const title = narrowedTo === '' ? 'Is the recommendation right?' : 'Is the recommendation right? (whole database)'
  return { id: 'calibration', title, html: `${wholeDatabaseNote(narrowedTo)}${backtestHtml(loaded)}` }
}

/**
 * Why a narrowed report shows the whole database's backtest: replaying only the filtered work
 * would judge few decisions or none (a decision is judged by the next graded commits after it),
 * and the calibration of the model every recommendation comes from is best measured on all of it.
 */
function wholeDatabaseNote(narrowedTo: string): string {
  if (narrowedTo === '') return ''
  return `<p class="intro"><b>Whole database, not this report's filters</b> (${escapeHtml(narrowedTo)}): this section judges the model behind every recommendation over all of the history — every project, setup and day — as <code>agent-tracker backtest</code> replays it. It does not follow the filters the rest of this report follows.</p>\n`
}

function backtestHtml(loaded: LoadedBacktest): string {
  if (loaded.status === 'none') {
    return `<p class="intro">No backtest yet. Run <code>agent-tracker backtest</code> to replay this history and see how often <code>recommend</code>'s 90% intervals held what happened next; the next export shows it here.</p>`
  }
  if (loaded.status === 'unreadable') {
    return `<p class="intro">The last backtest could not be read from ${escapeHtml(loaded.path)}: ${escapeHtml(loaded.problem)}: ${escapeHtml(loaded.fix)}; the next export shows it here.</p>`
  }
  const { saved } = loaded
  const { summary, figures } = saved
  const buckets = summary.coverageBySamples.filter((b) => b.scored > 0).map((b) => ({ label: `${b.label} graded commits`, value: b.covered / b.scored, colour: seriesColour(1), note: `n=${String(b.scored)}` }))
  const separation = summary.separation.flatMap((s) => (s.planned === null ? [] : [`${s.gap.toFixed(1)} grade points apart: about ${String(s.planned.even)} graded commits each for an even chance, ${String(s.planned.likely)} for 80%`]))
  return `<p class="intro">Last backtest ${escapeHtml(saved.at.slice(0, 16).replace('T', ' '))}: ${String(summary.decisionPoints)} decision points (each project's first commit and every ${String(saved.every)} commits), each answered from the history before it and judged by the next ${String(saved.horizon)} graded commits of each setup on similar projects.</p>
<section class="kpis">
  <div class="kpi"><b>${escapeHtml(percent(figures.coverage))}</b><span>of 90% intervals held the outcome</span></div>
  <div class="kpi"><b>${escapeHtml(percent(figures.winnerPrecision))}</b><span>of named best setups were the best realised (${String(summary.verdicts.namedJudged)})</span></div>
  <div class="kpi"><b>${escapeHtml(percent(figures.heldBackWarranted))}</b><span>of "not distinguishable / not enough data" were warranted</span></div>
  <div class="kpi"><b>${figures.regret === null ? '–' : escapeHtml(figures.regret.toFixed(2))}</b><span>score points lost per decision (regret)</span></div>
</section>
<div class="charts">
${calibrationChart('Calibration: interval level vs share that held', summary.calibration)}
${barChart('90% interval coverage by sample size', buckets, { label: 'share of 90% intervals that held the outcome', format: (v) => percent(v) })}
</div>
${separation.length === 0 ? '' : `<p class="note">Telling setups apart at the measured spread of grades: ${escapeHtml(separation.join('; '))}.</p>`}`
}
