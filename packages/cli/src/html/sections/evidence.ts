import type { SetupReportRow } from '@agent-tracker/core'
import { grade } from '../../format.js'
import { escapeHtml } from '../charts/svg.js'

/** User grades that came through one channel (`/grade` in OpenCode, the CLI, an import…), where rows say so. */
interface ChannelGrades {
  readonly channel: string
  readonly grades: number
  readonly counted: number
  readonly meanGrade: number | null
}

/** The grades of a row by the channel they came through, when the store records channels; else none. */
function channelsOf(row: SetupReportRow): readonly ChannelGrades[] {
  return (row as SetupReportRow & { readonly userGradesByChannel?: readonly ChannelGrades[] }).userGradesByChannel ?? []
}

/**
 * Where each setup's evidence comes from: the user's grades (by channel, where recorded), the
 * agent's own grades, and bugs. Self-grades are shown, never mixed into the user's.
 */
export function evidenceSection(rows: readonly SetupReportRow[], colourOf: (setup: string) => string): string {
  if (rows.length === 0) return '<p class="note">No evidence in this window.</p>'
  const channels = [...new Set(rows.flatMap((row) => channelsOf(row).map((entry) => entry.channel)))]
  const tally = (count: number, mean: number | null): string => (count === 0 ? '–' : `${String(count)} <span class="muted">(⌀ ${escapeHtml(grade(mean))})</span>`)
  const cell = (content: string): string => `<td class="num">${content}</td>`
  const head = channels.length === 0
    ? '<th>User grades (⌀)</th>'
    : channels.map((channel) => `<th>User grades via ${escapeHtml(channel)} (⌀)</th>`).join('')
  const body = rows.map((row) => {
    const byChannel = channels.length === 0
      ? cell(tally(row.userGrades, row.meanUserGrade))
      : channels.map((channel) => {
          const found = channelsOf(row).find((entry) => entry.channel === channel)
          if (found === undefined) return cell('–')
          const uncounted = found.grades - found.counted
          return cell(`${tally(found.grades, found.meanGrade)}${uncounted > 0 ? ` <span class="muted">${String(uncounted)} not counted</span>` : ''}`)
        }).join('')
    return `<tr><td><span class="swatch" style="background:${colourOf(row.setup)}"></span>${escapeHtml(row.setup)}</td>${byChannel}${cell(tally(row.agentGrades, row.meanAgentGrade))}${cell(String(row.bugs))}${cell(String(row.commits))}</tr>`
  })
  const note = channels.length === 0
    ? 'User grades come from you (/grade in OpenCode, agent-tracker grade); self-grades are what the agent said of its own work and never count as yours.'
    : 'User grades by the channel they came through; grades from a channel that is not your own count only when you vouched for them.'
  return `<div class="scroll"><table><thead><tr><th>Setup</th>${head}<th>Self-grades (⌀)</th><th>Bugs</th><th>Commits</th></tr></thead><tbody>${body.join('')}</tbody></table></div><p class="note">${escapeHtml(note)}</p>`
}
