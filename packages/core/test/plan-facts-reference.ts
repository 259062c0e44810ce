import type { AgentState, GradeTally } from '../src/scoring/agent-state.js'
import { communicationCap, initialState, isHalted, roundScore } from '../src/scoring/agent-state.js'
import { addTokens } from '../src/scoring/apply-fact.js'
import type { CommitFact, Fact, GradeFact, RetrospectiveFact, ToolCallFact } from '../src/facts/facts.js'
import { NO_TOKENS } from '../src/facts/facts.js'
import { gradeNote } from '../src/facts/notes.js'
import type { Grade } from '../src/facts/grade.js'
import type { FactPlan } from '../src/planning/plan-facts.js'
import type { PlannedRecord, RecordReader } from '../src/planning/plan-overlay.js'
import type {
  CollectionName,
  CollectionRecords,
  CommitRecord,
  RecordKey,
  ProjectRecord,
  RetrospectiveRecord,
  SetupRecord,
  UsageRecord,
} from '../src/store/records.js'
import { recordKey } from '../src/store/records.js'
import { SAME_COMMIT_SPAN_MS } from '../src/planning/plan-amend.js'
import type { ScoringRules } from '../src/scoring/rules.js'
import { parseSetupId } from '../src/facts/setup-id.js'
import type { SkippedFact } from '../src/store/tracker-store.js'
import { dayOf } from '../src/time/iso-timestamp.js'

/**
 * `planFacts` as it was before it was optimised, kept verbatim as the reference the optimised
 * planner is compared with in property tests: the same writes in the same order, the same
 * applied count and the same skipped facts, for any facts and stored records. Repeats — facts
 * whose id the reader or the batch has already — are taken out first, as the plainest reading of
 * the rule, and reported in their places.
 */
export function planFactsReference(reader: RecordReader, facts: readonly Fact[], rules: ScoringRules): FactPlan {
  const fresh: Fact[] = []
  const places: number[] = []
  const skippedAt: { place: number; skip: SkippedFact }[] = []
  facts.forEach((fact, place) => {
    if (reader.claimFact(fact.id)) {
      fresh.push(fact)
      places.push(place)
    } else {
      skippedAt.push({ place, skip: { id: fact.id, reason: 'repeat' } })
    }
  })
  const overlay = createOverlay(reader)
  const madeAt = new Map<string, string>()
  for (const fact of facts) if (fact.kind === 'commit') madeAt.set(`${fact.project}\u0000${fact.hash}`, fact.at)
  let noEffect = 0
  for (let index = 0; index < fresh.length; ) {
    const end = toolCallRunEnd(fresh, index)
    if (end > index + 1) {
      planToolCallRun(overlay, fresh.slice(index, end) as ToolCallFact[], rules)
      index = end
      continue
    }
    const fact = fresh[index]
    if (fact === undefined) break
    const reason = planFact(overlay, fact, rules, madeAt)
    if (reason !== undefined) {
      skippedAt.push({ place: places[index] ?? -1, skip: { id: fact.id, reason } })
      noEffect += 1
    }
    index += 1
  }
  const skipped = skippedAt.sort((a, b) => a.place - b.place).map(({ skip }) => skip)
  return { writes: overlay.writes(), deletes: [], applied: fresh.length - noEffect, skipped, logged: fresh }
}

/**
 * Where a run of tool calls by one setup in one project on one day, starting at `start`, ends.
 * Most facts are tool calls: folding such runs makes a flush cost little more than its puts.
 */
function toolCallRunEnd(facts: readonly Fact[], start: number): number {
  const first = facts[start]
  if (first?.kind !== 'tool_call') return start + 1
  const day = dayOf(first.at)
  let end = start + 1
  for (let next = facts[end]; next?.kind === 'tool_call' && next.setup === first.setup && next.project === first.project && dayOf(next.at) === day; next = facts[end]) end += 1
  return end
}

