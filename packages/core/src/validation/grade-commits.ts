import type { Fact } from '../facts/facts.js'
import { replaces, sameCommitSpan } from '../planning/plan-amend.js'
import type { TrackerStore } from '../store/tracker-store.js'
import { COMMIT_HASH_DIGITS } from './host-facts.js'

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

/**
 * The grades, bugs and retrospectives of a batch from another host that name a commit another
 * setup made, by position, with why: `grade` and `bug` refuse to give one setup the grade or bug
 * of another's commit, and a host's facts are held to the same rule. The commit is the stored one
 * of the fact's project, or one an earlier commit fact of the batch makes.
 */
export async function factsOnAnotherSetupsCommit(store: Pick<TrackerStore, 'get'>, facts: readonly Fact[]): Promise<Map<number, string>> {
  const madeBy = new Map<string, string>()
  const refused = new Map<number, string>()
  for (const [index, fact] of facts.entries()) {
    if (fact.kind === 'commit') {
      const slot = `${fact.project}\u0000${fact.hash}`
      if (!madeBy.has(slot)) madeBy.set(slot, fact.setup)
      continue
    }
    if ((fact.kind !== 'grade' && fact.kind !== 'bug' && fact.kind !== 'retrospective') || fact.commit === undefined) continue
    const slot = `${fact.project}\u0000${fact.commit}`
    const maker = madeBy.get(slot) ?? (await store.get('commits', [fact.project, fact.commit]))?.setup
    if (maker !== undefined && maker !== fact.setup) {
      refused.set(index, `commit ${fact.commit} of ${fact.project} was made by ${maker}, not ${fact.setup}; a ${fact.kind} goes to the setup that made the commit`)
    }
  }
  return refused
}

/** Why {@link gradesWithoutCommit} holds a grade back. */
export function gradeWithoutCommitReason(fact: Fact): string {
  return fact.kind === 'grade' ? `no commit ${fact.commit} is recorded in ${fact.project}; a grade needs its commit` : ''
}

/** The setup's newest commits {@link expandCommitPrefixes} reads for an amend that replaced a commit a reference begins. */
const AMEND_LOOKBACK = 2000

/** What {@link expandCommitPrefixes} made of a batch: the facts, abbreviated commit references written out in full, and the positions it could not. */
export interface ExpandedCommits {
  readonly facts: readonly Fact[]
  /** Positions of facts whose abbreviated reference names more than one commit of their project, and why. */
  readonly ambiguous: ReadonlyMap<number, string>
}

/**
 * Writes out the abbreviated commit references of facts from another host (`git rev-parse
 * --short` gives seven digits): a reference that is not a stored commit of its project, and
 * begins exactly one — stored, or made by a commit fact of the same batch — becomes that commit's
 * full hash, so a grade, bug or retrospective joins the commit the hosts recorded. A reference that
 * begins several is said, not guessed at; one that begins none is left to the rule that a grade
 * needs its commit (see {@link gradesWithoutCommit}). The other way round, a full hash of a commit
 * stored under an abbreviated hash (a host that saw only what `git commit` printed) becomes the
 * stored form. A reference that begins no commit here but begins a hash an amend of the setup
 * replaced (among its newest {@link AMEND_LOOKBACK} commits) becomes the amend's hash.
 */
export async function expandCommitPrefixes(store: Pick<TrackerStore, 'get' | 'find'>, facts: readonly Fact[]): Promise<ExpandedCommits> {
  const made = facts.flatMap((fact) => (fact.kind === 'commit' ? [{ project: fact.project, hash: fact.hash }] : []))
  const ambiguous = new Map<number, string>()
  const expanded: Fact[] = []
  for (const [index, fact] of facts.entries()) {
    const ref = fact.kind === 'commit' || !('commit' in fact) ? undefined : fact.commit
    if (typeof ref !== 'string' || made.some((commit) => commit.project === fact.project && commit.hash === ref) || (await store.get('commits', [fact.project, ref])) !== undefined) {
      expanded.push(fact)
      continue
    }
    if (ref.length >= 40) {
      // A full hash of a commit a host recorded abbreviated (all `git commit` printed): the stored form.
      const shorter = (await store.find('commits', { project: fact.project, hashPrefix: ref.slice(0, COMMIT_HASH_DIGITS.min) })).filter((commit) => commit.hash.length < 40 && ref.startsWith(commit.hash))
      const longest = shorter.reduce<string | undefined>((best, commit) => (best === undefined || commit.hash.length > best.length ? commit.hash : best), undefined)
      expanded.push(longest === undefined ? fact : ({ ...fact, commit: longest } as Fact))
      continue
    }
    const stored = (await store.find('commits', { project: fact.project, hashPrefix: ref, limit: 6 })).map((commit) => commit.hash)
    const candidates = [...new Set([...stored, ...made.filter((commit) => commit.project === fact.project && commit.hash.startsWith(ref)).map((commit) => commit.hash)])].sort()
    // Begins no commit here: it may begin one an amend replaced (the setup's newest commits are read for it).
    if (candidates.length === 0) {
      const replacements = [...new Set((await store.find('commits', { setup: fact.setup, project: fact.project, limit: AMEND_LOOKBACK })).filter((commit) => [commit.amends, ...(commit.replaced ?? [])].some((replaced) => replaced?.startsWith(ref) === true)).map((commit) => commit.hash))]
      candidates.push(...replacements.sort())
    }
    const [only] = candidates
    if (candidates.length === 1 && only !== undefined) expanded.push({ ...fact, commit: only } as Fact)
    else {
      if (candidates.length > 1) ambiguous.set(index, `commit ${ref} begins ${String(candidates.length)} commits in ${fact.project} (${candidates.slice(0, 5).map((hash) => hash.slice(0, 12)).join(', ')}); give more of its hash`)
      expanded.push(fact)
    }
  }
  return { facts: expanded, ambiguous }
}
