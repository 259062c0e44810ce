import { costNotes } from '../estimated-cost.js'
import { money, plural } from '../format.js'
import { escapeHtml, seriesColour } from './charts/svg.js'
import type { HtmlReportData, HtmlSection } from './report-data.js'
import { setupOrder } from './report-data.js'
import { REPORT_STYLE } from './report-style.js'
import { comparisonCharts, costQualitySection } from './sections/comparisons.js'
import { evidenceSection } from './sections/evidence.js'
import { projectsSection } from './sections/projects.js'
import { recommendationsSection } from './sections/recommendations.js'
import { leaderboardTable, reportTable } from './sections/tables.js'
import { trendCharts } from './sections/trends.js'

/**
 * A single self-contained HTML page (inline CSS and SVG, no scripts, no network): the
 * recommendation for each kind of project, cost against quality, the setups compared, where the
 * evidence comes from, trends, each project, and the tables. Light or dark as the reader's system
 * prefers; readable from 360 px up.
 */
export function renderHtmlReport(data: HtmlReportData): string {
  const order = setupOrder(data)
  const colourOf = (setup: string): string => seriesColour(Math.max(0, order.indexOf(setup)))
  const commits = data.rows.reduce((sum, row) => sum + row.commits, 0)
  const graded = data.rows.reduce((sum, row) => sum + row.userGrades, 0)
  const cost = data.rows.reduce((sum, row) => sum + row.cost, 0)
  const narrowed = data.window !== ''
  const scope = [data.window, data.filters ?? ''].filter((part) => part !== '').join(' · ')
  const sections: HtmlSection[] = [
    section('recommendations', 'Which setup for which kind of project', recommendationsIntro(scope), recommendationsSection(data.recommendations, colourOf, scope !== '', new Set(data.leaderboard.filter((row) => row.status.halted).map((row) => row.status.setup)))),
    section('cost-quality', 'Cost against quality', 'Cheaper is left, better graded is up. Setups on the Pareto front are the ones worth choosing between.', `<div class="charts">${costQualitySection(data.rows, colourOf)}</div>`),
    section('compared', 'Setups compared', undefined, `<div class="charts">${comparisonCharts(data.rows, colourOf)}</div>`),
    section('evidence', 'Evidence by channel', 'Where each setup\'s grades and bugs come from.', evidenceSection(data.rows, data.nonUserChannels, colourOf)),
    section('trends', 'Trends over time', undefined, `<div class="charts">${trendCharts(data.trends, colourOf, data.trendsTimeZone)}</div>`),
    section('projects', 'Projects', 'Who worked on each project, and how it went there.', projectsSection(data.projects, colourOf)),
    ...(data.extraSections ?? []),
    section('report', 'Report', narrowed ? 'CS± and XP+ are what the work in this window earned; SP is the current total.' : undefined, reportTable(data.rows, colourOf, narrowed)),
    section('leaderboard', 'Leaderboard', `Current scores: SP skill points (trust), XP experience, CS communication score.${data.leaderboard.some((row) => row.window !== undefined) ? ' Commits and bugs: those of the window and project this report is narrowed to, as are the setups listed.' : ''}`, leaderboardTable(data.leaderboard)),
  ]
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>agent-tracker report</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
<main>
<header>
<h1>Which agent setup should you use?</h1>
<p class="sub">agent-tracker report · ${escapeHtml(narrowed ? data.window : 'all time')}${data.filters === undefined ? '' : ` · ${escapeHtml(data.filters)}`} · generated ${escapeHtml(data.generatedAt)}</p>
<nav>${sections.map((entry) => `<a href="#${escapeHtml(entry.id)}">${escapeHtml(entry.title)}</a>`).join('')}</nav>
</header>
<section class="kpis" aria-label="Totals">
  <div class="kpi"><b>${String(data.rows.length)}</b><span>setups compared</span></div>
  <div class="kpi"><b>${String(data.projectCount)}</b><span>${data.projectCount === 1 ? 'project' : 'projects'}</span></div>
  <div class="kpi"><b>${String(commits)}</b><span>${commits === 1 ? 'commit' : 'commits'}</span></div>
  <div class="kpi"><b>${String(graded)}</b><span>user-graded ${graded === 1 ? 'commit' : 'commits'}</span></div>
  <div class="kpi"><b>${escapeHtml(money(cost))}</b><span>spent on models</span></div>
</section>
${data.cutDaysNote === undefined ? '' : `<p class="note">${escapeHtml(data.cutDaysNote)}</p>\n`}${sections.map((entry) => `<section id="${escapeHtml(entry.id)}">\n<h2>${escapeHtml(entry.title)}</h2>\n${entry.html}\n</section>`).join('\n')}
<footer>Database: ${escapeHtml(data.database)} · ${escapeHtml(plural(data.rows.length, 'setup'))}. Grades: −1 bad, 1 neutral, 2 good, 5 excellence. Intervals are 90%: the range the true mean is likely in, wide while few commits are graded.${escapeHtml(costNotes(data.rows).map((note) => ` ${note}`).join(''))}</footer>
</main>
</body>
</html>
`
}

/** What the recommendations cover: every kind of project and setup, or in a narrowed report only the work it is narrowed to (`scope`, as a person reads it). */
function recommendationsIntro(scope: string): string {
  const each = 'the setup to use, with its expected user grade and 90% interval — or why the data cannot say yet.'
  return scope === ''
    ? `For each kind of project recorded: ${each}`
    : `Judged only from the work this report is narrowed to (${scope}): only the setups it covers are compared, on the kinds of project worked on there. For each: ${each}`
}

function section(id: string, title: string, intro: string | undefined, html: string): HtmlSection {
  return { id, title, html: `${intro === undefined ? '' : `<p class="intro">${escapeHtml(intro)}</p>`}${html}` }
}