/** Plans a run of tool calls as one step; the same records as planning them one by one. */
function planToolCallRun(overlay: Overlay, run: readonly ToolCallFact[], rules: ScoringRules): void {
  const [first] = run
  if (first === undefined) return
  let earliest = first
  let latest = first
  let failed = 0
  for (const fact of run) {
    if (!fact.ok) failed += 1
    if (fact.at < earliest.at) earliest = fact
    if (fact.at > latest.at) latest = fact
  }
  const setup = overlay.get('setups', [first.setup]) ?? newSetup(earliest, rules)
  const after = applyToolCallRun(setup.state, run.length - failed, failed, rules)
  const widened = { ...nextSetup(setup, setup.state, after, earliest), lastSeenAt: latest.at > setup.lastSeenAt ? latest.at : setup.lastSeenAt }
  overlay.put('setups', widened)
  touchProject(overlay, earliest)
  touchProject(overlay, latest)
  bumpUsage(overlay, first, (u) => ({ ...u, toolCalls: u.toolCalls + run.length, toolFailures: u.toolFailures + failed }))
}

interface Overlay extends RecordReader {
  put<C extends CollectionName>(collection: C, record: CollectionRecords[C]): void
  writes(): PlannedRecord[]
  commitsAround(setup: string, at: string): CommitRecord[]
}

function createOverlay(reader: RecordReader): Overlay {
  const dirty = new Map<string, PlannedRecord>()
  // Key parts are paths, ids and timestamps, which never contain NUL.
  const slot = (collection: CollectionName, key: RecordKey): string => `${collection}\u0000${key.join('\u0000')}`
  return {
    claimFact: (id) => reader.claimFact(id),
    recordsSince: (collection, setup, since, until) => reader.recordsSince(collection, setup, since, until),
    get<C extends CollectionName>(collection: C, key: RecordKey): CollectionRecords[C] | undefined {
      const hit = dirty.get(slot(collection, key))
      return hit === undefined ? reader.get(collection, key) : (hit.record as CollectionRecords[C])
    },
    put<C extends CollectionName>(collection: C, record: CollectionRecords[C]): void {
      const key = recordKey(collection, record)
      dirty.set(slot(collection, key), { collection, key, record } as PlannedRecord)
    },
    writes: () => [...dirty.values()],
    commitsAround: (setup, at) => {
      const day = Date.parse(`${at.slice(0, 10)}T00:00:00.000Z`)
      const since = new Date(day - SAME_COMMIT_SPAN_MS).toISOString()
      const until = new Date(day + SAME_COMMIT_SPAN_MS + 24 * 60 * 60_000).toISOString()
      const found = new Map<string, CommitRecord>()
      for (const record of reader.recordsSince('commits', setup, since, until)) found.set(slot('commits', recordKey('commits', record)), record)
      for (const [key, write] of dirty) {
        const record = write.record as CommitRecord
        if (write.collection === 'commits' && record.setup === setup && record.at >= since && record.at < until) found.set(key, record)
      }
      return [...found.values()]
    },
  }
}

/** The recorded commit that replaced `hash` by an amend, directly or through amends of amends, if it was made around `at`. */
function replacementOf(overlay: Overlay, setup: string, project: string, hash: string, at: string): CommitRecord | undefined {
  if (!/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(hash)) return undefined
  return overlay.commitsAround(setup, at).find((record) => record.project === project && record.hash !== hash && (record.amends === hash || (record.replaced ?? []).includes(hash)))
}

/** Plans one fact; returns why it was skipped, or undefined when applied. */
function planFact(overlay: Overlay, given: Fact, rules: ScoringRules, madeAt: ReadonlyMap<string, string>): string | undefined {
  let fact = given
  if ((fact.kind === 'grade' || fact.kind === 'retrospective' || fact.kind === 'bug') && fact.commit !== undefined && overlay.get('commits', [fact.project, fact.commit]) === undefined) {
    const replacement = replacementOf(overlay, fact.setup, fact.project, fact.commit, madeAt.get(`${fact.project}\u0000${fact.commit}`) ?? fact.at)
    if (replacement !== undefined) fact = { ...fact, commit: replacement.hash }
  }
  const effective = effectiveFact(overlay, fact)
  if (typeof effective === 'string') return effective
  if (effective.kind === 'commit') {
    const replacement = replacementOf(overlay, effective.setup, effective.project, effective.hash, effective.at)
    if (replacement !== undefined) return `commit ${effective.hash} in ${effective.project} was replaced by ${replacement.hash} (git commit --amend)`
  }
  const setup = overlay.get('setups', [fact.setup]) ?? newSetup(fact, rules)
  const before = setup.state
  const after = applyFactReference(before, effective, rules)
  overlay.put('setups', nextSetup(setup, before, after, fact))
  touchProject(overlay, fact)
  recordEffect(overlay, effective, before, after)
  return undefined
}

