import { TrackerError } from '../errors.js'
import { storedRollup } from '../rollups/usage-rollup.js'
import type { ProjectProfile } from '../projects/project-profile.js'
import type { Recommendation, RecommendOptions, RecommendRecords } from '../projects/recommend.js'
import { recommendSetups } from '../projects/recommend.js'
import type { TrackerStore } from '../store/tracker-store.js'
import type { ProfiledProjects } from './profiled-projects.js'
import { withProfiles } from './profiled-projects.js'
import type { ProfileOptions } from './read-query.js'

/** A recommendation question: which setup for this project? */
export interface RecommendQuery extends RecommendOptions {
  /** The project's path. */
  readonly project: string
  /** Its profile, when the caller has read it; else it is read through `profileFolder`, else the stored one is used. */
  readonly profile?: ProjectProfile | undefined
}

/** The recommendation for a project, and which recorded projects it could not compare. */
export interface RecommendAnswer extends Recommendation {
  readonly project: string
  /** Recorded projects left out: no stored profile, and their folders could not be profiled. */
  readonly unprofiledProjects: readonly string[]
}

/**
 * Ranks setups for a project from their outcomes on similar projects (see `recommendSetups`).
 * Every recorded outcome counts, and the day rollups hold them all: commits, bugs, the user grades
 * that count and cost come from one record per setup, project and day (the model takes a setup's
 * grades a day at a time), git evidence one by one. The work grows with setups × projects × days,
 * not with the commits and grades behind them.
 * @throws {TrackerError} UNKNOWN_PROJECT when the project has no profile to compare by.
 */
export async function recommend(store: TrackerStore, query: RecommendQuery, options: ProfileOptions = {}): Promise<RecommendAnswer> {
  const { project, profile: given, ...tuning } = query
  const profile = given ?? options.profileFolder?.(project) ?? (await store.get('projects', [project]))?.profile
  if (profile === undefined) {
    throw new TrackerError('UNKNOWN_PROJECT', `No profile of ${project}: it has no stored profile and its folder cannot be read here, so there is nothing to compare other projects with.`)
  }
  const { projects, unprofiled, usage, evidence } = await recommendInputs(store, 'any', options)
  return { project, ...recommendSetups(profile, { projects, usage, evidence }, tuning), unprofiledProjects: unprofiled }
}

/**
 * What a recommendation reads: the projects in `projectOrder` (profiled through `profileFolder`
 * where they have no stored profile), every day rollup and the git evidence. A rollup that lacks
 * its grades is damage, said as such (DAMAGED_RECORD), not a TypeError in the model.
 */
async function recommendInputs(store: TrackerStore, projectOrder: 'newest' | 'any', options: ProfileOptions): Promise<ProfiledProjects & Required<Pick<RecommendRecords, 'usage' | 'evidence'>>> {
  const all = { order: 'any' } as const
  const [recorded, stored, evidence] = await Promise.all([store.find('projects', { order: projectOrder }), store.find('usage', all), store.find('evidence', all)])
  return { ...withProfiles(recorded, options.profileFolder), usage: stored.map((rollup) => storedRollup(rollup)), evidence }
}

/** The recommendation for projects of one kind (language, framework and scope) the tracker has seen. */
export interface ProfileRecommendation {
  /** `language/framework/scope`, e.g. `typescript/react/web-app`. */
  readonly kind: string
  /** The recorded projects of this kind (their paths), most recently active first. */
  readonly projects: readonly string[]
  readonly recommendation: Recommendation
}

/**
 * The recommendation for each kind of project recorded (see {@link recommend}): one per distinct
 * language, framework and scope, judged by the profile of its most recently active project, most
 * projects first. Reads the whole store once.
 */
export async function recommendByProfile(store: TrackerStore, tuning: RecommendOptions = {}, options: ProfileOptions = {}): Promise<ProfileRecommendation[]> {
  // Most recently active first: each kind is judged by the profile of its first project.
  const { projects, usage, evidence } = await recommendInputs(store, 'newest', options)
  const kinds = new Map<string, { profile: ProjectProfile; projects: string[] }>()
  for (const project of projects) {
    if (project.profile === undefined) continue
    const kind = [project.profile.language, project.profile.framework, project.profile.scope].join('/')
    const found = kinds.get(kind) ?? { profile: project.profile, projects: [] }
    kinds.set(kind, found)
    found.projects.push(project.path)
  }
  return [...kinds]
    .map(([kind, found]) => ({ kind, projects: found.projects, recommendation: recommendSetups(found.profile, { projects, usage, evidence }, tuning) }))
    .sort((a, b) => b.projects.length - a.projects.length || a.kind.localeCompare(b.kind))
}
