import type { Fact } from '../facts/facts.js'
import { replaces, sameCommitSpan } from '../planning/plan-amend.js'
import type { TrackerStore } from '../store/tracker-store.js'

/**
 * The referential rule at the door: a grade needs its commit. Returns the positions of the grade
 * facts whose commit is not stored in the grade's project, not made by an earlier fact of the same
 * batch, and not replaced by a stored amend that planning would give the grade to (see
 * `replacementOf`) — a grade for an unrecorded commit would plant an orphan retrospective. A commit
 * fact the store has taken already (a repeat, as a merge or sync replays it) makes nothing: the
 * commit it names may have been replaced since.
 */
export async function gradesWithoutCommit(store: Pick<TrackerStore, 'get' | 'find' | 'knownFactIds'>, facts: readonly Fact[]): Promise<number[]> {
  const commits = facts.filter((fact) => fact.kind === 'commit')
  const taken = commits.length === 0 ? new Set<string>() : await store.knownFactIds(commits.map((fact) => fact.id))
  const made = new Set<string>()
  const madeAt = new Map<string, string>()
  const known = new Map<string, Promise<boolean>>()
  const orphans: number[] = []
  for (let index = 0; index < facts.length; index++) {
    const fact = facts[index]
    if (fact === undefined) continue
    if (fact.kind === 'commit') {
      const slot = `${fact.project}\u0000${fact.hash}`
      if (!taken.has(fact.id)) made.add(slot)
      if (!madeAt.has(slot)) madeAt.set(slot, fact.at)
      continue
    }
    if (fact.kind !== 'grade') continue
    const slot = `${fact.project}\u0000${fact.commit}`
    if (made.has(slot)) continue
    let found = known.get(slot)
    if (found === undefined) {
      found = hasCommit(store, fact.setup, fact.project, fact.commit, madeAt.get(slot) ?? fact.at)
      known.set(slot, found)
    }
    if (!(await found)) orphans.push(index)
  }
  return orphans
}

/** True when the commit is stored, or a stored commit of the setup made around `at` replaced it by an amend. */
async function hasCommit(store: Pick<TrackerStore, 'get' | 'find'>, setup: string, project: string, hash: string, at: string): Promise<boolean> {
  if ((await store.get('commits', [project, hash])) !== undefined) return true
  const span = sameCommitSpan(at)
  if (span === undefined) return false
  const around = await store.find('commits', { setup, since: span.since, until: span.until, order: 'any' })
  return around.some((record) => replaces(record, project, hash))
}

/** Why {@link gradesWithoutCommit} holds a grade back. */
export function gradeWithoutCommitReason(fact: Fact): string {
  return fact.kind === 'grade' ? `no commit ${fact.commit} is recorded in ${fact.project}; a grade needs its commit` : ''
}
