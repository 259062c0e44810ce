import { TrackerError } from '../errors.js'
import { isHalted } from '../scoring/agent-state.js'
import { storedRollup } from '../rollups/usage-rollup.js'
import type { ProjectProfile } from '../projects/project-profile.js'
import type { Recommendation, RecommendOptions, RecommendRecords, SimilarProject } from '../projects/recommend.js'
import { recommendFromOutcomes, recommendSetups, similarProjects, similarityOf } from '../projects/recommend.js'
import type { SetupOutcomes } from '../projects/setup-evidence.js'
import { outcomeCollector } from '../projects/setup-evidence.js'
import type { SetupFilter } from '../reports/setup-filter.js'
import { matchesSetupFilter } from '../reports/setup-filter.js'
import type { TrackerStore } from '../store/tracker-store.js'
import { visitRecords } from '../store/tracker-store.js'
import { toIsoTimestamp } from '../time/iso-timestamp.js'
import type { ProfiledProjects } from './profiled-projects.js'
import { withProfiles } from './profiled-projects.js'
import type { ProfileOptions, TimeWindow } from './read-query.js'
import { windowRollups } from './window-rollups.js'
import { compareText } from '../text/compare-text.js'

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
  /**
   * The setups listed that are halted (SP 0: the guard blocks their tool calls until the user
   * reinstates them). They are ranked by their outcomes like any other; when the best one is
   * halted, the message says so and names the best one that is not.
   */
  readonly halted: readonly string[]
}

/**
 * Ranks setups for a project from their outcomes on similar projects (see `recommendSetups`).
 * Every recorded outcome counts, and the day rollups hold them all: commits, bugs, the user grades
 * that count and cost come from one record per setup, project and day (the model takes a setup's
 * grades a day at a time), git evidence one by one. The work grows with setups × projects × days
 * — only the similar projects' where the store keeps their outcome days — not with the commits and
 * grades behind them. The same as {@link readRecommendation} then
 * {@link answerRecommendation}.
 * @throws {TrackerError} UNKNOWN_PROJECT when the project has no profile to compare by.
 */
export async function recommend(store: TrackerStore, query: RecommendQuery, options: ProfileOptions = {}): Promise<RecommendAnswer> {
  return answerRecommendation(await readRecommendation(store, query, options))
}

/** What {@link answerRecommendation} computes a recommendation from: the question, and what the reads gave for it. */
export interface RecommendReading {
  readonly project: string
  readonly profile: ProjectProfile
  readonly tuning: RecommendOptions
  readonly similar: readonly SimilarProject[]
  /** Each setup's outcomes on the similar projects, collected as the day rollups were read (see `outcomeCollector`). */
  readonly outcomes: readonly SetupOutcomes[]
  readonly unprofiled: readonly string[]
  /** The setups that are halted now. */
  readonly halted: readonly string[]
}

/**
 * The reads of {@link recommend}, apart from its work: a host that reads a database through a
 * memory map can let the pages read go (close the store) before the model's work, and the two do
 * not add up in the process's peak memory. The projects are read first: then only the outcome days
 * of the similar projects are read, where the store keeps them (see `TrackerStore.outcomeDays`);
 * else each day rollup is counted into its setup's outcomes as it is read (a store's
 * `visitRecords`) and none is kept. Either way the same outcomes as from all rollups at once.
 * @throws {TrackerError} UNKNOWN_PROJECT when the project has no profile to compare by;
 * DAMAGED_RECORD for a rollup that lacks its grades.
 */
export async function readRecommendation(store: TrackerStore, query: RecommendQuery, options: ProfileOptions = {}): Promise<RecommendReading> {
  const { project, profile: given, ...tuning } = query
  const profile = given ?? options.profileFolder?.(project) ?? (await store.get('projects', [project]))?.profile
  if (profile === undefined) {
    throw new TrackerError('UNKNOWN_PROJECT', `No profile of ${project}: it has no stored profile and its folder cannot be read here, so there is nothing to compare other projects with.`)
  }
  const [recorded, evidence, setups] = await Promise.all([store.find('projects', { order: 'any' }), store.find('evidence', { order: 'any' }), store.find('setups')])
  const { projects, unprofiled } = withProfiles(recorded, options.profileFolder)
  const similar = similarProjects(profile, projects)
  const collector = outcomeCollector({}, similarityOf(similar))
  // The similar projects' outcome days where the store keeps them: the others' are never read.
  const days = similar.length === 0 ? [] : await store.outcomeDays?.(similar.map((entry) => entry.path))
  if (days !== undefined) for (const day of days) collector.add(day)
  else {
    await visitRecords(store, 'usage', { order: 'any' }, (rollup) => {
      collector.add(storedRollup(rollup))
    })
  }
  const halted = setups.filter((setup) => isHalted(setup.state)).map((setup) => setup.id)
  return { project, profile, tuning, similar, outcomes: collector.finish(evidence), unprofiled, halted }
}

