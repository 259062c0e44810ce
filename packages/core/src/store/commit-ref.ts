import type { CommitRecord } from './records.js'
import { compareKeys } from './records.js'
import type { RecordQuery } from './tracker-store.js'

/** A commit without its message: who made it, in which project, when — all that counting needs. */
export interface CommitRef {
  readonly setup: string
  readonly project: string
  readonly hash: string
  readonly at: string
}

/** The reference of a commit record. */
export function toCommitRef(commit: Pick<CommitRecord, 'setup' | 'project' | 'hash' | 'at'>): CommitRef {
  return { setup: commit.setup, project: commit.project, hash: commit.hash, at: commit.at }
}

/**
 * The refs a normalised query selects, in its order and up to its limit: the same selection and
 * order `find('commits', query)` gives (by time, ties by project then hash).
 */
export function selectCommitRefs(refs: readonly CommitRef[], query: RecordQuery): CommitRef[] {
  const { setup, project, since, until, hashPrefix } = query
  const matching = refs.filter((r) => (setup === undefined || r.setup === setup) && (project === undefined || r.project === project)
    && (since === undefined || r.at >= since) && (until === undefined || r.at < until) && (hashPrefix === undefined || r.hash.startsWith(hashPrefix)))
  if (query.order !== 'any') {
    const direction = query.order === 'oldest' ? 1 : -1
    matching.sort((a, b) => direction * (a.at === b.at ? compareKeys([a.project, a.hash], [b.project, b.hash]) : a.at < b.at ? -1 : 1))
  }
  return query.limit === undefined ? matching : matching.slice(0, query.limit)
}