/** The fact as it will be applied, or the reason it changes nothing. */
function effectiveFact(overlay: Overlay, fact: Fact): Fact | string {
  if (fact.kind === 'commit') {
    const known = overlay.get('commits', [fact.project, fact.hash])
    return known === undefined ? fact : `commit ${fact.hash} in ${fact.project} is already recorded`
  }
  if (fact.kind !== 'grade' || !counts(fact)) return fact
  const retro = overlay.get('retrospectives', [fact.setup, fact.commit])
  const agentGrade = retro?.agentGrade === undefined ? fact.agentGrade : undefined
  const userGrade = retro?.userGrade === undefined ? fact.userGrade : undefined
  if (agentGrade === undefined && userGrade === undefined) {
    return `commit ${fact.commit} already has the ${fact.userGrade === undefined ? 'agent' : 'user'} grade`
  }
  const { agentGrade: _agent, userGrade: _user, ...rest } = fact
  return {
    ...rest,
    ...(agentGrade === undefined ? {} : { agentGrade }),
    ...(userGrade === undefined ? {} : { userGrade }),
  }
}

function newSetup(fact: Fact, rules: ScoringRules): SetupRecord {
  return {
    v: 1,
    id: fact.setup,
    ...parseSetupId(fact.setup),
    state: initialState(rules),
    firstSeenAt: fact.at,
    lastSeenAt: fact.at,
  }
}

function nextSetup(setup: SetupRecord, before: AgentState, after: AgentState, fact: Fact): SetupRecord {
  const haltedNow = !isHalted(before) && isHalted(after)
  const reinstatedNow = isHalted(before) && !isHalted(after)
  return {
    ...setup,
    state: after,
    firstSeenAt: fact.at < setup.firstSeenAt ? fact.at : setup.firstSeenAt,
    lastSeenAt: fact.at > setup.lastSeenAt ? fact.at : setup.lastSeenAt,
    // Never one before the other: a bug recorded late may halt a setup a later reinstatement freed.
    ...(haltedNow ? { haltedAt: setup.reinstatedAt !== undefined && setup.reinstatedAt > fact.at ? setup.reinstatedAt : fact.at } : {}),
    ...(reinstatedNow ? { reinstatedAt: setup.haltedAt !== undefined && setup.haltedAt > fact.at ? setup.haltedAt : fact.at } : {}),
  }
}

function touchProject(overlay: Overlay, fact: Fact): void {
  const known = overlay.get('projects', [fact.project])
  if (known !== undefined && known.firstSeenAt <= fact.at && known.lastSeenAt >= fact.at) return
  const project: ProjectRecord = known === undefined
    ? { v: 1, path: fact.project, name: projectName(fact.project), firstSeenAt: fact.at, lastSeenAt: fact.at }
    : {
        ...known,
        firstSeenAt: fact.at < known.firstSeenAt ? fact.at : known.firstSeenAt,
        lastSeenAt: fact.at > known.lastSeenAt ? fact.at : known.lastSeenAt,
      }
  overlay.put('projects', project)
}

function projectName(path: string): string {
  const segments = path.split(/[\\/]+/).filter((segment) => segment !== '')
  return segments.at(-1) ?? path
}

