import { describe, expect, it } from 'vitest'
import type { Grade } from '../facts/grade.js'
import type { ProjectProfile } from './project-profile.js'
import type { CommitRecord, EvidenceRecord, GradeEventRecord, ProjectRecord } from '../store/records.js'
import type { RecommendRecords } from './recommend.js'
import { recommendSetups } from './recommend.js'
import { rollUpRecords } from '../planning/plan-import.js'

/** A small seeded generator, so the synthetic history is the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function profile(language: string, framework: string, scope: string, dependencies: string[]): ProjectProfile {
  return { language, framework, scope, dependencies, sources: [], fingerprint: 'x', profiledAt: '2026-01-01T00:00:00.000Z' }
}

const TYPESCRIPT = profile('typescript', 'react', 'web-app', ['react', 'zod'])
const PYTHON = profile('python', 'fastapi', 'api', ['fastapi', 'pydantic'])
const A = 'build@anthropic/claude-sonnet-4-5'
const B = 'build@openai/gpt-5'

/** Draws a grade from weights over bad, neutral, good, excellence. */
function draw(next: () => number, weights: readonly number[]): Grade {
  const grades: Grade[] = [-1, 1, 2, 5]
  let roll = next() * weights.reduce((sum, w) => sum + w, 0)
  for (const [index, weight] of weights.entries()) {
    roll -= weight
    if (roll < 0) return grades[index] ?? 1
  }
  return 5
}

interface History {
  readonly projects: ProjectRecord[]
  readonly commits: CommitRecord[]
  readonly gradeEvents: GradeEventRecord[]
}

/** The records a recommendation reads: the projects, and the day rollups of the commits and grades. */
function recordsOf(history: History): RecommendRecords {
  return { projects: history.projects, rollups: rollUpRecords({ commits: history.commits, gradeEvents: history.gradeEvents }) }
}

/** Setup A is truly better on TypeScript projects and worse on Python ones; B the reverse. */
function syntheticHistory(commitsPerSetupAndProject: number, seed = 7): History {
  const next = random(seed)
  const good: [number, number, number, number] = [0.05, 0.2, 0.45, 0.3]
  const poor: [number, number, number, number] = [0.35, 0.45, 0.15, 0.05]
  const projects: ProjectRecord[] = []
  const commits: CommitRecord[] = []
  const gradeEvents: GradeEventRecord[] = []
  const kinds: readonly (readonly [string, ProjectProfile, Readonly<Record<string, readonly [number, number, number, number]>>])[] = [
    ['ts', TYPESCRIPT, { [A]: good, [B]: poor }],
    ['py', PYTHON, { [A]: poor, [B]: good }],
  ]
  let clock = Date.UTC(2026, 0, 1)
  for (const [name, shape, quality] of kinds) {
    for (let p = 0; p < 3; p++) {
      const path = `/work/${name}-${String(p)}`
      const extra = p === 0 ? [] : [`${name}-lib-${String(p)}`]
      projects.push({ v: 1, path, name: `${name}-${String(p)}`, firstSeenAt: '2026-01-01T00:00:00.000Z', lastSeenAt: '2026-01-01T00:00:00.000Z', profile: { ...shape, dependencies: [...shape.dependencies, ...extra] } })
      for (const setup of [A, B]) {
        for (let c = 0; c < commitsPerSetupAndProject; c++) {
          const at = new Date((clock += 60_000)).toISOString()
          const hash = `${name}${String(p)}${setup === A ? 'a' : 'b'}${String(c)}`
          commits.push({ v: 1, project: path, hash, setup, at, message: 'work' })
          gradeEvents.push({ v: 1, id: hash, setup, project: path, commit: hash, at, by: 'user', userGrade: draw(next, quality[setup] ?? good) })
        }
      }
    }
  }
  return { projects, commits, gradeEvents }
}

