import type { EvidenceRecord } from '../store/records.js'

/** Git evidence about one setup's commits, each figure with its sample size. */
export interface EvidenceSummary {
  readonly setup: string
  /** Tracked commits in the projects scanned for evidence: the sample of the rates below. */
  readonly commits: number
  /** Suspected bugs not dismissed or retracted (open or confirmed), and those still waiting for a verdict. */
  readonly suspectedBugs: number
  readonly pending: number
  readonly confirmed: number
  readonly dismissed: number
  /** Suspected bugs per commit; null without commits. */
  readonly suspectedBugsPerCommit: number | null
  /** Commits reverted later, and their share of the commits. */
  readonly reverted: number
  readonly revertRate: number | null
  /** Lines still there 30 days on: commits measured, lines they added, lines surviving, and the share. */
  readonly survival30: SurvivalFigure
  readonly survival7: SurvivalFigure
  /** Commits whose lines the same setup rewrote within 3 days (churn), and how many lines. */
  readonly churned: number
  readonly churnedLines: number
}

/** Survival of added lines at one age. */
export interface SurvivalFigure {
  readonly commits: number
  readonly added: number
  readonly surviving: number
  /** surviving ÷ added; null when nothing was measured. */
  readonly share: number | null
}

/** True when a piece of evidence counts against its commit: a suspected bug or revert that is open or confirmed. */
export function countsAgainst(record: EvidenceRecord): boolean {
  return (record.signal === 'suspected-bug' || record.signal === 'revert') && (record.status === 'open' || record.status === 'confirmed')
}

/**
 * Sums evidence records per setup, beside the number of each setup's commits in the scanned
 * projects (the sample the rates are of). Setups with commits but no evidence get zeros.
 */
export function summariseEvidence(records: readonly EvidenceRecord[], commitsBySetup: ReadonlyMap<string, number>): EvidenceSummary[] {
  const setups = new Set([...commitsBySetup.keys(), ...records.map((record) => record.setup)])
  return [...setups].sort().map((setup) => {
    const mine = records.filter((record) => record.setup === setup)
    const commits = commitsBySetup.get(setup) ?? 0
    const bugs = mine.filter((record) => record.signal === 'suspected-bug')
    const suspected = bugs.filter(countsAgainst).length
    const reverted = new Set(mine.filter((record) => record.signal === 'revert' && countsAgainst(record)).map((record) => record.commit)).size
    const churn = mine.filter((record) => record.signal === 'churn' && record.status !== 'retracted')
    return {
      setup,
      commits,
      suspectedBugs: suspected,
      pending: bugs.filter((record) => record.status === 'open').length,
      confirmed: bugs.filter((record) => record.status === 'confirmed').length,
      dismissed: bugs.filter((record) => record.status === 'dismissed').length,
      suspectedBugsPerCommit: commits === 0 ? null : suspected / commits,
      reverted,
      revertRate: commits === 0 ? null : reverted / commits,
      survival30: survivalAt(mine, 30),
      survival7: survivalAt(mine, 7),
      churned: new Set(churn.map((record) => record.commit)).size,
      churnedLines: churn.reduce((sum, record) => sum + (record.lines ?? 0), 0),
    }
  })
}

function survivalAt(records: readonly EvidenceRecord[], days: number): SurvivalFigure {
  const measured = records.filter((record) => record.signal === 'survival' && record.days === days && record.status !== 'retracted')
  const added = measured.reduce((sum, record) => sum + (record.added ?? 0), 0)
  const surviving = measured.reduce((sum, record) => sum + (record.surviving ?? 0), 0)
  return { commits: measured.length, added, surviving, share: added === 0 ? null : surviving / added }
}

/** A short handle for a piece of evidence, for people to type: `<commit 7>-<source 7>` (survival: `<commit 7>-<days>d`). */
export function evidenceHandle(record: Pick<EvidenceRecord, 'commit' | 'source' | 'signal' | 'days'>): string {
  return `${record.commit.slice(0, 7)}-${record.signal === 'survival' ? `${String(record.days ?? 0)}d` : record.source.slice(0, 7)}`
}
