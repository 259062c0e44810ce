import { describe, expect, it } from 'vitest'
import type { Grade } from '../facts/grade.js'
import type { CommitRecord, EvidenceRecord, EvidenceStatus, GradeEventRecord, ProjectRecord } from '../store/records.js'
import type { ProjectProfile } from './project-profile.js'
import type { RecommendRecords, SetupRecommendation } from './recommend.js'
import { recommendSetups } from './recommend.js'

const PROFILE: ProjectProfile = { language: 'typescript', framework: 'react', scope: 'web-app', dependencies: ['react'], sources: [], fingerprint: 'x', profiledAt: '2026-01-01T00:00:00.000Z' }
const PROJECT = '/work/shop'
const START = Date.UTC(2026, 0, 5)
const at = (minute: number): string => new Date(START + minute * 60_000).toISOString()

/** What one setup did: its commits, the user grades of the first few, and git evidence on some of them. */
interface Work {
  readonly setup: string
  readonly commits: number
  readonly grades?: readonly Grade[]
  /** Per commit index: survival share at 30 days, or 'bug' (a suspected bug with this status) / 'revert'. */
  readonly evidence?: (index: number) => number | { readonly bug: EvidenceStatus } | 'revert' | undefined
}

function history(work: readonly Work[]): RecommendRecords {
  const projects: ProjectRecord[] = [{ v: 1, path: PROJECT, name: 'shop', firstSeenAt: at(0), lastSeenAt: at(0), profile: PROFILE }]
  const commits: CommitRecord[] = []
  const gradeEvents: GradeEventRecord[] = []
  const evidence: EvidenceRecord[] = []
  let minute = 0
  for (const w of work) {
    for (let c = 0; c < w.commits; c++) {
      const hash = `${w.setup.slice(0, 1)}${String(c).padStart(6, '0')}`
      minute += 1
      commits.push({ v: 1, project: PROJECT, hash, setup: w.setup, at: at(minute), message: 'work' })
      const grade = w.grades?.[c]
      if (grade !== undefined) gradeEvents.push({ v: 1, id: `g${hash}`, setup: w.setup, project: PROJECT, commit: hash, at: at(minute), by: 'user', userGrade: grade })
      const found = w.evidence?.(c)
      const base = { v: 1 as const, setup: w.setup, project: PROJECT, commit: hash, at: at(minute + 1) }
      if (typeof found === 'number') evidence.push({ ...base, id: `s${hash}`, signal: 'survival', source: 'head', days: 30, added: 100, surviving: Math.round(found * 100), status: 'open' })
      else if (found === 'revert') evidence.push({ ...base, id: `r${hash}`, signal: 'revert', source: `rev${hash}`, status: 'open' })
      else if (found !== undefined) evidence.push({ ...base, id: `b${hash}`, signal: 'suspected-bug', source: `fix${hash}`, lines: 3, status: found.bug })
    }
  }
  return { projects, commits, gradeEvents, bugs: [], usage: [], evidence }
}

const width = (s: SetupRecommendation | undefined): number => (s === undefined ? 0 : s.interval[1] - s.interval[0])
const find = (setups: readonly SetupRecommendation[], setup: string): SetupRecommendation | undefined => setups.find((s) => s.setup === setup)

const A = 'build@anthropic/claude-sonnet-4-5'
const B = 'build@openai/gpt-5'
/** Eight graded commits each, A somewhat better: a known anchor for the grade scale. */
const ANCHOR: readonly Work[] = [
  { setup: A, commits: 8, grades: [2, 2, 5, 1, 2, 2, 5, 2] },
  { setup: B, commits: 8, grades: [1, 2, 1, -1, 2, 1, 2, 1] },
]
const C = 'build@google/gemini-2.5-pro'

