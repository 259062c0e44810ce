import type { AgentState } from './agent-state.js'
import { initialState, isHalted } from './agent-state.js'
import { addTokens, applyFact, applyToolCallRun } from './apply-fact.js'
import type { CommitFact, Fact, GradeFact, RetrospectiveFact, ToolCallFact } from './facts.js'
import { NO_TOKENS } from './facts.js'
import type {
  CollectionName,
  CollectionRecords,
  ProjectRecord,
  RecordKey,
  RetrospectiveRecord,
  SetupRecord,
  UsageRecord,
} from './records.js'
import { recordKey } from './records.js'
import type { ProjectProfile } from './project-profile.js'
import type { ScoringRules } from './rules.js'
import { parseSetupId } from './setup-id.js'
import type { SkippedFact } from './store.js'
import { dayOf } from './time.js'

/** Synchronous read access to stored records, as a store has inside its write transaction. */
export interface RecordReader {
  get<C extends CollectionName>(collection: C, key: RecordKey): CollectionRecords[C] | undefined
}

/** One record to put. */
export type PlannedRecord = {
  readonly [C in CollectionName]: { readonly collection: C; readonly key: RecordKey; readonly record: CollectionRecords[C] }
}[CollectionName]

/** The outcome of planning a batch: the records to put (one per key) and what was skipped. */
export interface FactPlan {
  readonly writes: readonly PlannedRecord[]
  readonly applied: number
  readonly skipped: readonly SkippedFact[]
}

/**
 * Plans a batch of facts against the stored records: re-reads each setup, applies the facts with
 * the scoring reducer and returns every record to put. Several facts on one record collapse into
 * one put. Repeats (a commit already recorded, a grade already given) are skipped, not applied.
 * Pure: a store runs it inside its write transaction with a reader of that transaction.
 */
export function planFacts(reader: RecordReader, facts: readonly Fact[], rules: ScoringRules): FactPlan {
  const overlay = createOverlay(reader)
  const skipped: SkippedFact[] = []
  for (let index = 0; index < facts.length; ) {
    const end = toolCallRunEnd(facts, index)
    if (end > index + 1) {
      planToolCallRun(overlay, facts.slice(index, end) as ToolCallFact[], rules)
      index = end
      continue
    }
    const fact = facts[index]
    if (fact === undefined) break
    const reason = planFact(overlay, fact, rules)
    if (reason !== undefined) skipped.push({ id: fact.id, reason })
    index += 1
  }
  return { writes: overlay.writes(), applied: facts.length - skipped.length, skipped }
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
}

function createOverlay(reader: RecordReader): Overlay {
  const dirty = new Map<string, PlannedRecord>()
  // Key parts are paths, ids and timestamps, which never contain NUL.
  const slot = (collection: CollectionName, key: RecordKey): string => `${collection}\u0000${key.join('\u0000')}`
  return {
    get<C extends CollectionName>(collection: C, key: RecordKey): CollectionRecords[C] | undefined {
      const hit = dirty.get(slot(collection, key))
      return hit === undefined ? reader.get(collection, key) : (hit.record as CollectionRecords[C])
    },
    put<C extends CollectionName>(collection: C, record: CollectionRecords[C]): void {
      const key = recordKey(collection, record)
      dirty.set(slot(collection, key), { collection, key, record } as PlannedRecord)
    },
    writes: () => [...dirty.values()],
  }
}

/** Plans one fact; returns why it was skipped, or undefined when applied. */
function planFact(overlay: Overlay, fact: Fact, rules: ScoringRules): string | undefined {
  const effective = effectiveFact(overlay, fact)
  if (typeof effective === 'string') return effective
  const setup = overlay.get('setups', [fact.setup]) ?? newSetup(fact, rules)
  const before = setup.state
  const after = applyFact(before, effective, rules)
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
  if (fact.kind !== 'grade') return fact
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
    ...(haltedNow ? { haltedAt: fact.at } : {}),
    ...(reinstatedNow ? { reinstatedAt: fact.at } : {}),
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

/** A project record carrying `profile`: the known record updated, or a new one seen now. */
export function withProfile(known: ProjectRecord | undefined, path: string, profile: ProjectProfile): ProjectRecord {
  return known === undefined
    ? { v: 1, path, name: projectName(path), firstSeenAt: profile.profiledAt, lastSeenAt: profile.profiledAt, profile }
    : { ...known, profile }
}

/** The last segment of a path, for display. */
export function projectName(path: string): string {
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
      bumpUsage(overlay, fact, (u) => ({ ...u, messages: u.messages + 1, tokens: addTokens(u.tokens, fact.tokens), cost: u.cost + fact.cost }))
      break
    case 'commit':
      bumpUsage(overlay, fact, (u) => ({ ...u, commits: u.commits + 1 }))
      overlay.put('commits', commitRecord(fact))
      break
    case 'grade':
      overlay.put('gradeEvents', {
        v: 1, id, setup, project, at, commit: fact.commit, by: fact.by,
        ...(fact.agentGrade === undefined ? {} : { agentGrade: fact.agentGrade }),
        ...(fact.userGrade === undefined ? {} : { userGrade: fact.userGrade }),
        scoreBefore: before.communication,
        scoreAfter: after.communication,
      })
      overlay.put('retrospectives', mergeGrade(overlay, fact, before, after))
      break
    case 'retrospective':
      overlay.put('retrospectives', mergeNarrative(overlay, fact))
      break
    case 'bug':
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
  return {
    v: 1, setup, project, day,
    toolCalls: 0, toolFailures: 0, commands: 0, commits: 0, pushes: 0, messages: 0, tokens: NO_TOKENS, cost: 0,
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
    ...(fact.userGrade === undefined ? {} : { userGrade: fact.userGrade }),
    ...(fact.agentNote === undefined ? {} : { agentNote: fact.agentNote }),
    ...(fact.userNote === undefined ? {} : { userNote: fact.userNote }),
    scoreBefore: retro.scoreBefore ?? before.communication,
    scoreAfter: after.communication,
  }
}

function mergeNarrative(overlay: Overlay, fact: RetrospectiveFact): RetrospectiveRecord {
  const retro = baseRetrospective(overlay, fact)
  return {
    ...retro,
    ...(fact.task === undefined ? {} : { task: fact.task }),
    ...(fact.agentNote === undefined ? {} : { agentNote: fact.agentNote }),
    ...(fact.userNote === undefined ? {} : { userNote: fact.userNote }),
    ...(fact.extra === undefined ? {} : { extra: { ...retro.extra, ...fact.extra } }),
  }
}
