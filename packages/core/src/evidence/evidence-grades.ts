import type { EvidenceRecord } from '../store/records.js'
import { countsAgainst } from './evidence-summary.js'

/** The grade git evidence stands for when a commit has a suspected bug or was reverted. */
export const EVIDENCE_BAD_GRADE = -1
/** The grade a commit whose added lines all survived stands for; a share s of them stands for −1 + 3s. */
export const EVIDENCE_SURVIVAL_GRADE = 2

/** What git evidence says about one setup's commits on the projects a question weighs. */
export interface EvidenceSamples {
  /** Commits with evidence (a suspected bug, a revert, or survival measured). */
  readonly commits: number
  /** Their similarity-weighted count, and the weighted sums of their grades and squares. */
  readonly weight: number
  readonly sum: number
  readonly squares: number
  readonly suspectedBugs: number
  readonly reverts: number
  /** Lines alive at the longest age measured, over the lines added; null when none was measured. */
  readonly survival: number | null
}

/**
 * Turns git evidence into grades, one per commit with evidence, per setup: −1 for a commit with
 * an open or confirmed suspected bug or a revert; otherwise −1 + 3 × the share of its added lines
 * that survived (measured at the longest age there is), so 2 (good) when every line lasted.
 * `weightOf` gives each project's weight (its similarity); projects without one are left out.
 */
export function evidenceSamples(records: readonly EvidenceRecord[], weightOf: (project: string) => number | undefined): Map<string, EvidenceSamples> {
  const commits = new Map<string, { setup: string; weight: number; against: boolean; suspected: number; reverts: number; days: number; added: number; surviving: number }>()
  for (const record of records) {
    const weight = weightOf(record.project)
    if (weight === undefined || record.status === 'retracted' || record.status === 'dismissed') continue
    const key = `${record.setup}\u0000${record.project}\u0000${record.commit}`
    const entry = commits.get(key) ?? { setup: record.setup, weight, against: false, suspected: 0, reverts: 0, days: 0, added: 0, surviving: 0 }
    if (countsAgainst(record)) {
      entry.against = true
      if (record.signal === 'suspected-bug') entry.suspected += 1
      else entry.reverts += 1
    } else if (record.signal === 'survival' && (record.days ?? 0) >= entry.days && (record.added ?? 0) > 0) {
      entry.days = record.days ?? 0
      entry.added = record.added ?? 0
      entry.surviving = record.surviving ?? 0
    }
    commits.set(key, entry)
  }
  const per = new Map<string, { commits: number; weight: number; sum: number; squares: number; suspectedBugs: number; reverts: number; added: number; surviving: number }>()
  for (const entry of commits.values()) {
    const grade = entry.against ? EVIDENCE_BAD_GRADE : entry.added > 0 ? EVIDENCE_BAD_GRADE + (EVIDENCE_SURVIVAL_GRADE - EVIDENCE_BAD_GRADE) * (entry.surviving / entry.added) : undefined
    const s = per.get(entry.setup) ?? { commits: 0, weight: 0, sum: 0, squares: 0, suspectedBugs: 0, reverts: 0, added: 0, surviving: 0 }
    s.suspectedBugs += entry.suspected
    s.reverts += entry.reverts
    s.added += entry.added
    s.surviving += entry.surviving
    if (grade !== undefined) {
      s.commits += 1
      s.weight += entry.weight
      s.sum += entry.weight * grade
      s.squares += entry.weight * grade * grade
    }
    per.set(entry.setup, s)
  }
  return new Map([...per].map(([setup, s]) => [setup, { commits: s.commits, weight: s.weight, sum: s.sum, squares: s.squares, suspectedBugs: s.suspectedBugs, reverts: s.reverts, survival: s.added === 0 ? null : s.surviving / s.added }]))
}