describe('recommendSetups with git evidence, the second and weaker signal', () => {
  it('gives a setup with one grade and forty commits with evidence an estimate, with a wider interval than graded setups and a why line that says how much came from git', () => {
    const records = history([...ANCHOR, { setup: C, commits: 40, grades: [2], evidence: () => 0.9 }])
    const without = recommendSetups(PROFILE, records, { evidenceWeight: 0 })
    expect(find(without.setups, C)).toMatchObject({ enoughData: false, evidence: null, effectiveSamples: 1 })

    const withEvidence = recommendSetups(PROFILE, records)
    const c = find(withEvidence.setups, C)
    // 1 grade + 40 commits × 0.1 = 5 ≥ 5: ranked.
    expect(c).toMatchObject({ enoughData: true, samples: 1, effectiveSamples: 5, evidence: { commits: 40, suspectedBugs: 0, reverts: 0, survival: 0.9 } })
    expect(c?.rank).not.toBeNull()
    expect(c?.evidence?.share).toBeGreaterThan(0.5)
    // Wider than if those five had all been graded commits (grades as varied as A's).
    const graded = recommendSetups(PROFILE, history([...ANCHOR, { setup: C, commits: 5, grades: [2, 1, 2, 5, 2] }]))
    expect(width(c)).toBeGreaterThan(width(find(graded.setups, C)))
    expect(c?.reason).toMatch(/from 1 graded commit and git evidence on 40 commits \(0 open suspected bugs, 0 reverts, 90% of lines lasting; each worth 0\.1 of a grade\) on 1 project similar to this one .*; \d+% of the estimate from git evidence;/)
    // The graded setups are barely moved: their own grades dominate.
    expect(find(withEvidence.setups, A)?.evidence).toBeNull()
    expect(find(withEvidence.setups, A)?.expectedGrade).toBeCloseTo(find(without.setups, A)?.expectedGrade ?? 0, 0)
  })

  it('never names a best setup on evidence alone, and never gives evidence alone a tight interval, however much of it there is', () => {
    const evidenceOnly = (commits: number) => recommendSetups(PROFILE, history([
      { setup: A, commits, evidence: () => 1 },
      { setup: B, commits, evidence: (i) => (i % 2 === 0 ? 'revert' : 0.5) },
    ]))
    const few = evidenceOnly(60)
    const many = evidenceOnly(2000)
    for (const answer of [few, many]) {
      expect(answer.setups.every((s) => s.samples === 0 && s.evidence !== null && s.evidence.share === 1)).toBe(true)
      // A leads on its evidence (all lines last; B's commits are half reverted), but is not named best: both stay contenders.
      expect(answer.setups.map((s) => [s.setup, s.rank])).toEqual([[A, 1], [B, 2]])
      expect(answer.contenders).toEqual([A, B])
      expect(answer.message).toMatch(/^No clear best setup yet/)
      // Never narrower than 1.5 grade points at 90% (grades run from −1 to 5).
      for (const s of answer.setups) expect(width(s)).toBeGreaterThan(1.5)
    }
    // Thirty times the evidence narrows the interval only towards the floor (a graded history thirty times longer would narrow it about fivefold).
    expect(width(find(many.setups, A))).toBeGreaterThan(0.6 * width(find(few.setups, A)))
    // Graded commits as many as the evidence commits would leave a far tighter interval.
    const graded = recommendSetups(PROFILE, history([{ setup: A, commits: 200, grades: Array<Grade>(200).fill(2).map((g, i) => (i % 3 === 0 ? 5 : g)) }, { setup: B, commits: 200, grades: Array<Grade>(200).fill(1) }]))
    expect(width(find(graded.setups, A))).toBeLessThan(0.5 * width(find(many.setups, A)))
  })

  it('counts an open suspected bug against its commit; a dismissed one no longer counts, and a confirmed one counts as the bug it became, not twice', () => {
    const withBugs = (status: EvidenceStatus) => recommendSetups(PROFILE, history([
      ...ANCHOR,
      { setup: C, commits: 40, grades: [2], evidence: (i) => (i < 20 ? { bug: status } : 1) },
    ]))
    const open = find(withBugs('open').setups, C)
    const dismissed = find(withBugs('dismissed').setups, C)
    const confirmed = find(withBugs('confirmed').setups, C)
    expect(open?.evidence).toMatchObject({ commits: 40, suspectedBugs: 20 })
    // Dismissed: those twenty commits carry no evidence at all any more.
    expect(dismissed?.evidence).toMatchObject({ commits: 20, suspectedBugs: 0 })
    expect(dismissed?.effectiveSamples).toBe(3)
    expect(dismissed?.expectedGrade ?? 0).toBeGreaterThan((open?.expectedGrade ?? 0) + 0.3)
    // Confirmed: a real bug now (recorded as a bug fact by the verdict), so not a suspected bug here too.
    expect(confirmed?.evidence).toMatchObject({ commits: 20, suspectedBugs: 0 })
    expect(confirmed?.expectedGrade).toBeCloseTo(dismissed?.expectedGrade ?? 0, 6)
  })

  it('learns how pseudo-grades map onto user grades from the setups that have both, so evidence places a setup among the graded ones', () => {
    // A and B are graded around 2.6 and 1.1, yet their evidence (30% of lines lasting) stands for −0.1: an offset of about +1.9.
    const graded = ANCHOR.map((w) => ({ ...w, commits: 40, evidence: () => 0.3 }))
    const c = find(recommendSetups(PROFILE, history([...graded, { setup: C, commits: 40, evidence: () => 0.3 }])).setups, C)
    const alone = find(recommendSetups(PROFILE, history([{ setup: C, commits: 40, evidence: () => 0.3 }])).setups, C)
    // Evidence like A's and B's places C between them, not at the pseudo-grade's −0.1.
    expect(c?.expectedGrade ?? 0).toBeGreaterThan(1.2)
    expect(c?.expectedGrade ?? 0).toBeLessThan(2.4)
    // Without any setup to learn the offset from, the estimate is less sure of it.
    expect(width(alone)).toBeGreaterThan(width(c))
  })

  it('leaves the answer exactly as before when there is no evidence', () => {
    const records = history(ANCHOR)
    const { evidence: _left, ...withoutEvidence } = records
    expect(recommendSetups(PROFILE, records)).toEqual(recommendSetups(PROFILE, withoutEvidence))
    expect(recommendSetups(PROFILE, records).setups.map((s) => [s.expectedGrade, s.interval])).toEqual(recommendSetups(PROFILE, records, { evidenceWeight: 0 }).setups.map((s) => [s.expectedGrade, s.interval]))
  })
})
