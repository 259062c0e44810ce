import type { FolderProfiler } from '../projects/project-profile.js'
import type { RecordQuery } from '../store/tracker-store.js'

/** A time window: ISO dates or date-times; `since` inclusive, `until` exclusive. */
export interface TimeWindow {
  readonly since?: string | undefined
  readonly until?: string | undefined
}

/** Which records a list question covers, and how many it returns. */
export interface ListQuery extends TimeWindow {
  /** Only this setup's records. */
  readonly setup?: string | undefined
  /** Only this project's records (its path). */
  readonly project?: string | undefined
  /** At most this many, newest first; default 20. */
  readonly limit?: number | undefined
}

/** What a read service may reach beyond the store. */
export interface ProfileOptions {
  /** Profiles projects that have no stored profile; without it, only stored profiles are used. */
  readonly profileFolder?: FolderProfiler | undefined
}

/** What a read service may reach beyond the store, and how it shares the host's event loop. */
export interface ReadOptions extends ProfileOptions {
  /**
   * Called between pages of a long read and slices of its work: a host resolves it on its event
   * loop's next turn (`setImmediate`), so a long question never blocks the host for long.
   * Without it, a read service reads and works in as few steps as it can.
   */
  readonly pause?: (() => unknown) | undefined
}

/** The store query of a list question: only the fields it gives. */
export function recordQuery(query: ListQuery, limit?: number): RecordQuery {
  return {
    ...(query.setup === undefined ? {} : { setup: query.setup }),
    ...(query.project === undefined ? {} : { project: query.project }),
    ...windowQuery(query),
    ...(limit === undefined ? {} : { limit }),
  }
}

/** The store query of a time window: only the bounds it gives. */
export function windowQuery(window: TimeWindow): Pick<RecordQuery, 'since' | 'until'> {
  return {
    ...(window.since === undefined ? {} : { since: window.since }),
    ...(window.until === undefined ? {} : { until: window.until }),
  }
}
