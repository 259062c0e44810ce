import type { AgentState } from '../scoring/agent-state.js'
import type { CommitFact, Fact, GradeFact, RetrospectiveFact, ToolCallFact } from '../facts/facts.js'
import { isCountedGrade } from '../facts/grade-channel.js'
import { gradeNote, noteTooLong, withNote } from '../facts/notes.js'
import type { Mutable } from '../mutable.js'
import type { PlanOverlay, PlanSlot } from './plan-overlay.js'
import type { CollectionRecords, RetrospectiveRecord, UsageRecord } from '../store/records.js'
import { dayOf } from '../time/iso-timestamp.js'
import { countUsageInPlace, emptyUsage, withGrades } from '../rollups/usage-rollup.js'

/** A fact planned on its own: tool calls are planned in runs instead (see `planFacts`). */
export type SingleFact = Exclude<Fact, ToolCallFact>

/**
 * The fact as it will be applied, or the reason it changes nothing: a commit already recorded in
 * its project, a grade whose every given grade the commit already has (a grade repeating only
 * one of two is applied without it), or a note that the commit's notes cannot take (see
 * `noteTooLong`).
 */
export function effectiveFact(overlay: PlanOverlay, fact: SingleFact): SingleFact | string {
  if (fact.kind === 'commit') {
    const known = overlay.slot('commits', fact.project, fact.hash).record
    return known === undefined ? fact : `commit ${fact.hash} in ${fact.project} is already recorded`
  }
  if (fact.kind === 'retrospective') return noteProblem(overlay, fact) ?? fact
  // A grade that counts for nothing takes no place in the retrospective: it is only recorded.
  if (fact.kind !== 'grade' || !isCountedGrade(fact)) return fact
  const retro = overlay.slot('retrospectives', fact.setup, fact.commit).record
  const agentGrade = retro?.agentGrade === undefined ? fact.agentGrade : undefined
  const userGrade = retro?.userGrade === undefined ? fact.userGrade : undefined
  if (agentGrade === undefined && userGrade === undefined) {
    return `commit ${fact.commit} already has the ${fact.userGrade === undefined ? 'agent' : 'user'} grade`
  }
  const problem = noteProblem(overlay, fact)
  if (problem !== undefined) return problem
  // Only the fields of the effective fact are read, so the fact itself serves when it drops nothing.
  if (agentGrade === fact.agentGrade && userGrade === fact.userGrade) return fact
  const { agentGrade: _agent, userGrade: _user, ...rest } = fact
  return {
    ...rest,
    ...(agentGrade === undefined ? {} : { agentGrade }),
    ...(userGrade === undefined ? {} : { userGrade }),
  }
}

/** Why the user's or the agent's note of a grade or narrative cannot join the commit's notes of theirs (they would grow too long), if so. */
function noteProblem(overlay: PlanOverlay, fact: GradeFact | RetrospectiveFact): string | undefined {
  if (fact.userNote === undefined && fact.agentNote === undefined) return undefined
  const retro = overlay.slot('retrospectives', fact.setup, fact.commit).record
  const problem = (fact.userNote === undefined ? undefined : noteTooLong(retro?.userNote, fact.userNote))
    ?? (fact.agentNote === undefined ? undefined : noteTooLong(retro?.agentNote, fact.agentNote))
  return problem === undefined ? undefined : `${problem} (commit ${fact.commit})`
}

/**
 * Plans the records an applied fact adds or changes besides its setup and project, given the
 * setup's communication score before the fact and its state after it.
 */
export function recordEffect(overlay: PlanOverlay, fact: SingleFact, communicationBefore: number, after: AgentState): void {
  const { id, at, setup, project } = fact
  switch (fact.kind) {
    case 'command': {
      const usage = usageDraft(overlay, fact)
      usage.commands = usage.commands + 1
      break
    }
    case 'push': {
      const usage = usageDraft(overlay, fact)
      usage.pushes = usage.pushes + 1
      break
    }
    case 'usage': {
      countUsageInPlace(usageDraft(overlay, fact), fact)
      break
    }
    case 'commit': {
      const usage = usageDraft(overlay, fact)
      usage.commits = usage.commits + 1
      overlay.put(overlay.slot('commits', fact.project, fact.hash), commitRecord(fact))
      break
    }
    case 'grade': {
      const usage = usageDraft(overlay, fact)
      usage.grades = withGrades(usage.grades, { ...fact, scoreBefore: communicationBefore, scoreAfter: after.communication })
      overlay.putNew('gradeEvents', {
        v: 1, id, setup, project, at, commit: fact.commit, by: fact.by,
        ...(fact.agentGrade === undefined ? {} : { agentGrade: fact.agentGrade }),
        ...(fact.userGrade === undefined ? {} : { userGrade: fact.userGrade }),
        ...(fact.channel === undefined ? {} : { channel: fact.channel }),
        ...(fact.vouched === true ? { vouched: true } : {}),
        ...noteField(gradeNote(fact)),
        scoreBefore: communicationBefore,
        scoreAfter: after.communication,
      })
      if (!isCountedGrade(fact)) break
      const slot = overlay.slot('retrospectives', fact.setup, fact.commit)
      overlay.put(slot, mergeGrade(overlay, slot, fact, communicationBefore, after))
      break
    }
    case 'retrospective': {
      const slot = overlay.slot('retrospectives', fact.setup, fact.commit)
      overlay.put(slot, mergeNarrative(overlay, slot, fact))
      break
    }
    case 'bug': {
      const usage = usageDraft(overlay, fact)
      usage.bugs = usage.bugs + 1
      overlay.putNew('bugs', {
        v: 1, id, setup, project, at, by: fact.by,
        ...(fact.commit === undefined ? {} : { commit: fact.commit }),
        ...(fact.note === undefined ? {} : { note: fact.note }),
        skillPointsAfter: after.skillPoints,
      })
      break
    }
    case 'activity':
      overlay.putNew('activities', {
        v: 1, id, setup, project, at, task: fact.task, actions: fact.actions, outcome: fact.outcome, decisions: fact.decisions,
        ...(fact.session === undefined ? {} : { session: fact.session }),
      })
      break
    case 'reinstate':
    case 'evidence':
    case 'verdict':
      break
  }
}

