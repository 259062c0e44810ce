import type {
  CollectionName,
  CollectionRecords,
  Fact,
  FactPlan,
  RecordKey,
  RecordQuery,
  ScoringRules,
  TrackerStore,
} from '@agent-tracker/core'
import { planFacts } from '@agent-tracker/core'

const SETUP_SCOPED: ReadonlySet<CollectionName> = new Set(['setups', 'retrospectives', 'gradeEvents', 'bugs', 'activities', 'usage'])

/**
 * Plans pending facts against the inner store's current records, as a flush would, without
 * writing. The planner reads synchronously, so records it asks for are fetched and it is run
 * again until it asks for nothing new (usually two or three rounds).
 */
export async function planPending(inner: TrackerStore, facts: readonly Fact[], rules: ScoringRules): Promise<FactPlan> {
  const fetched = new Map<string, unknown>()
  for (;;) {
    const missing = new Map<string, { collection: CollectionName; key: RecordKey }>()
    const plan = planFacts(
      {
        get: <C extends CollectionName>(collection: C, key: RecordKey) => {
          const slot = slotOf(collection, key)
          if (fetched.has(slot)) return fetched.get(slot) as CollectionRecords[C] | undefined
          missing.set(slot, { collection, key })
          return undefined
        },
      },
      facts,
      rules,
    )
    if (missing.size === 0) return plan
    await Promise.all(
      [...missing].map(async ([slot, { collection, key }]) => {
        fetched.set(slot, await inner.get(collection, key))
      }),
    )
  }
}

/**
 * The pending facts that can change records of one collection matching a setup or project:
 * that setup's (or project's) facts, plus every commit, since commits are shared by project
 * and decide which later commit facts are repeats.
 */
export function relevantFacts(pending: readonly Fact[], collection: CollectionName, scope: Pick<RecordQuery, 'setup' | 'project'>): readonly Fact[] {
  const setup = SETUP_SCOPED.has(collection) ? scope.setup : undefined
  const project = collection === 'setups' ? undefined : scope.project
  if (setup === undefined && project === undefined) return pending
  return pending.filter(
    (fact) => fact.kind === 'commit' || ((setup === undefined || fact.setup === setup) && (project === undefined || fact.project === project)),
  )
}

/** The setup and project a primary key pins down, to narrow the facts to plan. */
export function scopeOfKey(collection: CollectionName, key: RecordKey): Pick<RecordQuery, 'setup' | 'project'> {
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

/** A stable string for a collection and key. */
export function slotOf(collection: CollectionName, key: RecordKey): string {
  return `${collection}\u0000${key.join('\u0000')}`
}