/** The recommendation from what {@link readRecommendation} read: no store is needed. */
export function answerRecommendation(reading: RecommendReading): RecommendAnswer {
  const recommendation = recommendFromOutcomes(reading.profile, reading.similar, reading.outcomes, reading.tuning)
  const stopped = new Set(reading.halted)
  const halted = recommendation.setups.filter((s) => stopped.has(s.setup)).map((s) => s.setup)
  return { project: reading.project, ...recommendation, message: haltedNote(recommendation, stopped), unprofiledProjects: reading.unprofiled, halted }
}

/** A recommendation's first setup that is halted, and the best ranked setup that is not (undefined when every ranked one is). */
export interface HaltedLead {
  readonly setup: string
  readonly instead: string | undefined
}

/** When the setup a recommendation ranks first is halted: it, and the best ranked setup that is not; undefined when the first is not halted (or none is ranked). */
export function haltedLead(recommendation: Pick<Recommendation, 'setups'>, halted: ReadonlySet<string>): HaltedLead | undefined {
  const top = recommendation.setups.find((s) => s.rank === 1)
  if (top === undefined || !halted.has(top.setup)) return undefined
  const next = recommendation.setups.filter((s) => s.rank !== null && !halted.has(s.setup)).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0))[0]
  return { setup: top.setup, instead: next?.setup }
}

/** The recommendation's message, and, when the setup it puts first is halted, that it is and which ranked setup is the best that is not. */
function haltedNote(recommendation: Recommendation, halted: ReadonlySet<string>): string {
  const lead = haltedLead(recommendation, halted)
  if (lead === undefined) return recommendation.message
  const instead = lead.instead === undefined ? 'no other ranked setup can take its place' : `the best ranked setup that is not halted is ${lead.instead}`
  return `${recommendation.message} ${lead.setup} is halted, though: its tool calls are blocked until you reinstate it (agent-tracker reinstate ${lead.setup}); ${instead}.`
}

/**
 * Which outcomes a recommendation by profile is judged from: those of the setups a filter names
 * (`setup`, `agent`, `model`), in one project, within a time window — each optional; by default
 * every setup's, everywhere, of all time.
 */
export interface RecommendScope extends SetupFilter, TimeWindow {
  /** Only the work in this project (its path); the recommendation is then for its kind alone. */
  readonly project?: string | undefined
}

/**
 * What a recommendation reads: the projects in `projectOrder` (profiled through `profileFolder`
 * where they have no stored profile), the day rollups and the git evidence in `scope` (the
 * window's rollups exact at its edges, see `windowRollups`). A rollup that lacks its grades is
 * damage, said as such (DAMAGED_RECORD), not a TypeError in the model.
 * @throws {TrackerError} INVALID_TIMESTAMP for a bad window.
 */
async function recommendInputs(store: TrackerStore, projectOrder: 'newest' | 'any', options: ProfileOptions, scope: RecommendScope): Promise<ProfiledProjects & Required<Pick<RecommendRecords, 'usage' | 'evidence'>>> {
  const narrow = {
    ...(scope.setup === undefined ? {} : { setup: scope.setup }),
    ...(scope.project === undefined ? {} : { project: scope.project }),
    ...(scope.since === undefined ? {} : { since: toIsoTimestamp(scope.since, 'since') }),
    ...(scope.until === undefined ? {} : { until: toIsoTimestamp(scope.until, 'until') }),
  }
  const [recorded, stored, evidence] = await Promise.all([
    store.find('projects', { order: projectOrder }),
    Object.keys(narrow).length === 0 ? store.find('usage', { order: 'any' }) : windowRollups(store, narrow),
    store.find('evidence', { ...narrow, order: 'any' }),
  ])
  const inScope = (record: { readonly setup: string }): boolean => matchesSetupFilter(record.setup, scope)
  return { ...withProfiles(recorded, options.profileFolder), usage: stored.filter(inScope).map((rollup) => storedRollup(rollup)), evidence: evidence.filter(inScope) }
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
 * projects first. Reads the whole store once. With a `scope` (the filters of a narrowed report),
 * only the outcomes in it count — so only the setups it names are compared — and only the kinds
 * of the projects worked on in it are listed.
 * @throws {TrackerError} INVALID_TIMESTAMP for a bad window.
 */
export async function recommendByProfile(store: TrackerStore, tuning: RecommendOptions = {}, options: ProfileOptions = {}, scope: RecommendScope = {}): Promise<ProfileRecommendation[]> {
  // Most recently active first: each kind is judged by the profile of its first project.
  const { projects, usage, evidence } = await recommendInputs(store, 'newest', options, scope)
  const scoped = Object.values(scope).some((value) => value !== undefined)
  const worked = new Set(usage.map((rollup) => rollup.project))
  const kinds = new Map<string, { profile: ProjectProfile; projects: string[] }>()
  for (const project of projects) {
    if (project.profile === undefined || (scoped && !worked.has(project.path))) continue
    const kind = [project.profile.language, project.profile.framework, project.profile.scope].join('/')
    const found = kinds.get(kind) ?? { profile: project.profile, projects: [] }
    kinds.set(kind, found)
    found.projects.push(project.path)
  }
  return [...kinds]
    .map(([kind, found]) => ({ kind, projects: found.projects, recommendation: recommendSetups(found.profile, { projects, usage, evidence }, tuning) }))
    .sort((a, b) => b.projects.length - a.projects.length || compareText(a.kind, b.kind))
}