function noteField(note: string | undefined): { note?: string } {
  return note === undefined ? {} : { note }
}

/** The rollup of the fact's setup, project and day, planned and the plan's own to change. */
export function usageDraft(overlay: PlanOverlay, fact: Fact): Mutable<UsageRecord> {
  return rollupDraft(overlay, fact.setup, fact.project, dayOf(fact.at))
}

/**
 * The rollup of a setup, project and day, planned and the plan's own to change: the one planned
 * already, else a copy of the stored one, else a new one counting nothing.
 */
export function rollupDraft(overlay: PlanOverlay, setup: string, project: string, day: string): Mutable<UsageRecord> {
  const slot = overlay.slot('usage', setup, project, day)
  const known = slot.record
  if (slot.planned && known !== undefined) return known
  const draft: Mutable<UsageRecord> = known === undefined ? emptyUsage(setup, project, day) : { ...known }
  overlay.put(slot, draft)
  return draft
}

function commitRecord(fact: CommitFact): CollectionRecords['commits'] {
  return {
    v: 1, project: fact.project, hash: fact.hash, setup: fact.setup, at: fact.at, message: fact.message,
    ...(fact.task === undefined ? {} : { task: fact.task }),
    ...(fact.session === undefined ? {} : { session: fact.session }),
    // An amend of a commit not recorded here (or another setup's) is a new commit; what it replaced stays said.
    ...(fact.amends === undefined ? {} : { amends: fact.amends }),
  }
}

/** A new copy of the commit's retrospective, or a new one naming the commit's task. */
function baseRetrospective(overlay: PlanOverlay, known: RetrospectiveRecord | undefined, fact: GradeFact | RetrospectiveFact): Mutable<RetrospectiveRecord> {
  if (known !== undefined) return { ...known, updatedAt: fact.at > known.updatedAt ? fact.at : known.updatedAt }
  const commit = overlay.slot('commits', fact.project, fact.commit).record
  const task = commit?.task ?? commit?.message
  return {
    v: 1, setup: fact.setup, commit: fact.commit, project: fact.project, at: fact.at, updatedAt: fact.at,
    ...(task === undefined || task === '' ? {} : { task }),
  }
}

// Assigning to the new copy places each field as spreading it would: in place, or last when new.
function mergeGrade(overlay: PlanOverlay, slot: PlanSlot<'retrospectives'>, fact: GradeFact, communicationBefore: number, after: AgentState): RetrospectiveRecord {
  const retro = baseRetrospective(overlay, slot.record, fact)
  if (fact.task !== undefined) retro.task = fact.task
  if (fact.agentGrade !== undefined) {
    retro.agentGrade = fact.agentGrade
    if (fact.channel !== undefined) retro.agentGradeChannel = fact.channel
  }
  if (fact.userGrade !== undefined) {
    retro.userGrade = fact.userGrade
    if (fact.channel !== undefined) retro.userGradeChannel = fact.channel
  }
  // Notes add up, the agent's as the user's: an earlier one (a lesson given with a retrospective, a
  // note with /grade or `retro --note`) is kept, so a later note never takes a lesson out of search.
  if (fact.agentNote !== undefined) retro.agentNote = withNote(retro.agentNote, fact.agentNote)
  if (fact.userNote !== undefined) retro.userNote = withNote(retro.userNote, fact.userNote)
  retro.scoreBefore = retro.scoreBefore ?? communicationBefore
  retro.scoreAfter = after.communication
  return retro
}

function mergeNarrative(overlay: PlanOverlay, slot: PlanSlot<'retrospectives'>, fact: RetrospectiveFact): RetrospectiveRecord {
  const retro = baseRetrospective(overlay, slot.record, fact)
  if (fact.task !== undefined) retro.task = fact.task
  // Notes add up, the agent's as the user's (see `mergeGrade`).
  if (fact.agentNote !== undefined) retro.agentNote = withNote(retro.agentNote, fact.agentNote)
  if (fact.userNote !== undefined) retro.userNote = withNote(retro.userNote, fact.userNote)
  if (fact.extra !== undefined) retro.extra = { ...retro.extra, ...fact.extra }
  return retro
}