describe('recommendSetups', () => {
  it('picks A for a TypeScript folder and B for a Python one from a noisy synthetic history', () => {
    const history = syntheticHistory(8)
    const forTypescript = recommendSetups(profile('typescript', 'react', 'web-app', ['react']), recordsOf(history))
    const forPython = recommendSetups(profile('python', 'fastapi', 'api', ['fastapi']), recordsOf(history))
    expect(forTypescript.state).toBe('ranked')
    expect(forTypescript.setups.map((s) => [s.setup, s.rank])).toEqual([[A, 1], [B, 2]])
    expect(forPython.setups.map((s) => [s.setup, s.rank])).toEqual([[B, 1], [A, 2]])
    expect(forTypescript.similarProjects.map((p) => p.path)).toEqual(['/work/ts-0', '/work/ts-1', '/work/ts-2'])
    const best = forTypescript.setups[0]
    expect(best?.samples).toBe(24)
    expect(best?.interval[0]).toBeLessThan(best?.expectedGrade ?? 0)
    expect(best?.reason).toMatch(/^expected user grade \d\.\d \(90% \d\.\d–\d\.\d\) from 24 graded commits on 3 similar projects \(typescript\/react\/web-app\); 0\.00 bugs\/commit$/)
  })

  it('holds across seeds: the truly better setup wins in every one of 20 histories', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const history = syntheticHistory(8, seed)
      expect(recommendSetups(TYPESCRIPT, recordsOf(history)).setups[0]?.setup, `seed ${String(seed)}`).toBe(A)
      expect(recommendSetups(PYTHON, recordsOf(history)).setups[0]?.setup, `seed ${String(seed)}`).toBe(B)
    }
  })

  it('says "not enough data" instead of ranking with two data points', () => {
    const history = syntheticHistory(1)
    const twoPoints = { ...history, gradeEvents: history.gradeEvents.filter((e) => e.project === '/work/ts-0') }
    const result = recommendSetups(TYPESCRIPT, recordsOf(twoPoints))
    expect(twoPoints.gradeEvents).toHaveLength(2)
    expect(result.state).toBe('not-enough-data')
    expect(result.setups.every((s) => s.rank === null && !s.enoughData)).toBe(true)
    expect(result.setups[0]?.reason).toBe('not enough data: 1 graded commit on similar projects, 5 needed')
    expect(result.message).toMatch(/^Not enough data to recommend a setup yet/)
  })

  it('shrinks a small sample towards the overall mean and widens its interval', () => {
    const history = syntheticHistory(8)
    const few = { ...history, gradeEvents: history.gradeEvents.filter((e) => e.setup !== B || e.at < '2026-01-01T00:20:00.000Z') }
    const result = recommendSetups(TYPESCRIPT, recordsOf(few), { minSamples: 1 })
    const sparse = result.setups.find((s) => s.setup === B)
    const rich = result.setups.find((s) => s.setup === A)
    if (sparse === undefined || rich === undefined || sparse.meanUserGrade === null) throw new Error('missing setups')
    expect(Math.abs(sparse.expectedGrade - sparse.meanUserGrade)).toBeGreaterThan(0.1)
    expect(sparse.interval[1] - sparse.interval[0]).toBeGreaterThan(rich.interval[1] - rich.interval[0])
  })

  it('names a best setup only when its interval clears the runner-up\'s', () => {
    const result = recommendSetups(TYPESCRIPT, recordsOf(syntheticHistory(8)))
    expect(result.contenders).toEqual([A])
    expect(result.message).toMatch(new RegExp(`^Best for this project: ${A.replace(/[.]/g, '\\.')}, expected user grade`))
  })

  it('says when the top setups cannot be told apart yet because their intervals overlap', () => {
    const history = syntheticHistory(8)
    const C = 'build@example/twin-of-a'
    const twin = {
      ...history,
      commits: [...history.commits, ...history.commits.filter((c) => c.setup === A).map((c) => ({ ...c, setup: C, hash: `${c.hash}-c` }))],
      gradeEvents: [...history.gradeEvents, ...history.gradeEvents.filter((e) => e.setup === A).map((e) => ({ ...e, setup: C, id: `${e.id}-c`, commit: `${e.commit}-c` }))],
    }
    const result = recommendSetups(TYPESCRIPT, recordsOf(twin))
    expect(result.state).toBe('ranked')
    expect([...result.contenders].sort()).toEqual([A, C].sort())
    expect(result.message).toMatch(/^No clear best setup yet: build@\S+ and build@\S+ are not yet distinguishable \(their 90% intervals overlap\)/)
    expect(result.message).toContain('grade more commits to tell them apart')
  })

  it('does not learn from projects that share only the language', () => {
    const result = recommendSetups(profile('python', 'pytorch', 'ml', ['torch']), recordsOf(syntheticHistory(8)))
    expect(result.similarProjects).toEqual([])
    expect(result.state).toBe('no-data')
  })

  it('reports no data for a kind of project never seen', () => {
    const result = recommendSetups(profile('rust', 'axum', 'api', ['axum']), recordsOf(syntheticHistory(3)))
    expect(result).toMatchObject({ state: 'no-data', setups: [], similarProjects: [] })
    expect(result.message).toBe('No outcomes recorded on projects like this one (rust/axum/api) yet.')
  })

  it('takes git evidence as a second, weaker signal: few grades but many commits with evidence get an estimate with an honest interval', () => {
    const history = syntheticHistory(8)
    const fewGrades = { ...history, gradeEvents: history.gradeEvents.filter((e) => e.project === '/work/ts-0' && e.commit.endsWith('0')) }
    const withoutEvidence = recommendSetups(TYPESCRIPT, recordsOf(fewGrades))
    expect(withoutEvidence.state).toBe('not-enough-data')
    // A's commits lasted; half of B's were fixed later.
    const evidence: EvidenceRecord[] = history.commits.filter((c) => c.project.startsWith('/work/ts')).map((c, index): EvidenceRecord => {
      const suspected = c.setup === B && index % 2 === 0
      return suspected
        ? { v: 1, id: `bug-${c.hash}`, setup: c.setup, project: c.project, commit: c.hash, at: c.at, signal: 'suspected-bug', source: 'f1x', status: 'open' }
        : { v: 1, id: `surv-${c.hash}`, setup: c.setup, project: c.project, commit: c.hash, at: c.at, signal: 'survival', source: 'head', days: 30, added: 10, surviving: c.setup === A ? 10 : 6, status: 'open' }
    })
    const dismissed: EvidenceRecord = { v: 1, id: 'dismissed', setup: A, project: '/work/ts-1', commit: 'ts1a0', at: '2026-01-02T00:00:00.000Z', signal: 'suspected-bug', source: 'f2x', status: 'dismissed' }
    const result = recommendSetups(TYPESCRIPT, { ...recordsOf(fewGrades), evidence: [...evidence, dismissed] })
    expect(result.state).toBe('ranked')
    expect(result.setups.map((s) => s.setup)).toEqual([A, B])
    const [a, b] = result.setups
    expect(a).toMatchObject({ samples: 1, effectiveSamples: 1 + 0.25 * 24, evidence: { commits: 24, suspectedBugs: 0, reverts: 0, survival: 1 } })
    expect(b?.evidence).toMatchObject({ commits: 24, suspectedBugs: 12, survival: 0.6 })
    expect(a?.reason).toContain('from 1 graded commit and git evidence on 24 commits (each 0.25 of a grade: 0 suspected bugs, 0 reverts, 100% of lines lasting) on 3 similar projects')
    // Evidence narrows the interval less than as many real grades would.
    const graded = recommendSetups(TYPESCRIPT, recordsOf(history)).setups.find((s) => s.setup === A)
    const width = (s: typeof a): number => (s === undefined ? 0 : s.interval[1] - s.interval[0])
    expect(width(a)).toBeGreaterThan(width(graded))
    expect(width(a)).toBeLessThan(width(withoutEvidence.setups.find((s) => s.setup === A)))
    expect(recommendSetups(TYPESCRIPT, { ...recordsOf(fewGrades), evidence }, { evidenceWeight: 0 }).state).toBe('not-enough-data')
  })
})
