import { describe, expect, it } from 'vitest'
import type { ProjectProfile } from './project-profile.js'
import { SIMILARITY_THRESHOLD, SIMILARITY_WEIGHTS, isSimilarProject, projectSimilarity } from './project-similarity.js'

function profile(language: string, framework: string, scope: string, dependencies: string[] = []): ProjectProfile {
  return { language, framework, scope, dependencies, sources: [], fingerprint: 'x', profiledAt: '2026-01-01T00:00:00.000Z' }
}

describe('projectSimilarity', () => {
  it('weighs language 0.4, framework 0.25, scope 0.15 and shared dependencies 0.2, summing to 1', () => {
    expect(Object.values(SIMILARITY_WEIGHTS).reduce((sum, w) => sum + w, 0)).toBeCloseTo(1, 12)
    const shop = profile('typescript', 'react', 'web-app', ['react', 'zod'])
    expect(projectSimilarity(shop, shop)).toBeCloseTo(1, 12)
    expect(projectSimilarity(shop, profile('typescript', 'vue', 'web-app', ['vue', 'zod']))).toBeCloseTo(0.4 + 0.15 + 0.2 / 3, 12)
    expect(projectSimilarity(shop, profile('python', 'react', 'api', ['zod']))).toBeCloseTo(0.25 + 0.2 / 2, 12)
  })

  it('is symmetric', () => {
    const a = profile('typescript', 'react', 'web-app', ['react', 'zod', 'vite'])
    const b = profile('javascript', 'react', 'library', ['react'])
    expect(projectSimilarity(a, b)).toBe(projectSimilarity(b, a))
  })

  it('counts a language family (TypeScript/JavaScript, Java/Kotlin) as half a language match', () => {
    expect(projectSimilarity(profile('typescript', 'unknown', 'unknown'), profile('javascript', 'unknown', 'unknown'))).toBeCloseTo(0.2, 12)
    expect(projectSimilarity(profile('kotlin', 'unknown', 'unknown'), profile('java', 'unknown', 'unknown'))).toBeCloseTo(0.2, 12)
    expect(projectSimilarity(profile('go', 'unknown', 'unknown'), profile('rust', 'unknown', 'unknown'))).toBe(0)
  })

  it('never matches unknown with unknown, and two empty dependency lists share nothing', () => {
    expect(projectSimilarity(profile('unknown', 'unknown', 'unknown'), profile('unknown', 'unknown', 'unknown'))).toBe(0)
  })
})

describe('isSimilarProject (threshold 0.45)', () => {
  it('does not count a project as similar on the language alone', () => {
    expect(SIMILARITY_THRESHOLD).toBe(0.45)
    const api = profile('python', 'fastapi', 'api', ['fastapi', 'pydantic'])
    const ml = profile('python', 'pytorch', 'ml', ['torch', 'numpy'])
    expect(projectSimilarity(api, ml)).toBeCloseTo(0.4, 12)
    expect(isSimilarProject(api, ml)).toBe(false)
  })

  it('needs the language plus one more thing: scope, framework, or a quarter of the dependencies', () => {
    const api = profile('python', 'fastapi', 'api', ['fastapi', 'pydantic', 'sqlalchemy', 'stripe'])
    expect(isSimilarProject(api, profile('python', 'flask', 'api', ['flask']))).toBe(true)
    expect(isSimilarProject(api, profile('python', 'fastapi', 'cli', ['typer']))).toBe(true)
    expect(isSimilarProject(api, profile('python', 'pytorch', 'ml', ['pydantic', 'torch', 'numpy', 'pandas']))).toBe(false)
    expect(isSimilarProject(profile('python', 'unknown', 'unknown', ['a', 'b', 'c']), profile('python', 'unknown', 'unknown', ['a', 'x', 'y', 'z']))).toBe(false)
    expect(isSimilarProject(profile('python', 'unknown', 'unknown', ['a', 'b']), profile('python', 'unknown', 'unknown', ['a', 'c']))).toBe(true)
  })

  it('counts a same-family project with the same framework as similar (TypeScript and JavaScript React apps)', () => {
    expect(isSimilarProject(profile('typescript', 'react', 'unknown'), profile('javascript', 'react', 'unknown'))).toBe(true)
  })
})