function recordEffect(overlay: Overlay, fact: Fact, before: AgentState, after: AgentState): void {
  const { id, at, setup, project } = fact
  switch (fact.kind) {
    case 'tool_call':
      bumpUsage(overlay, fact, (u) => ({ ...u, toolCalls: u.toolCalls + 1, toolFailures: u.toolFailures + (fact.ok ? 0 : 1) }))
      break
    case 'command':
      bumpUsage(overlay, fact, (u) => ({ ...u, commands: u.commands + 1 }))
      break
    case 'push':
      bumpUsage(overlay, fact, (u) => ({ ...u, pushes: u.pushes + 1 }))
      break
    case 'usage':
      bumpUsage(overlay, fact, (u) => ({
        // A response without a known price counts with cost 0, whatever figure came with it.
        ...u, messages: u.messages + 1, tokens: addTokens(u.tokens, fact.tokens), cost: u.cost + (fact.costSource === 'unknown' ? 0 : fact.cost),
        ...(fact.costSource === 'estimate' ? { estimatedCost: (u.estimatedCost ?? 0) + fact.cost } : {}),
        ...(fact.costSource === 'unknown' ? { unpricedMessages: (u.unpricedMessages ?? 0) + 1 } : {}),
      }))
      break
    case 'commit':
      bumpUsage(overlay, fact, (u) => ({ ...u, commits: u.commits + 1 }))
      overlay.put('commits', commitRecord(fact))
      break
    case 'grade':
      bumpUsage(overlay, fact, (u) => ({ ...u, grades: { ...gradesWith(u.grades, fact), communication: u.grades.communication + (after.communication - before.communication) } }))
      overlay.put('gradeEvents', {
        v: 1, id, setup, project, at, commit: fact.commit, by: fact.by,
        ...(fact.agentGrade === undefined ? {} : { agentGrade: fact.agentGrade }),
        ...(fact.userGrade === undefined ? {} : { userGrade: fact.userGrade }),
        ...(fact.channel === undefined ? {} : { channel: fact.channel }),
        ...(fact.vouched === true ? { vouched: true } : {}),
        ...noteOf(fact),
        scoreBefore: before.communication,
        scoreAfter: after.communication,
      })
      if (counts(fact)) overlay.put('retrospectives', mergeGrade(overlay, fact, before, after))
      break
    case 'retrospective':
      overlay.put('retrospectives', mergeNarrative(overlay, fact))
      break
    case 'bug':
      bumpUsage(overlay, fact, (u) => ({ ...u, bugs: u.bugs + 1 }))
      overlay.put('bugs', {
        v: 1, id, setup, project, at, by: fact.by,
        ...(fact.commit === undefined ? {} : { commit: fact.commit }),
        ...(fact.note === undefined ? {} : { note: fact.note }),
        skillPointsAfter: after.skillPoints,
      })
      break
    case 'activity':
      overlay.put('activities', {
        v: 1, id, setup, project, at, task: fact.task, actions: fact.actions, outcome: fact.outcome, decisions: fact.decisions,
        ...(fact.session === undefined ? {} : { session: fact.session }),
      })
      break
    case 'reinstate':
      break
  }
}

function bumpUsage(overlay: Overlay, fact: Fact, bump: (usage: UsageRecord) => UsageRecord): void {
  const day = dayOf(fact.at)
  const usage = overlay.get('usage', [fact.setup, fact.project, day]) ?? emptyUsage(fact.setup, fact.project, day)
  overlay.put('usage', bump(usage))
}

function emptyUsage(setup: string, project: string, day: string): UsageRecord {
  const none = { count: 0, sum: 0, squares: 0 }
  return {
    v: 2, setup, project, day,
    toolCalls: 0, toolFailures: 0, commands: 0, commits: 0, pushes: 0, messages: 0, tokens: NO_TOKENS, cost: 0,
    bugs: 0, grades: { agent: none, user: none, userByChannel: {}, communication: 0 },
  }
}

