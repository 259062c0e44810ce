import type { EvidenceRecord, EvidenceSummary } from '@agent-tracker/core'
import type { CommandContext } from './context.js'
import { perCommit, percent, truncate } from './format.js'

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

/**
 * What a suspected bug's fix did, as its listings say it: ` "subject" changed 3 of its lines in
 * cart.js` (`files`: with the files; `subjectWidth`: the subject cut to that width). Evidence
 * ingested or brought from elsewhere may lack the subject, the lines or the files: what is missing
 * is left out, not shown empty.
 */
export function fixDescription(record: EvidenceRecord, options: { readonly files: boolean; readonly subjectWidth?: number }): string {
  const subject = record.subject === undefined || record.subject === '' ? '' : ` "${options.subjectWidth === undefined ? record.subject : truncate(record.subject, options.subjectWidth)}"`
  const files = !options.files || record.files === undefined || record.files.length === 0 ? '' : ` in ${record.files.join(', ')}`
  const changed = record.lines === undefined ? (files === '' ? '' : ` changed its lines${files}`) : ` changed ${String(record.lines)} of its lines${files}`
  return `${subject}${changed}`
}
