import type { ProjectProfile } from './project-profile.js'
import { UNKNOWN } from './project-profile.js'

/** Weights of the similarity formula; they sum to 1. */
export const SIMILARITY_WEIGHTS = { language: 0.4, framework: 0.25, scope: 0.15, dependencies: 0.2 } as const

/**
 * Projects at or above this similarity count as "like this one". Above the language weight on
 * purpose: the same language alone (0.4) is not enough; it takes the language plus the scope,
 * the framework, or a quarter of the dependencies in common.
 */
export const SIMILARITY_THRESHOLD = 0.45

const LANGUAGE_FAMILIES: readonly (readonly string[])[] = [['typescript', 'javascript'], ['java', 'kotlin']]

/**
 * How alike two projects are, from 0 to 1:
 * `0.4·language + 0.25·framework + 0.15·scope + 0.2·jaccard(dependencies)`, where language is 1
 * when equal and 0.5 within a family (TypeScript/JavaScript, Java/Kotlin), framework and scope
 * are 1 when equal, and `unknown` never matches anything.
 */
export function projectSimilarity(a: ProjectProfile, b: ProjectProfile): number {
  const w = SIMILARITY_WEIGHTS
  return w.language * languageMatch(a.language, b.language)
    + w.framework * Number(known(a.framework) && a.framework === b.framework)
    + w.scope * Number(known(a.scope) && a.scope === b.scope)
    + w.dependencies * jaccard(a.dependencies, b.dependencies)
}

function languageMatch(a: string, b: string): number {
  if (!known(a) || !known(b)) return 0
  if (a === b) return 1
  return LANGUAGE_FAMILIES.some((family) => family.includes(a) && family.includes(b)) ? 0.5 : 0
}

function jaccard(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 && b.length === 0) return 0
  const left = new Set(a)
  const shared = b.filter((name) => left.has(name)).length
  return shared / (left.size + new Set(b).size - shared)
}

function known(value: string): boolean {
  return value !== UNKNOWN && value !== ''
}

/** True when two projects are alike enough for one's outcomes to inform the other (similarity ≥ {@link SIMILARITY_THRESHOLD}). */
export function isSimilarProject(a: ProjectProfile, b: ProjectProfile): boolean {
  return isAboveThreshold(projectSimilarity(a, b))
}

/** True when a similarity reaches the threshold; sums of weights are compared with a rounding margin. */
export function isAboveThreshold(similarity: number): boolean {
  return similarity >= SIMILARITY_THRESHOLD - 1e-9
}
