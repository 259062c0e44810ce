import type { CollectionName, Fact, RecordKey, RecordQuery } from '@agent-tracker/core'
import type { PendingQueue } from './pending-queue.js'

const SETUP_SCOPED: ReadonlySet<CollectionName> = new Set(['setups', 'retrospectives', 'gradeEvents', 'bugs', 'activities', 'usage'])

/** The setup and project a read is confined to; a missing field means any. */
export type ReadScope = Pick<RecordQuery, 'setup' | 'project'>

/**
 * The part of a read's setup and project that decides which pending facts can change its records
 * (a setup record does not depend on the project, for instance).
 */
export function narrowScope(collection: CollectionName, scope: ReadScope): ReadScope {
  const setup = SETUP_SCOPED.has(collection) ? scope.setup : undefined
  const project = collection === 'setups' ? undefined : scope.project
  return { ...(setup === undefined ? {} : { setup }), ...(project === undefined ? {} : { project }) }
}

/** A stable string for a narrowed scope. */
export function scopeKey(scope: ReadScope): string {
  return `${scope.setup === undefined ? '*' : `=${scope.setup}`}\u0000${scope.project === undefined ? '*' : `=${scope.project}`}`
}

/** Pending facts to plan, and for each whether an earlier pending fact has its id (a repeat). */
export interface PendingFacts {
  readonly facts: readonly Fact[]
  readonly repeats: readonly boolean[]
}

/** No pending facts. */
export const NO_PENDING_FACTS: PendingFacts = { facts: [], repeats: [] }

/**
 * The facts at queue positions `[from, to)` that can change records in a narrowed scope: that
 * setup's (or project's) facts, plus every commit, since commits are shared by project and decide
 * which later commit facts have no effect.
 */
export function factsInScope(queue: PendingQueue, from: number, to: number, scope: ReadScope): PendingFacts {
  const { setup, project } = scope
  const all = queue.facts
  const facts: Fact[] = []
  const repeats: boolean[] = []
  for (let index = from; index < to; index++) {
    const fact = all[index]
    if (fact === undefined) break
    if (fact.kind === 'commit' || ((setup === undefined || fact.setup === setup) && (project === undefined || fact.project === project))) {
      facts.push(fact)
      repeats.push(queue.isRepeatAt(index))
    }
  }
  return { facts, repeats }
}

/** The setup and project a primary key pins down, to narrow the facts to plan. */
export function scopeOfKey(collection: CollectionName, key: RecordKey): ReadScope {
  switch (collection) {
    case 'setups':
      return { ...(key[0] === undefined ? {} : { setup: key[0] }) }
    case 'projects':
    case 'commits':
      return { ...(key[0] === undefined ? {} : { project: key[0] }) }
    case 'usage':
      return { ...(key[0] === undefined ? {} : { setup: key[0] }), ...(key[1] === undefined ? {} : { project: key[1] }) }
    default:
      return { ...(key[0] === undefined ? {} : { setup: key[0] }) }
  }
}
