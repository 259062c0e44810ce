import type { EvidenceSignal, EvidenceVerdict } from '../facts/facts.js'

/**
 * The id of a piece of git evidence, from the commits involved: `git:<signal>:<project>:<commit>:<source>`
 * (survival adds its days). The same history gives the same ids, so a rerun records nothing twice.
 */
export function evidenceFactId(signal: EvidenceSignal, project: string, commit: string, source: string, days?: number): string {
  return ['git', signal, project, commit, signal === 'survival' ? `${String(days ?? 0)}d` : source].join(':')
}

/** The id of a verdict on a piece of evidence: one per verdict, so repeating it records nothing. */
export function verdictFactId(evidence: string, verdict: EvidenceVerdict): string {
  return `${evidence}:${verdict}`
}

/** The id of the bug a confirmed suspected bug becomes. */
export function confirmedBugFactId(evidence: string): string {
  return `${evidence}:bug`
}
