import { grade, perCommit, plural } from '../../format.js'
import { costPerCommitCell } from '../../estimated-cost.js'
import { escapeHtml } from '../charts/svg.js'
import type { ProjectReport } from '../report-data.js'
import { kindLabel } from './recommendations.js'

/** One card per project: the setups that worked there, their commits, grades, bugs and cost there. */
export function projectsSection(projects: readonly ProjectReport[], colourOf: (setup: string) => string): string {
  if (projects.length === 0) return '<p class="note">No project in this window.</p>'
  // Two projects may share a folder name (/a/shop, /b/shop): the second card's anchor gets a number, so each is one of a kind.
  const seen = new Map<string, number>()
  const anchorOf = (name: string): string => {
    const count = (seen.get(name) ?? 0) + 1
    seen.set(name, count)
    return count === 1 ? `project-${name}` : `project-${name}-${String(count)}`
  }
  return `<div class="cards">${projects.map((project) => {
    const commits = project.rows.reduce((sum, row) => sum + row.commits, 0)
    const rows = project.rows.map((row) => `<tr><td><span class="swatch" style="background:${colourOf(row.setup)}"></span>${escapeHtml(row.setup)}</td><td class="num">${String(row.commits)}</td><td class="num">${row.meanUserGrade === null ? '–' : `${escapeHtml(grade(row.meanUserGrade))} <span class="muted">(${String(row.userGrades)})</span>`}</td><td class="num">${escapeHtml(perCommit(row.bugsPerCommit))}</td><td class="num">${escapeHtml(costPerCommitCell(row))}</td></tr>`)
    return `<article class="card" id="${escapeHtml(anchorOf(project.name))}"><h3>${escapeHtml(project.name)}</h3><p class="sub">${escapeHtml([project.kind === undefined ? undefined : kindLabel(project.kind), plural(commits, 'commit'), project.path].filter((part) => part !== undefined).join(' · '))}</p><div class="scroll"><table><thead><tr><th>Setup</th><th>Commits</th><th>User ⌀ (n)</th><th>Bugs/commit</th><th>Cost/commit</th></tr></thead><tbody>${rows.join('')}</tbody></table></div></article>`
  }).join('\n')}</div>`
}
