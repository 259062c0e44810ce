import type { SetupReportRow } from '@agent-tracker/core'
import { paretoFront } from '@agent-tracker/core'
import { grade, moneyPerCommit, perCommit, plural } from '../../format.js'
import type { Bar } from '../charts/bar-chart.js'
import { barChart } from '../charts/bar-chart.js'
import type { QualityPoint } from '../charts/scatter-chart.js'
import { scatterChart } from '../charts/scatter-chart.js'
import { escapeHtml } from '../charts/svg.js'

/** Cost against quality: each setup's cost per commit and mean user grade with its interval, and the Pareto front. */
export function costQualitySection(rows: readonly SetupReportRow[], colourOf: (setup: string) => string): string {
  const points: QualityPoint[] = rows.flatMap((row) => (row.costPerCommit === null || row.meanUserGrade === null || row.userGradeInterval === null
    ? []
    : [{ name: row.setup, colour: colourOf(row.setup), cost: row.costPerCommit, quality: row.meanUserGrade, interval: row.userGradeInterval, samples: row.userGrades }]))
  const leftOut = leftOutNote(rows.filter((row) => !points.some((point) => point.name === row.setup)))
  return `${scatterChart('Cost per commit against mean user grade', points, {
    x: 'Cost per commit (USD)',
    y: 'Mean user grade',
    formatCost: (value, places) => (places === undefined ? moneyPerCommit(value) : `$${value.toFixed(places)}`),
    formatQuality: (value, places) => (places === undefined ? grade(value) : value.toFixed(places)),
  }, leftOut)}\n${frontTable(points, leftOut)}`
}

/**
 * Why setups are missing from the comparison: an unknown cost (no usage recorded, or a model
 * without a known price) is no cost of zero, so such a setup is left out rather than ranked cheapest.
 */
function leftOutNote(left: readonly SetupReportRow[]): string | undefined {
  const unknownCost = left.filter((row) => row.commits > 0 && row.costPerCommit === null).map((row) => row.setup)
  const ungraded = left.filter((row) => !unknownCost.includes(row.setup)).map((row) => row.setup)
  const notes = [
    unknownCost.length === 0 ? '' : `Left out, their cost unknown (no usage recorded, or a model without a known price): ${unknownCost.join(', ')}.`,
    ungraded.length === 0 ? '' : `Not plotted, no cost or no user grade yet: ${ungraded.join(', ')}.`,
  ].filter((note) => note !== '')
  return notes.length === 0 ? undefined : notes.join(' ')
}

/** The setups on the Pareto front, cheapest first: what each costs and how it is graded. */
function frontTable(points: readonly QualityPoint[], leftOut: string | undefined): string {
  const front = new Set(paretoFront(points))
  const rows = [...points].sort((a, b) => a.cost - b.cost).map((p) => `<tr${front.has(p) ? ' class="front-row"' : ''}><td><span class="swatch" style="background:${p.colour}"></span>${escapeHtml(p.name)}${front.has(p) ? '' : ' <span class="muted">(beaten)</span>'}</td><td class="num">${escapeHtml(moneyPerCommit(p.cost))}</td><td class="num">${escapeHtml(grade(p.quality))} <span class="muted">${escapeHtml(grade(p.interval[0]))}–${escapeHtml(grade(p.interval[1]))}</span></td></tr>`)
  return `<figure class="chart"><figcaption>The choices, cheapest first</figcaption><div class="scroll"><table><thead><tr><th>Setup</th><th class="num">Cost/commit</th><th class="num">User ⌀, 90%</th></tr></thead><tbody>${rows.join('')}</tbody></table></div><p class="note">Bold: on the Pareto front. A setup is beaten when another is at most as costly and at least as well graded. Between the setups on the front, pay more only for a grade you need.${leftOut === undefined ? '' : ` ${escapeHtml(leftOut)}`}</p></figure>`
}

/** Setups side by side: mean user grade, bugs per commit, cost per commit, commits. */
export function comparisonCharts(rows: readonly SetupReportRow[], colourOf: (setup: string) => string): string {
  const bars = (value: (row: SetupReportRow) => number | null, note?: (row: SetupReportRow) => string): Bar[] =>
    rows.map((row) => ({ label: row.setup, value: value(row), colour: colourOf(row.setup), ...(note === undefined ? {} : { note: note(row) }) }))
  return [
    barChart('Mean user grade', bars((r) => r.meanUserGrade, (r) => `n=${String(r.userGrades)}`), { label: 'Mean user grade (−1 bad … 5 excellence)', format: (v, places) => (places === undefined ? grade(v) : v.toFixed(places)) }),
    barChart('Bugs per commit (lower is better)', bars((r) => r.bugsPerCommit, (r) => plural(r.bugs, 'bug')), { label: 'Bugs per commit', format: (v, places) => (places === undefined ? perCommit(v) : v.toFixed(places)) }),
    barChart('Cost per commit', bars((r) => r.costPerCommit), { label: 'Cost per commit (USD)', format: (v, places) => (places === undefined ? moneyPerCommit(v) : `$${v.toFixed(places)}`) }),
    barChart('Commits', bars((r) => r.commits, (r) => plural(r.projects, 'project')), { label: 'Commits', format: (v) => String(Math.round(v)), integer: true }),
  ].join('\n')
}
