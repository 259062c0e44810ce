import type { EvidenceSummary } from '@agent-tracker/core'
import type { CommandContext } from './context.js'
import { perCommit, percent } from './format.js'

/** The git evidence per setup as a table, with a line saying what it is. */
export function evidenceTable(ctx: CommandContext, summaries: readonly EvidenceSummary[]): string[] {
  return [
    ctx.table<EvidenceSummary>([
      { header: 'SETUP', value: (s) => s.setup, priority: 10 },
      { header: 'COMMITS', value: (s) => String(s.commits), align: 'right', priority: 9 },
      { header: 'SUSPECTED BUGS', value: (s) => `${String(s.suspectedBugs)}${s.pending === 0 ? '' : ` (${String(s.pending)} pending)`}`, align: 'right', priority: 9 },
      { header: 'PER COMMIT', value: (s) => perCommit(s.suspectedBugsPerCommit), align: 'right', priority: 8 },
      { header: 'REVERTED', value: (s) => `${String(s.reverted)} (${percent(s.revertRate)})`, align: 'right', priority: 7 },
      { header: '30-DAY SURVIVAL', value: (s) => `${percent(s.survival30.share)} of ${String(s.survival30.commits)}`, align: 'right', priority: 6 },
      { header: 'CHURN 3D', value: (s) => (s.churned === 0 ? '0' : `${String(s.churned)} (${String(s.churnedLines)} lines)`), align: 'right', priority: 5 },
    ], summaries),
    ctx.colours.dim('Evidence from git, not from you: it never changes scores by itself. 30-day survival: share of added lines still at HEAD, of so many commits. Churn 3d: commits whose lines the same setup rewrote within 3 days.'),
  ]
}
