import type { EvidenceFact, VerdictFact } from '../facts/facts.js'
import type { PlanOverlay } from './plan-overlay.js'
import type { EvidenceRecord } from '../store/records.js'

/**
 * Plans evidence from git, or a verdict on it; returns why it changed nothing, or undefined.
 * Neither touches a setup's scores (a confirmed suspected bug is scored by its own bug fact).
 * A verdict on a confirmed suspected bug changes nothing: the bug it became stays.
 */
export function planEvidence(overlay: PlanOverlay, fact: EvidenceFact | VerdictFact): string | undefined {
  if (fact.kind === 'evidence') {
    const slot = overlay.slot('evidence', fact.setup, fact.id)
    if (slot.record !== undefined) return `evidence ${fact.id} is already recorded`
    overlay.put(slot, evidenceRecord(fact))
    return undefined
  }
  const slot = overlay.slot('evidence', fact.setup, fact.evidence)
  const known = slot.record
  if (known === undefined) return `there is no evidence ${fact.evidence} against ${fact.setup}`
  if (known.status === fact.verdict) return `evidence ${fact.evidence} is already ${fact.verdict}`
  if (known.status === 'confirmed') return `evidence ${fact.evidence} was confirmed as a bug, which stays`
  const { note: _note, ...rest } = known
  overlay.put(slot, {
    ...rest,
    status: fact.verdict,
    decidedAt: fact.at,
    ...(fact.note === undefined ? {} : { note: fact.note }),
  })
  return undefined
}

/** The record an evidence fact makes: open, until a verdict decides it. */
export function evidenceRecord(fact: EvidenceFact): EvidenceRecord {
  const { kind: _kind, session: _session, ...fields } = fact
  return { v: 1, ...fields, status: 'open' }
}
