import type { TimedGrade } from '../projects/change-point.js'
import type { EvidenceRecord } from '../store/records.js'

/**
 * What the git evidence on one commit is worth in the recommendation, as a share of one user
 * grade: ten commits with evidence inform a setup's expected grade as much as one graded commit.
 * Chosen by backtest on generated histories (docs/recommendation.md): 0.25 decided as well but
 * made the 90% intervals cover less often than 90%.
 */
export const EVIDENCE_WEIGHT = 0.1
/**
 * The standard deviation, in grade points, of what git evidence cannot say about user grades
 * however much of it there is (how survival and suspected bugs map onto grades is a model, not a
 * measurement): the evidence's estimate never gets more precise than this.
 */
export const EVIDENCE_BIAS_SD = 1
/** The grade a commit stands for when it has an open suspected bug or was reverted. */
export const EVIDENCE_BAD_GRADE = -1
/** The grade a commit whose added lines all survived stands for; a share s of them stands for −1 + 3s. */
export const EVIDENCE_SURVIVAL_GRADE = 2

/** One setup's git evidence on the similar projects, as pseudo-grades and as counts. */
export interface SetupGitEvidence {
  /** One pseudo-grade per commit with evidence, weighted by its project's similarity, in time order. */
  readonly grades: readonly TimedGrade[]
  /** Open (unconfirmed, undismissed) suspected bugs, and reverts not retracted, on those commits. */
  readonly suspectedBugs: number
  readonly reverts: number
  /** Lines alive at the longest age measured over the lines added; null when none was measured. */
  readonly survival: number | null
}

/**
 * Turns git evidence into pseudo-grades, one per commit with evidence: −1 for a commit with an
 * open suspected bug or a revert; otherwise −1 + 3 × the share of its added lines that survived
 * (at the longest age measured), so 2 (good) when every line lasted. A dismissed or retracted
 * suspect says nothing; a confirmed one is a real bug already (it counts in the bug rate), so it
 * is not counted again here. Each pseudo-grade is dated by its commit (`commitTimes`; else a
 * survival record's time less its age, else the evidence's own time) and weighted by its project's
 * similarity; projects without one are left out.
 */
export function gitEvidenceBySetup(
  records: readonly EvidenceRecord[],
  similarity: ReadonlyMap<string, number>,
  commitTimes: ReadonlyMap<string, string> = new Map(),
): Map<string, SetupGitEvidence> {
  interface Entry { setup: string; weight: number; at: string; against: boolean; suspected: number; reverts: number; days: number; added: number; surviving: number }
  const commits = new Map<string, Entry>()
  for (const record of records) {
    const weight = similarity.get(record.project)
    if (weight === undefined || record.status === 'retracted' || record.status === 'dismissed') continue
    const key = `${record.setup}\u0000${record.project}\u0000${record.commit}`
    const entry = commits.get(key) ?? { setup: record.setup, weight, at: commitTimes.get(record.commit) ?? madeAt(record), against: false, suspected: 0, reverts: 0, days: 0, added: 0, surviving: 0 }
    commits.set(key, entry)
    if (record.signal === 'suspected-bug' && record.status === 'open') {
      entry.against = true
      entry.suspected += 1
    } else if (record.signal === 'revert') {
      entry.against = true
      entry.reverts += 1
    } else if (record.signal === 'survival' && (record.days ?? 0) >= entry.days && (record.added ?? 0) > 0) {
      entry.days = record.days ?? 0
      entry.added = record.added ?? 0
      entry.surviving = Math.min(record.surviving ?? 0, entry.added)
    }
  }
  const per = new Map<string, { grades: TimedGrade[]; suspectedBugs: number; reverts: number; added: number; surviving: number }>()
  for (const entry of commits.values()) {
    const s = per.get(entry.setup) ?? { grades: [], suspectedBugs: 0, reverts: 0, added: 0, surviving: 0 }
    per.set(entry.setup, s)
    s.suspectedBugs += entry.suspected
    s.reverts += entry.reverts
    s.added += entry.added
    s.surviving += entry.surviving
    const grade = entry.against
      ? EVIDENCE_BAD_GRADE
      : entry.added > 0 ? EVIDENCE_BAD_GRADE + (EVIDENCE_SURVIVAL_GRADE - EVIDENCE_BAD_GRADE) * (entry.surviving / entry.added) : undefined
    if (grade !== undefined) s.grades.push({ grade, weight: entry.weight, at: entry.at })
  }
  return new Map([...per].map(([setup, s]) => [setup, {
    grades: s.grades.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)),
    suspectedBugs: s.suspectedBugs,
    reverts: s.reverts,
    survival: s.added === 0 ? null : s.surviving / s.added,
  }]))
}

/** When the commit a piece of evidence is about was made, as far as the record tells: survival is measured `days` after it. */
function madeAt(record: EvidenceRecord): string {
  return record.signal === 'survival' && record.days !== undefined ? new Date(Date.parse(record.at) - record.days * 86_400_000).toISOString() : record.at
}
