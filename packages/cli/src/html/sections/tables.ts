import type { LeaderboardRow, SetupReportRow } from '@agent-tracker/core'
import { costPerCommitCell } from '../../estimated-cost.js'
import { gain, grade, percent, perCommit, score, tokens } from '../../format.js'
import { escapeHtml } from '../charts/svg.js'

/** The report as a table: one row per setup, every figure. In a window, XP and CS are what the window earned. */
export function reportTable(rows: readonly SetupReportRow[], colourOf: (setup: string) => string, narrowed: boolean): string {
  const scores = narrowed ? '<th>CS±</th><th>XP+</th><th>SP now</th>' : '<th>CS</th><th>XP</th><th>SP</th>'
  const body = rows.map((r) => {
    const sp = `${escapeHtml(`${score(r.skillPoints)} ${r.trustTier}`)}${r.halted ? ' <span class="halted">halted</span>' : ''}`
    const values = narrowed ? [gain(r.communicationGained), gain(r.experienceGained)] : [score(r.communication), score(r.experience)]
    return `<tr><td><span class="swatch" style="background:${colourOf(r.setup)}"></span>${escapeHtml(r.setup)}</td><td class="num">${String(r.commits)}</td><td class="num">${escapeHtml(perCommit(r.bugsPerCommit))}</td><td class="num">${escapeHtml(grade(r.meanUserGrade))} (${String(r.userGrades)})</td><td class="num">${escapeHtml(grade(r.meanAgentGrade))}</td>${values.map((value) => `<td class="num">${escapeHtml(value)}</td>`).join('')}<td>${sp}</td><td class="num">${escapeHtml(percent(r.toolFailureRate))}</td><td class="num">${escapeHtml(tokens(r.tokensPerCommit))}</td><td class="num">${escapeHtml(costPerCommitCell(r))}</td></tr>`
  })
  return `<div class="scroll"><table><thead><tr><th>Setup</th><th>Commits</th><th>Bugs/commit</th><th>User ⌀ (n)</th><th>Agent ⌀</th>${scores}<th>Tool failures</th><th>Tokens/commit</th><th>Cost/commit</th></tr></thead><tbody>${body.join('\n')}</tbody></table></div>`
}

/** The leaderboard: current scores of every setup; in a window (or for a project), its commits and bugs there. */
export function leaderboardTable(rows: readonly LeaderboardRow[]): string {
  const body = rows.map(({ rank, status, window }) => `<tr><td class="num">${String(rank)}</td><td>${escapeHtml(status.setup)}${status.halted ? ' <span class="halted">halted</span>' : ''}</td><td class="num">${escapeHtml(score(status.state.skillPoints))}</td><td>${escapeHtml(status.trustTier)}</td><td class="num">${escapeHtml(score(status.state.experience))}</td><td class="num">${escapeHtml(score(status.state.communication))}</td><td>${escapeHtml(status.communicationTier)}</td><td class="num">${String(window?.commits ?? status.state.commits)}</td><td class="num">${String(window?.bugs ?? status.state.bugs)}</td></tr>`)
  return `<div class="scroll"><table><thead><tr><th>#</th><th>Setup</th><th>SP</th><th>Trust</th><th>XP</th><th>CS</th><th>Communication</th><th>Commits</th><th>Bugs</th></tr></thead><tbody>${body.join('\n')}</tbody></table></div>`
}
