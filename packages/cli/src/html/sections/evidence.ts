import type { SetupReportRow } from '@agent-tracker/core'
import { grade } from '../../format.js'
import { channelCell, channelsExplained, channelsOf } from '../../grade-channels.js'
import { escapeHtml } from '../charts/svg.js'

/**
 * Where each setup's evidence comes from: the user's grades by the channel they came through
 * (`/grade` in OpenCode, the CLI at a terminal, a script, an import…), the agent's own grades, and
 * bugs. Self-grades are shown, never mixed into the user's; grades from a channel not the user's
 * own are shown with how many counted.
 */
export function evidenceSection(rows: readonly SetupReportRow[], nonUserChannels: readonly string[], colourOf: (setup: string) => string): string {
  if (rows.length === 0) return '<p class="note">No evidence in this window.</p>'
  const channels = channelsOf(rows)
  const mean = (value: number | null): string => ` <span class="muted">(⌀ ${escapeHtml(grade(value))})</span>`
  const cell = (content: string): string => `<td class="num">${content}</td>`
  const head = channels.length === 0
    ? '<th>User grades (⌀)</th>'
    : channels.map((channel) => `<th>${escapeHtml(channel)}</th>`).join('')
  const body = rows.map((row) => {
    const byChannel = channels.length === 0
      ? cell('–')
      : channels.map((channel) => {
          const found = row.userGradesByChannel.find((entry) => entry.channel === channel)
          return cell(found === undefined ? '–' : `${escapeHtml(channelCell(row, channel))}${mean(found.meanGrade)}`)
        }).join('')
    const selfGrades = row.agentGrades === 0 ? '–' : `${String(row.agentGrades)}${mean(row.meanAgentGrade)}`
    return `<tr><td><span class="swatch" style="background:${colourOf(row.setup)}"></span>${escapeHtml(row.setup)}</td>${byChannel}${cell(selfGrades)}${cell(String(row.bugs))}${cell(String(row.commits))}</tr>`
  })
  const note = nonUserChannels.length === 0
    ? 'User grades by the channel they came through: /grade in OpenCode (slash-command) or agent-tracker grade at your terminal (cli-terminal). Self-grades are what the agent said of its own work and never count as yours.'
    : `${channelsExplained(channels)} Self-grades are what the agent said of its own work and never count as yours.`
  const spans = channels.length === 0 ? '' : `<tr><th></th><th colspan="${String(channels.length)}">User grades by channel (⌀)</th><th colspan="3"></th></tr>`
  return `<p class="note">${escapeHtml(note)}</p><div class="scroll"><table><thead>${spans}<tr><th>Setup</th>${head}<th>Self-grades (⌀)</th><th>Bugs</th><th>Commits</th></tr></thead><tbody>${body.join('')}</tbody></table></div>`
}
