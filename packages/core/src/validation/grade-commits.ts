import type { Fact } from '../facts/facts.js'
import type { TrackerStore } from '../store/tracker-store.js'

/**
 * The referential rule at the door: a grade needs its commit. Returns the positions of the grade
 * facts whose commit is neither stored in the grade's project nor made by an earlier fact of the
 * same batch — a grade for an unrecorded commit would plant an orphan retrospective.
 */
export async function gradesWithoutCommit(store: Pick<TrackerStore, 'get'>, facts: readonly Fact[]): Promise<number[]> {
  const made = new Set<string>()
  const stored = new Map<string, Promise<boolean>>()
  const orphans: number[] = []
  for (let index = 0; index < facts.length; index++) {
    const fact = facts[index]
    if (fact === undefined) continue
    const slot = `${fact.project}\u0000${fact.kind === 'commit' ? fact.hash : fact.kind === 'grade' ? fact.commit : ''}`
    if (fact.kind === 'commit') made.add(slot)
    if (fact.kind !== 'grade' || made.has(slot)) continue
    let known = stored.get(slot)
    if (known === undefined) {
      known = store.get('commits', [fact.project, fact.commit]).then((record) => record !== undefined)
      stored.set(slot, known)
    }
    if (!(await known)) orphans.push(index)
  }
  return orphans
}

/** Why {@link gradesWithoutCommit} holds a grade back. */
export function gradeWithoutCommitReason(fact: Fact): string {
  return fact.kind === 'grade' ? `no commit ${fact.commit} is recorded in ${fact.project}; a grade needs its commit` : ''
}
