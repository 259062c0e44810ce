import type { CommitFact } from '../facts/facts.js'
import type { Mutable } from '../mutable.js'
import type { CommitRecord, RetrospectiveRecord } from '../store/records.js'
import type { PlanOverlay, PlanSlot } from './plan-overlay.js'
import { isoTimestampOfMs } from '../time/iso-timestamp.js'
import { isFullCommitHash } from '../validation/host-facts.js'

/**
 * The commit an amend fact replaces: the one its `amends` names, when that is recorded in the
 * fact's project for the fact's setup (and is not the fact's own hash). Undefined otherwise: the
 * fact is then an ordinary new commit.
 */
export function replacedCommit(overlay: PlanOverlay, fact: CommitFact): CommitRecord | undefined {
  if (fact.amends === undefined || fact.amends === fact.hash) return undefined
  const replaced = overlay.slot('commits', fact.project, fact.amends).record
  return replaced?.setup === fact.setup ? replaced : undefined
}

/**
 * How far apart in time two records of one commit may be, at least: a commit fact of the commit an
 * amend replaced is matched with the commit that replaced it within this span on either side (the
 * replacement keeps the first commit's time as this database recorded it; another host or a
 * script may have timed the same commit a little differently).
 */
export const SAME_COMMIT_SPAN_MS = 24 * 60 * 60_000

const DAY_MS = 24 * 60 * 60_000

/**
 * The recorded commit of the setup in the project that replaced `hash` by `git commit --amend`,
 * directly or through amends of amends, if `hash` was made around `at`: a commit fact of a
 * replaced commit (replayed by a merge or sync, or sent again under another id) must not bring
 * it back, and what names it belongs to its replacement. A bounded read: the setup's commits of
 * the day of `at` and the days before and after it (see {@link sameCommitSpan}). Only a full hash
 * can have been replaced: an amend names what it replaced by its full hash.
 */
export function replacementOf(overlay: PlanOverlay, setup: string, project: string, hash: string, at: string): CommitRecord | undefined {
  const span = sameCommitSpan(at)
  if (span === undefined || !isFullCommitHash(hash)) return undefined
  for (const slot of overlay.since('commits', setup, span.since, span.until)) {
    const record = slot.record
    if (record !== undefined && replaces(record, project, hash)) return record
  }
  return undefined
}

/**
 * The span of time {@link replacementOf} reads a setup's commits in around `at`: whole UTC days
 * from the day before `at`'s to the day after it, so that the commits of one day share one read
 * (at least {@link SAME_COMMIT_SPAN_MS} either side). Undefined for a time that is none.
 */
export function sameCommitSpan(at: string): { readonly since: string; readonly until: string } | undefined {
  const ms = Date.parse(at)
  if (Number.isNaN(ms)) return undefined
  const day = Math.floor(ms / DAY_MS) * DAY_MS
  // Planning asks for every commit and grade of a batch, mostly of one day: the day's span is kept.
  if (day !== lastSpanDay || lastSpan === undefined) {
    lastSpan = { since: isoTimestampOfMs(day - SAME_COMMIT_SPAN_MS), until: isoTimestampOfMs(day + DAY_MS + SAME_COMMIT_SPAN_MS) }
    lastSpanDay = day
  }
  return lastSpan
}

let lastSpanDay = Number.NaN
let lastSpan: { readonly since: string; readonly until: string } | undefined

/** True when the commit record replaced `hash` of `project` by an amend, directly or through amends of amends. */
export function replaces(record: CommitRecord, project: string, hash: string): boolean {
  return record.project === project && record.hash !== hash && (record.amends === hash || record.replaced?.includes(hash) === true)
}

/**
 * Plans an amend that replaces a recorded commit: the new commit takes the old one's place, so the
 * commit counts once. The old record goes and the new one is stored under the old one's time (as
 * git keeps an amended commit's author date: it is the same piece of work, so it stays on its day
 * in the rollups, and an amend of an amend still finds everything said of the first commit), and
 * with the old task and session where the fact has none; the setup's retrospective of the old
 * commit becomes the new one's, and its grade events and bugs that name the old commit name the
 * new one. The setup's scores do not change: the commit was counted when it was first made.
 */
export function planAmend(overlay: PlanOverlay, fact: CommitFact, replaced: CommitRecord): void {
  const { setup, project } = fact
  overlay.remove(overlay.slot('commits', project, replaced.hash))
  overlay.put(overlay.slot('commits', project, fact.hash), amendedRecord(fact, replaced))
  const retro = overlay.slot('retrospectives', setup, replaced.hash)
  if (retro.record !== undefined) {
    const target = overlay.slot('retrospectives', setup, fact.hash)
    overlay.put(target, movedRetrospective(retro.record, target, fact, replaced))
    overlay.remove(retro)
  }
  for (const collection of ['gradeEvents', 'bugs'] as const) {
    // What names a commit was said of it after it was made.
    for (const slot of overlay.since(collection, setup, replaced.at)) {
      const record = slot.record
      if (record?.commit === replaced.hash && record.project === project) overlay.put(slot, { ...record, commit: fact.hash })
    }
  }
}

function amendedRecord(fact: CommitFact, replaced: CommitRecord): CommitRecord {
  const task = fact.task ?? replaced.task
  const session = fact.session ?? replaced.session
  return {
    v: 1, project: fact.project, hash: fact.hash, setup: fact.setup, at: replaced.at,
    // A host that knew no message for the amend leaves it empty: the replaced commit's is the better guess.
    message: fact.message === '' ? replaced.message : fact.message,
    ...(task === undefined ? {} : { task }),
    ...(session === undefined ? {} : { session }),
    amends: replaced.hash,
    ...(replaced.amends === undefined ? {} : { replaced: [...(replaced.replaced ?? [replaced.amends]), replaced.hash] }),
  }
}

/**
 * The old commit's retrospective under the new hash. A task it took from the old commit's message
 * follows the new message. Were the new hash reviewed already, what its own review holds wins, and
 * the old review fills the rest.
 */
function movedRetrospective(old: RetrospectiveRecord, target: PlanSlot<'retrospectives'>, fact: CommitFact, replaced: CommitRecord): RetrospectiveRecord {
  const moved: Mutable<RetrospectiveRecord> = { ...old, commit: fact.hash }
  if (fact.task === undefined && replaced.task === undefined && old.task === replaced.message && fact.message !== '') moved.task = fact.message
  const known = target.record
  if (known === undefined) return moved
  return { ...moved, ...known, at: old.at < known.at ? old.at : known.at }
}
