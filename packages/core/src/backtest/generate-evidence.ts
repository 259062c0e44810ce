import { evidenceFactId } from '../evidence/evidence-ids.js'
import type { EvidenceFact } from '../facts/facts.js'
import type { RandomSource } from '../stats/seeded-random.js'
import { normalDraw, seededRandom } from '../stats/seeded-random.js'
import { qualityForMeanGrade } from './grade-distribution.js'
import type { KnownTruth } from './known-truth.js'

/** Git evidence a generated history's commits would get from `agent-tracker evidence`. */
export interface GeneratedEvidence {
  readonly signal: 'suspected-bug' | 'revert' | 'survival'
  readonly setup: string
  /** The project's name. */
  readonly project: string
  readonly commit: string
  /** When it came to light: the fix, the revert, or the day survival was measured. */
  readonly at: string
  /** The fix's or revert's hash; for survival, the age. */
  readonly source: string
  readonly days?: number
  readonly added?: number
  readonly surviving?: number
}

/** A commit of a generated history, with the true mean grade and bug rate of its setup there and then. */
export interface TrueCommit {
  readonly setup: string
  readonly project: string
  readonly hash: string
  readonly at: string
  readonly meanGrade: number
  readonly bugRate: number
}

const DAY = 86_400_000
/** Evidence draws its own numbers (seeded from the history's seed), so that histories stay the same step for step with or without it. */
const EVIDENCE_SEED = 0x6e71de

/**
 * What git would say of each commit, drawn from the commit's true quality q (the grade
 * distribution's, 0–1) and bug rate — a model of the evidence, deliberately not the model
 * `recommend` assumes of it: a suspected bug (a later fix touching its lines, found 1–20 days on)
 * with chance 0.04 + bug rate + 0.15(1 − q); a revert (within 3 days) with chance 0.01 + 0.04(1 − q);
 * and, when the history runs 30 days past the commit, the share of its 5–200 added lines still
 * there, about 0.35 + 0.55q ± 0.2. Evidence found after the history's end is left out.
 */
export function generateEvidence(commits: readonly TrueCommit[], seed: number, until: string): GeneratedEvidence[] {
  const random = seededRandom(seed ^ EVIDENCE_SEED)
  const end = Date.parse(until)
  const found: GeneratedEvidence[] = []
  for (const commit of commits) {
    const q = qualityForMeanGrade(commit.meanGrade)
    const made = Date.parse(commit.at)
    const base = { setup: commit.setup, project: commit.project, commit: commit.hash }
    const later = (days: number): string | undefined => (made + days * DAY > end ? undefined : new Date(made + days * DAY).toISOString())
    if (random() < 0.04 + commit.bugRate + 0.15 * (1 - q)) {
      const at = later(1 + random() * 19)
      if (at !== undefined) found.push({ ...base, signal: 'suspected-bug', at, source: fakeHash(random) })
    }
    if (random() < 0.01 + 0.04 * (1 - q)) {
      const at = later(0.1 + random() * 2.9)
      if (at !== undefined) found.push({ ...base, signal: 'revert', at, source: fakeHash(random) })
    }
    const added = 5 + Math.floor(random() * 196)
    const share = Math.min(1, Math.max(0, 0.35 + 0.55 * q + 0.2 * normalDraw(random)))
    const at = later(30)
    if (at !== undefined) found.push({ ...base, signal: 'survival', at, source: 'HEAD', days: 30, added, surviving: Math.round(share * added) })
  }
  return found.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
}

/** The evidence as facts, with the ids `agent-tracker evidence` would give them; `projectPath` maps a project's name to its path. */
export function evidenceFacts(evidence: readonly GeneratedEvidence[], projectPath: (name: string) => string = (name) => name): EvidenceFact[] {
  return evidence.map((e) => {
    const project = projectPath(e.project)
    return {
      id: evidenceFactId(e.signal, project, e.commit, e.source, e.days),
      kind: 'evidence',
      at: e.at,
      setup: e.setup,
      project,
      signal: e.signal,
      commit: e.commit,
      source: e.source,
      ...(e.days === undefined ? {} : { days: e.days, added: e.added ?? 0, surviving: e.surviving ?? 0 }),
    }
  })
}

function fakeHash(random: RandomSource): string {
  return Array.from({ length: 5 }, () => Math.floor(random() * 2 ** 32).toString(16).padStart(8, '0')).join('')
}

/** The true outcome of each commit of a history, from its truth (used by {@link generateEvidence}). */
export function trueCommits(sessions: readonly { readonly setup: string; readonly project: string; readonly steps: readonly { readonly kind: string; readonly at: string; readonly hash?: string }[] }[], truth: KnownTruth): TrueCommit[] {
  const commits: TrueCommit[] = []
  for (const session of sessions) {
    const kind = truth.projects[session.project]
    for (const step of session.steps) {
      if (step.kind !== 'commit' || step.hash === undefined || kind === undefined) continue
      let outcome: { meanGrade: number; bugRate: number } | undefined
      for (const s of truth.outcomes) if (s.setup === session.setup && s.kind === kind && s.from <= step.at) outcome = s
      if (outcome !== undefined) commits.push({ setup: session.setup, project: session.project, hash: step.hash, at: step.at, meanGrade: outcome.meanGrade, bugRate: outcome.bugRate })
    }
  }
  return commits
}
