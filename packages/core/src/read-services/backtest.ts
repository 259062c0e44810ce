import type { BacktestOptions, BacktestResult } from '../backtest/backtest-recommendations.js'
import { backtestRecommendations } from '../backtest/backtest-recommendations.js'
import type { TrackerStore } from '../store/tracker-store.js'
import { withProfiles } from './profiled-projects.js'
import type { ProfileOptions } from './read-query.js'

/** How to backtest: the recommendation's tuning, the decision points, and truth if it is known. */
export type BacktestQuery = BacktestOptions

/** A backtest of the store's history, and which recorded projects it could not replay. */
export interface BacktestAnswer extends BacktestResult {
  /** Recorded projects left out: no stored profile, and their folders could not be profiled. */
  readonly unprofiledProjects: readonly string[]
}

/**
 * Replays the whole store in time order and judges what `recommend` would have said at each
 * decision point, given only what was known then (see `backtestRecommendations`): against
 * `query.truth` when the history was generated with a known truth, else against the outcomes
 * each setup realised afterwards. Reads every commit reference, grade, bug and usage record.
 */
export async function backtest(store: TrackerStore, query: BacktestQuery = {}, options: ProfileOptions = {}): Promise<BacktestAnswer> {
  const all = { order: 'any' } as const
  const [recorded, commits, gradeEvents, bugs, usage] = await Promise.all([
    store.find('projects', all), store.findCommitRefs(all), store.find('gradeEvents', all), store.find('bugs', all), store.find('usage', all),
  ])
  const { projects, unprofiled } = withProfiles(recorded, options.profileFolder)
  return { ...backtestRecommendations({ projects, commits, gradeEvents, bugs, usage }, query), unprofiledProjects: unprofiled }
}
