import type { EvidenceRecord } from '../store/records.js'

/** How {@link fixDescription} words a fix. */
export interface FixDescriptionOptions {
  /** Name the files the fix changed (`in cart.js, totals.js`). */
  readonly files: boolean
  /** Fits the fix's subject to the room a listing has (a terminal's columns); the whole subject by default. */
  readonly fitSubject?: (subject: string) => string
}

/**
 * What a suspected bug's fix did, as every listing of suspected bugs says it, to follow the fix's
 * hash: ` "fix: totals" changed 3 of its lines in cart.js`. Evidence ingested or brought from
 * elsewhere may lack the subject, the lines or the files: what is missing is left out, never shown
 * as `""` or "0 of its lines" (`''` when nothing is known).
 */
export function fixDescription(record: Pick<EvidenceRecord, 'subject' | 'lines' | 'files'>, options: FixDescriptionOptions): string {
  const subject = record.subject === undefined || record.subject === '' ? '' : ` "${options.fitSubject === undefined ? record.subject : options.fitSubject(record.subject)}"`
  const files = !options.files || record.files === undefined || record.files.length === 0 ? '' : ` in ${record.files.join(', ')}`
  const changed = record.lines === undefined ? (files === '' ? '' : ` changed its lines${files}`) : ` changed ${String(record.lines)} of its lines${files}`
  return `${subject}${changed}`
}