function gradesWith(grades: UsageRecord['grades'], fact: GradeFact): UsageRecord['grades'] {
  const add = (sums: UsageRecord['grades']['agent'], grade: Grade | undefined): UsageRecord['grades']['agent'] =>
    grade === undefined ? sums : { count: sums.count + 1, sum: sums.sum + grade, squares: sums.squares + grade * grade }
  const { userGrade } = fact
  const counted = counts(fact)
  // An agent grade given with a grade that does not count is not counted either.
  const agent = counted ? add(grades.agent, fact.agentGrade) : grades.agent
  if (userGrade === undefined) return { ...grades, agent }
  const channel = fact.channel ?? 'unrecorded'
  const before = grades.userByChannel[channel] ?? { grades: 0, counted: 0, sum: 0 }
  return {
    agent,
    user: counted ? add(grades.user, userGrade) : grades.user,
    userByChannel: { ...grades.userByChannel, [channel]: { grades: before.grades + 1, counted: before.counted + (counted ? 1 : 0), sum: before.sum + userGrade } },
    communication: grades.communication,
  }
}

function commitRecord(fact: CommitFact): CollectionRecords['commits'] {
  return {
    v: 1, project: fact.project, hash: fact.hash, setup: fact.setup, at: fact.at, message: fact.message,
    ...(fact.task === undefined ? {} : { task: fact.task }),
    ...(fact.session === undefined ? {} : { session: fact.session }),
  }
}

function baseRetrospective(overlay: Overlay, fact: GradeFact | RetrospectiveFact): RetrospectiveRecord {
  const known = overlay.get('retrospectives', [fact.setup, fact.commit])
  if (known !== undefined) return { ...known, updatedAt: fact.at > known.updatedAt ? fact.at : known.updatedAt }
  const commit = overlay.get('commits', [fact.project, fact.commit])
  const task = commit?.task ?? commit?.message
  return {
    v: 1, setup: fact.setup, commit: fact.commit, project: fact.project, at: fact.at, updatedAt: fact.at,
    ...(task === undefined || task === '' ? {} : { task }),
  }
}

function mergeGrade(overlay: Overlay, fact: GradeFact, before: AgentState, after: AgentState): RetrospectiveRecord {
  const retro = baseRetrospective(overlay, fact)
  return {
    ...retro,
    ...(fact.task === undefined ? {} : { task: fact.task }),
    ...(fact.agentGrade === undefined ? {} : { agentGrade: fact.agentGrade }),
    ...(fact.agentGrade === undefined || fact.channel === undefined ? {} : { agentGradeChannel: fact.channel }),
    ...(fact.userGrade === undefined ? {} : { userGrade: fact.userGrade }),
    ...(fact.userGrade === undefined || fact.channel === undefined ? {} : { userGradeChannel: fact.channel }),
    ...(fact.agentNote === undefined ? {} : { agentNote: addedNote(retro.agentNote, fact.agentNote) }),
    ...(fact.userNote === undefined ? {} : { userNote: addedNote(retro.userNote, fact.userNote) }),
    scoreBefore: retro.scoreBefore ?? before.communication,
    scoreAfter: after.communication,
  }
}

/** The user's notes with one more, each on a line of its own, a note already among them kept once. */
function addedNote(notes: string | undefined, note: string): string {
  if (notes === undefined || notes === '') return note
  if (note.trim() === '') return notes
  const lines = notes.split('\n').map((line) => line.trim())
  return notes.trim() === note.trim() || lines.includes(note.trim()) || notes.endsWith(`\n${note}`) ? notes : `${notes}\n${note}`
}

function mergeNarrative(overlay: Overlay, fact: RetrospectiveFact): RetrospectiveRecord {
  const retro = baseRetrospective(overlay, fact)
  return {
    ...retro,
    ...(fact.task === undefined ? {} : { task: fact.task }),
    ...(fact.agentNote === undefined ? {} : { agentNote: addedNote(retro.agentNote, fact.agentNote) }),
    ...(fact.userNote === undefined ? {} : { userNote: addedNote(retro.userNote, fact.userNote) }),
    ...(fact.extra === undefined ? {} : { extra: { ...retro.extra, ...fact.extra } }),
  }
}

