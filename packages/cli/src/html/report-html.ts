import type { LeaderboardRow, SetupReportRow, SetupTrend } from '@agent-tracker/core'
import { formatScore } from '@agent-tracker/core'
import { decimal, money, moneyDecimals, percent, score, tokens } from '../format.js'
import { CHANNELS_EXPLAINED, channelCell, channelsOf } from '../grade-channels.js'
import { PALETTE, barChart, escapeHtml, lineChart } from './svg-charts.js'

/** Everything the HTML report shows. */
export interface HtmlReportData {
  readonly generatedAt: string
  readonly database: string
  readonly window: Readonly<Record<string, string>>
  readonly rows: readonly SetupReportRow[]
  readonly trends: readonly SetupTrend[]
  readonly leaderboard: readonly LeaderboardRow[]
  readonly projects: number
  /** Channels other than the user's own that brought user grades; when any, the page shows user grades by channel. */
  readonly nonUserChannels: readonly string[]
}

/** A single self-contained HTML page (inline CSS and SVG, no scripts, no network) with charts and tables. */
export function renderHtmlReport(data: HtmlReportData): string {
  const setups = [...new Set([...data.rows.map((r) => r.setup), ...data.trends.map((t) => t.setup)])]
  const colour = (setup: string): string => PALETTE[setups.indexOf(setup) % PALETTE.length] ?? '#4f46e5'
  const bars = (value: (row: SetupReportRow) => number | null, note?: (row: SetupReportRow) => string) =>
    data.rows.map((row) => ({ label: row.setup, value: value(row), colour: colour(row.setup), ...(note === undefined ? {} : { note: note(row) }) }))
  const commits = data.rows.reduce((sum, row) => sum + row.commits, 0)
  const graded = data.rows.reduce((sum, row) => sum + row.userGrades, 0)
  const cost = data.rows.reduce((sum, row) => sum + row.cost, 0)
  const cents = moneyDecimals(data.rows.map((row) => row.costPerCommit))
  const best = [...data.rows].filter((row) => row.userGrades >= 3).sort((a, b) => (b.meanUserGrade ?? 0) - (a.meanUserGrade ?? 0))[0]
  const windowText = Object.keys(data.window).length === 0 ? 'all time' : Object.entries(data.window).map(([key, value]) => `${key} ${value}`).join(', ')
  const weekly = (pick: (point: SetupTrend['points'][number]) => number | null) =>
    data.trends.map((trend) => ({ name: trend.setup, colour: colour(trend.setup), points: trend.points.map((point) => ({ x: point.week, y: pick(point) })) }))

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>agent-tracker report</title>
<style>
  :root { color-scheme: light; --ink: #111827; --muted: #6b7280; --line: #e5e7eb; --card: #f9fafb; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
  main { max-width: 1180px; margin: 0 auto; padding: 32px 24px 64px; }
  h1 { font-size: 28px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 40px 0 12px; }
  .sub { color: var(--muted); margin: 0; }
  .kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; margin-top: 24px; }
  .kpi { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; }
  .kpi b { display: block; font-size: 24px; } .kpi span { color: var(--muted); font-size: 13px; }
  .best { margin-top: 16px; padding: 12px 16px; border-left: 4px solid #16a34a; background: #f0fdf4; border-radius: 6px; }
  .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px; }
  .chart { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 14px; }
  .chart svg { width: 100%; height: auto; display: block; }
  .title { font-weight: 600; font-size: 14px; } .label, .value, .tick, .legend { font-size: 12px; fill: #374151; }
  .muted { fill: var(--muted); color: var(--muted); font-size: 12px; } .axis { stroke: #9ca3af; } .gridline { stroke: var(--line); }
  table { border-collapse: collapse; width: 100%; font-size: 13px; } th, td { padding: 6px 8px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
  th:first-child, td:first-child, th:nth-child(2), td:nth-child(2) { text-align: left; } th { color: var(--muted); font-weight: 600; } .scroll { overflow-x: auto; }
  .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
  .halted { color: #dc2626; font-weight: 600; }
  .note { color: var(--muted); margin: 0 0 8px; }
  footer { margin-top: 48px; color: var(--muted); font-size: 12px; }
</style>
</head>
<body>
<main>
<h1>Which agent setup should you use?</h1>
<p class="sub">agent-tracker report · ${escapeHtml(windowText)} · generated ${escapeHtml(data.generatedAt)}</p>
<section class="kpis">
  <div class="kpi"><b>${String(data.rows.length)}</b><span>setups compared</span></div>
  <div class="kpi"><b>${String(data.projects)}</b><span>projects</span></div>
  <div class="kpi"><b>${String(commits)}</b><span>commits</span></div>
  <div class="kpi"><b>${String(graded)}</b><span>user-graded commits</span></div>
  <div class="kpi"><b>${escapeHtml(money(cost))}</b><span>spent on models</span></div>
</section>
${best === undefined ? '' : `<p class="best">Best mean user grade so far: <b>${escapeHtml(best.setup)}</b> — ${escapeHtml(score(best.meanUserGrade))} over ${String(best.userGrades)} graded commits, ${escapeHtml(decimal(best.bugsPerCommit))} bugs per commit, ${escapeHtml(money(best.costPerCommit))} per commit.</p>`}
<h2>Setups compared</h2>
<div class="charts">
${barChart('Mean user grade (−1 bad … 5 excellence)', bars((r) => r.meanUserGrade, (r) => `n=${String(r.userGrades)}`), (v) => v.toFixed(2))}
${barChart('Bugs per commit (lower is better)', bars((r) => r.bugsPerCommit, (r) => `${String(r.bugs)} bugs`), (v) => v.toFixed(2))}
${barChart('Cost per commit', bars((r) => r.costPerCommit), (v) => money(v, cents))}
${barChart('Commits', bars((r) => r.commits, (r) => `${String(r.projects)} projects`), (v) => String(Math.round(v)))}
</div>
<h2>Trends over time</h2>
<div class="charts">
${lineChart('Weekly mean user grade', weekly((p) => p.meanUserGrade), (v, places) => v.toFixed(places ?? 1))}
${lineChart('Weekly commits', weekly((p) => p.commits), (v, places) => v.toFixed(places ?? 0), { integer: true })}
${lineChart('Weekly cost', weekly((p) => p.cost), (v, places) => money(v, places === undefined ? undefined : Math.max(2, places)))}
</div>
<h2>Report</h2>
<div class="scroll"><table>
<thead><tr><th>Setup</th><th>Commits</th><th>Bugs/commit</th><th>User ⌀ (n)</th><th>Agent ⌀</th><th>CS</th><th>SP</th><th>Tool failures</th><th>Tokens/commit</th><th>Cost/commit</th></tr></thead>
<tbody>
${data.rows.map((r) => `<tr><td><span class="swatch" style="background:${colour(r.setup)}"></span>${escapeHtml(r.setup)}</td><td>${String(r.commits)}</td><td>${escapeHtml(decimal(r.bugsPerCommit))}</td><td>${escapeHtml(score(r.meanUserGrade))} (${String(r.userGrades)})</td><td>${escapeHtml(score(r.meanAgentGrade))}</td><td>${escapeHtml(score(r.communication))}</td><td>${escapeHtml(`${formatScore(r.skillPoints)} ${r.trustTier}`)}${r.halted ? ' <span class="halted">halted</span>' : ''}</td><td>${escapeHtml(percent(r.toolFailureRate))}</td><td>${escapeHtml(tokens(r.tokensPerCommit))}</td><td>${escapeHtml(money(r.costPerCommit, cents))}</td></tr>`).join('\n')}
</tbody></table></div>
${data.nonUserChannels.length === 0 ? '' : channelTable(data.rows, colour)}<h2>Leaderboard</h2>
<div class="scroll"><table>
<thead><tr><th>#</th><th>Setup</th><th>SP</th><th>Trust</th><th>XP</th><th>CS</th><th>Communication</th><th>Commits</th><th>Bugs</th></tr></thead>
<tbody>
${data.leaderboard.map(({ rank, status }) => `<tr><td>${String(rank)}</td><td>${escapeHtml(status.setup)}${status.halted ? ' <span class="halted">halted</span>' : ''}</td><td>${escapeHtml(formatScore(status.state.skillPoints))}</td><td>${escapeHtml(status.trustTier)}</td><td>${escapeHtml(formatScore(status.state.experience))}</td><td>${escapeHtml(formatScore(status.state.communication))}</td><td>${escapeHtml(status.communicationTier)}</td><td>${String(status.state.commits)}</td><td>${String(status.state.bugs)}</td></tr>`).join('\n')}
</tbody></table></div>
<footer>Database: ${escapeHtml(data.database)}. Scores: SP skill points (trust), XP experience, CS communication score. Grades: −1 bad, 1 neutral, 2 good, 5 excellence.</footer>
</main>
</body>
</html>
`
}

/** The table of user grades by channel, with what counts said above it. */
function channelTable(rows: readonly SetupReportRow[], colour: (setup: string) => string): string {
  const graded = rows.filter((row) => row.userGradesByChannel.length > 0)
  const channels = channelsOf(graded)
  return `<h2>User grades by channel</h2>
<p class="note">${escapeHtml(CHANNELS_EXPLAINED)}</p>
<div class="scroll"><table>
<thead><tr><th>Setup</th>${channels.map((channel) => `<th>${escapeHtml(channel)}</th>`).join('')}</tr></thead>
<tbody>
${graded.map((row) => `<tr><td><span class="swatch" style="background:${colour(row.setup)}"></span>${escapeHtml(row.setup)}</td>${channels.map((channel) => `<td>${escapeHtml(channelCell(row, channel))}</td>`).join('')}</tr>`).join('\n')}
</tbody></table></div>
`
}
