import { describe, expect, it } from 'vitest'
import type { Grade } from '../facts/grade.js'
import type { ProjectProfile } from './project-profile.js'
import type { CommitRecord, GradeEventRecord, ProjectRecord } from '../store/records.js'
import type { RecordsOneByOne } from './recommend.js'
import { recommendSetups } from './recommend.js'
import { seededRandom } from '../stats/seeded-random.js'

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

/** Setup A is truly better on TypeScript projects and worse on Python ones; B the reverse. */
function syntheticHistory(commitsPerSetupAndProject: number, seed = 7): RecordsOneByOne {
  const next = seededRandom(seed)
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
  return { projects, commits, gradeEvents, bugs: [], usage: [] }
}

describe('recommendSetups', () => {
  it('picks A for a TypeScript folder and B for a Python one from a noisy synthetic history', () => {
    const history = syntheticHistory(8)
    const forTypescript = recommendSetups(profile('typescript', 'react', 'web-app', ['react']), history)
    const forPython = recommendSetups(profile('python', 'fastapi', 'api', ['fastapi']), history)
    expect(forTypescript.state).toBe('ranked')
    expect(forTypescript.setups.map((s) => [s.setup, s.rank])).toEqual([[A, 1], [B, 2]])
    expect(forPython.setups.map((s) => [s.setup, s.rank])).toEqual([[B, 1], [A, 2]])
    expect(forTypescript.similarProjects.map((p) => p.path)).toEqual(['/work/ts-0', '/work/ts-1', '/work/ts-2'])
    const best = forTypescript.setups[0]
    expect(best?.samples).toBe(24)
    expect(best?.interval[0]).toBeLessThan(best?.expectedGrade ?? 0)
    expect(best?.reason).toMatch(/^expected user grade \d\.\d \(90% \d\.\d–\d\.\d\) from 24 graded commits on 3 projects similar to this one \(typescript\/react\/web-app\); 0\.00 bugs\/commit$/)
  })

  it('holds across seeds: the truly better setup wins in every one of 20 histories', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const history = syntheticHistory(8, seed)
      expect(recommendSetups(TYPESCRIPT, history).setups[0]?.setup, `seed ${String(seed)}`).toBe(A)
      expect(recommendSetups(PYTHON, history).setups[0]?.setup, `seed ${String(seed)}`).toBe(B)
    }
  })

  it('says "not enough data" instead of ranking with two data points', () => {
    const history = syntheticHistory(1)
    const twoPoints = { ...history, gradeEvents: history.gradeEvents.filter((e) => e.project === '/work/ts-0') }
    const result = recommendSetups(TYPESCRIPT, twoPoints)
    expect(twoPoints.gradeEvents).toHaveLength(2)
    expect(result.state).toBe('not-enough-data')
    expect(result.setups.every((s) => s.rank === null && !s.enoughData)).toBe(true)
    expect(result.setups[0]?.reason).toBe('not enough data: 1 graded commit on similar projects, 5 needed')
    expect(result.message).toMatch(/^Not enough data to recommend a setup yet/)
    // With one grade the model's normal tails reach far past the scale: the interval stops at its ends.
    for (const setup of result.setups) {
      for (const bound of setup.interval) expect(bound).toBeGreaterThanOrEqual(-1)
      for (const bound of setup.interval) expect(bound).toBeLessThanOrEqual(5)
    }
    expect(result.setups.some((setup) => setup.interval[0] === -1 || setup.interval[1] === 5)).toBe(true)
  })

  it('orders setups tied on every figure by the code units of their names, the same under any locale', () => {
    // Two setups with the same records, "alpha"'s listed first: every figure ties, and only the
    // tie-break can put "Zed" first. A locale's collation folds case and puts "alpha" first; code
    // units put "Zed" (capital) first.
    const history = syntheticHistory(12)
    const renamed = (setup: string): string => (setup === A ? 'Zed@p/m' : 'alpha@p/m')
    const tied = {
      ...history,
      commits: (history.commits ?? []).filter((c) => c.setup === A).flatMap((c) => [B, A].map((s) => ({ ...c, setup: renamed(s), hash: `${c.hash}${renamed(s)}` }))),
      gradeEvents: history.gradeEvents.filter((e) => e.setup === A).flatMap((e) => [B, A].map((s) => ({ ...e, setup: renamed(s), id: `${e.id}${renamed(s)}`, commit: `${e.commit}${renamed(s)}` }))),
    }
    const result = recommendSetups(TYPESCRIPT, tied)
    expect(result.setups.map((s) => s.setup)).toEqual(['Zed@p/m', 'alpha@p/m'])
    expect(result.setups[0]?.score).toBe(result.setups[1]?.score)
    expect(result.setups[0]?.expectedGrade).toBe(result.setups[1]?.expectedGrade)
  })

  it('shrinks a small sample towards the overall mean and widens its interval', () => {
    const history = syntheticHistory(8)
    const few = { ...history, gradeEvents: history.gradeEvents.filter((e) => e.setup !== B || e.at < '2026-01-01T00:20:00.000Z') }
    const result = recommendSetups(TYPESCRIPT, few, { minSamples: 1 })
    const sparse = result.setups.find((s) => s.setup === B)
    const rich = result.setups.find((s) => s.setup === A)
    if (sparse === undefined || rich === undefined || sparse.meanUserGrade === null) throw new Error('missing setups')
    expect(Math.abs(sparse.expectedGrade - sparse.meanUserGrade)).toBeGreaterThan(0.1)
    expect(sparse.interval[1] - sparse.interval[0]).toBeGreaterThan(rich.interval[1] - rich.interval[0])
  })

  it('names a best setup only when no other has a 2.5% chance of doing as well, and then suggests no exploration', () => {
    const result = recommendSetups(TYPESCRIPT, syntheticHistory(8))
    expect(result.contenders).toEqual([A])
    expect(result.message).toMatch(new RegExp(`^Best for this project: ${A.replace(/[.]/g, '\\.')}, expected user grade`))
    expect(result.setups[0]?.chanceBest).toBeGreaterThan(0.95)
    expect(result.explore).toBeNull()
  })

  it('names a newcomer with a few excellent grades as the setup to try next, and holds back the verdict for it', () => {
    const history = syntheticHistory(8)
    const N = 'build@example/newcomer'
    const hashes = ['n1', 'n2', 'n3']
    const withNewcomer = {
      ...history,
      commits: [...(history.commits ?? []), ...hashes.map((hash, index) => ({ v: 1 as const, project: '/work/ts-0', hash, setup: N, at: `2026-02-0${String(index + 1)}T10:00:00.000Z`, message: 'work' }))],
      gradeEvents: [...history.gradeEvents, ...hashes.map((hash, index) => ({ v: 1 as const, id: hash, setup: N, project: '/work/ts-0', commit: hash, at: `2026-02-0${String(index + 1)}T11:00:00.000Z`, by: 'user' as const, userGrade: 5 as const }))],
    }
    const result = recommendSetups(TYPESCRIPT, withNewcomer)
    const newcomer = result.setups.find((s) => s.setup === N)
    expect(newcomer?.rank).toBeNull()
    expect(result.explore?.setup).toBe(N)
    expect(result.explore?.chanceBest).toBe(newcomer?.chanceBest)
    expect(result.explore?.reason).toMatch(/^\d+% chance of being the best from 3 graded commits: a trial would narrow its interval/)
    expect(result.contenders).toContain(N)
    expect(result.message).toContain(`${N} has 3 graded commits`)
  })

  it('says when the top setups cannot be told apart yet, and offers the runner-up to learn from', () => {
    const history = syntheticHistory(8)
    const C = 'build@example/twin-of-a'
    const twin = {
      ...history,
      commits: [...(history.commits ?? []), ...(history.commits ?? []).filter((c) => c.setup === A).map((c) => ({ ...c, setup: C, hash: `${c.hash}-c` }))],
      gradeEvents: [...history.gradeEvents, ...history.gradeEvents.filter((e) => e.setup === A).map((e) => ({ ...e, setup: C, id: `${e.id}-c`, commit: `${e.commit}-c` }))],
    }
    const result = recommendSetups(TYPESCRIPT, twin)
    expect(result.state).toBe('ranked')
    expect([...result.contenders].sort()).toEqual([A, C].sort())
    expect(result.message).toMatch(/^No clear best setup yet: build@\S+ and build@\S+ are not yet distinguishable — each challenger still has at least a 2.5% chance of doing as well; /)
    expect(result.message).toContain('grade more commits to tell them apart')
    expect(result.explore?.setup).toBe(result.setups[1]?.setup)
    expect((result.setups[0]?.chanceBest ?? 0) + (result.setups[1]?.chanceBest ?? 0)).toBeCloseTo(1, 2)
  })

  it('learns only from grades that count: one from a script or an agent\'s shell, unvouched, says nothing', () => {
    const history = syntheticHistory(8)
    const N = 'build@example/self-praising'
    const hashes = ['s1', 's2', 's3', 's4', 's5', 's6']
    const praised = (channel: 'cli-script' | 'slash-command', vouched: boolean): RecordsOneByOne => ({
      ...history,
      commits: [...(history.commits ?? []), ...hashes.map((hash, index) => ({ v: 1 as const, project: '/work/ts-0', hash, setup: N, at: `2026-02-0${String(index + 1)}T10:00:00.000Z`, message: 'work' }))],
      gradeEvents: [...history.gradeEvents, ...hashes.map((hash, index) => ({
        v: 1 as const, id: hash, setup: N, project: '/work/ts-0', commit: hash, at: `2026-02-0${String(index + 1)}T11:00:00.000Z`, by: 'user' as const, userGrade: 5 as const, channel, ...(vouched ? { vouched: true as const } : {}),
      }))],
    })
    const scripted = recommendSetups(TYPESCRIPT, praised('cli-script', false)).setups.find((s) => s.setup === N)
    expect(scripted).toMatchObject({ commits: 6, samples: 0, meanUserGrade: null, rank: null })
    for (const counted of [praised('cli-script', true), praised('slash-command', false)]) {
      expect(recommendSetups(TYPESCRIPT, counted).setups.find((s) => s.setup === N)).toMatchObject({ samples: 6, meanUserGrade: 5, enoughData: true })
    }
  })

  it('does not learn from projects that share only the language', () => {
    const result = recommendSetups(profile('python', 'pytorch', 'ml', ['torch']), syntheticHistory(8))
    expect(result.similarProjects).toEqual([])
    expect(result.state).toBe('no-data')
  })

  it('reports no data for a kind of project never seen', () => {
    const result = recommendSetups(profile('rust', 'axum', 'api', ['axum']), syntheticHistory(3))
    expect(result).toMatchObject({ state: 'no-data', setups: [], similarProjects: [] })
    expect(result.message).toBe('No outcomes recorded on projects like this one (rust/axum/api) yet.')
  })
})