/** `applyFact` as it was before it was optimised, kept verbatim as the reference for property tests. */
export function applyFactReference(state: AgentState, fact: Fact, rules: ScoringRules): AgentState {
  return settle(applyEffect(state, fact, rules), rules)
}

function applyEffect(state: AgentState, fact: Fact, rules: ScoringRules): AgentState {
  const gain = rules.experience
  switch (fact.kind) {
    case 'tool_call':
      return fact.ok
        ? { ...state, toolCalls: state.toolCalls + 1, experience: state.experience + roundScore(gain.toolCall) }
        : { ...state, toolCalls: state.toolCalls + 1, toolFailures: state.toolFailures + 1 }
    case 'command':
      return { ...state, commands: state.commands + 1, experience: state.experience + gain.command }
    case 'commit':
      return { ...state, commits: state.commits + 1, experience: state.experience + gain.commit }
    case 'push':
      return { ...state, pushes: state.pushes + 1, experience: state.experience + gain.push }
    case 'grade':
      if (!counts(fact)) return state
      return {
        ...state,
        communication: state.communication + (fact.agentGrade ?? 0) + (fact.userGrade ?? 0),
        experience: state.experience + (fact.userGrade === undefined ? 0 : gain.gradedCommit),
        agentGrades: tally(state.agentGrades, fact.agentGrade),
        userGrades: tally(state.userGrades, fact.userGrade),
      }
    case 'bug':
      return {
        ...state,
        bugs: state.bugs + 1,
        skillPoints: Math.max(0, state.skillPoints - rules.bug.skillPointPenalty),
      }
    case 'reinstate':
      return isHalted(state) ? { ...state, skillPoints: rules.reinstate.skillPoints } : state
    case 'usage':
      return {
        ...state,
        messages: state.messages + 1,
        tokens: addTokens(state.tokens, fact.tokens),
        cost: state.cost + (fact.costSource === 'unknown' ? 0 : fact.cost),
      }
    case 'retrospective':
    case 'evidence':
    case 'verdict':
    case 'activity':
      return state
  }
}

/**
 * Applies a run of consecutive tool calls in one step, with exactly the result of applying them
 * one by one: each call's gain is rounded as a single call's would be, and level-ups consume
 * the same thresholds in the same order whether they are checked per call or at the end
 * (tool calls change no skill point except by levelling up, and no communication score).
 */
function applyToolCallRun(state: AgentState, succeeded: number, failed: number, rules: ScoringRules): AgentState {
  const gain = roundScore(rules.experience.toolCall)
  return settle({
    ...state,
    toolCalls: state.toolCalls + succeeded + failed,
    toolFailures: state.toolFailures + failed,
    experience: state.experience + succeeded * gain,
  }, rules)
}

/** Rounds, levels up while XP ≥ factor × SP (never while halted), then clamps CS. */
function settle(state: AgentState, rules: ScoringRules): AgentState {
  let skillPoints = roundScore(state.skillPoints)
  let experience = roundScore(state.experience)
  const factor = rules.levelUp.experiencePerSkillPoint
  while (skillPoints > 0 && experience >= roundScore(factor * skillPoints)) {
    experience = roundScore(experience - factor * skillPoints)
    skillPoints = roundScore(skillPoints + 1)
  }
  const cap = communicationCap(skillPoints, rules)
  const communication = roundScore(Math.min(cap, Math.max(0, state.communication)))
  return { ...state, skillPoints, experience, communication }
}

function tally(current: GradeTally, grade: Grade | undefined): GradeTally {
  return grade === undefined ? current : { count: current.count + 1, sum: current.sum + grade }
}

/** Whether a grade counts: the agent's own always; a user grade from the user's own channels, vouched for, or recorded without a channel. */
function counts(fact: GradeFact): boolean {
  return fact.by === 'agent' || fact.channel === undefined || fact.vouched === true || fact.channel === 'slash-command' || fact.channel === 'cli-terminal'
}

/** The note a grade event keeps (see `gradeNote`), as the field it is written in. */
function noteOf(fact: GradeFact): { note?: string } {
  const note = gradeNote(fact)
  return note === undefined ? {} : { note }
}
