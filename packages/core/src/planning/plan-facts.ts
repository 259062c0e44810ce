import type { AgentState } from '../scoring/agent-state.js'
import { initialState, isHalted } from '../scoring/agent-state.js'
import { applyFactInPlace, applyToolCallRunInPlace } from '../scoring/apply-fact.js'
import type { CommitFact, Fact } from '../facts/facts.js'
import type { Mutable } from '../mutable.js'
import type { SingleFact } from './plan-effects.js'
import { effectiveFact, recordEffect, usageDraft } from './plan-effects.js'
import { planEvidence } from './plan-evidence.js'
import type { DeletedRecord, PlannedRecord, PlanOverlay, RecordReader } from './plan-overlay.js'
import { planAmend, replacedCommit, replacementOf } from './plan-amend.js'
import { createPlanOverlay } from './plan-overlay.js'
import { touchProject } from './plan-projects.js'
import type { SetupRecord } from '../store/records.js'
import type { ScoringRules } from '../scoring/rules.js'
import { parseSetupId } from '../facts/setup-id.js'
import type { SkippedFact } from '../store/tracker-store.js'
import { REPEAT } from '../store/tracker-store.js'
import { dayOf } from '../time/iso-timestamp.js'

/** The outcome of planning a batch: the records to put (one per key) and to delete, what was skipped, and what to log. */
export interface FactPlan {
  readonly writes: readonly PlannedRecord[]
  /** Keys to leave without a record: what an amend replaced (see `planAmend`). Never a key of `writes`. */
  readonly deletes: readonly DeletedRecord[]
  /** Facts that changed something. */
  readonly applied: number
  /** Facts that changed nothing: repeats (reason {@link REPEAT}) and facts with no effect left. */
  readonly skipped: readonly SkippedFact[]
  /** Every fact whose id was new, in order — applied or without effect: what the fact log appends. */
  readonly logged: readonly Fact[]
}

/**
 * Plans a batch of facts against the stored records: re-reads each setup, applies the facts with
 * the scoring reducer and returns every record to put. Several facts on one record collapse into
 * one put. A fact whose id the store (or the batch, earlier) has already is a repeat and changes
 * nothing; so do facts with no effect left (a commit already recorded, a grade already given). A
 * commit that amends a recorded commit of its setup takes that one's place (see `planAmend`); a
 * commit such an amend replaced is not recorded again, and what names it names its replacement.
 * Pure: a store runs it inside its write transaction with a reader of that transaction.
 */
export function planFacts(reader: RecordReader, facts: readonly Fact[], rules: ScoringRules): FactPlan {
  // Ids first, in order: what remains is planned as if the repeats had never been sent. Mostly
  // nothing repeats, and the batch itself is what is logged: a copy is made only at a first repeat.
  let copy: Fact[] | undefined
  const repeats: number[] = []
  // When each commit of the batch was made, repeats included: what finds an amend that replaced it.
  const madeAt = new Map<string, string>()
  for (let index = 0; index < facts.length; index++) {
    const fact = facts[index]
    if (fact?.kind === 'commit') madeAt.set(commitSlot(fact.project, fact.hash), fact.at)
    if (fact !== undefined && reader.claimFact(fact.id)) {
      copy?.push(fact)
      continue
    }
    copy ??= facts.slice(0, index)
    if (fact !== undefined) repeats.push(index)
  }
  const logged: readonly Fact[] = copy ?? facts
  const overlay = createPlanOverlay(reader)
  const noEffect = new Map<string, string>()
  for (let index = 0; index < logged.length; ) {
    const fact = logged[index]
    if (fact === undefined) break
    if (fact.kind === 'tool_call') {
      index = planToolCallRun(overlay, logged, index, rules)
      continue
    }
    const reason = planFact(overlay, fact, rules, madeAt)
    if (reason !== undefined) noEffect.set(fact.id, reason)
    index += 1
  }
  const skipped: SkippedFact[] = []
  if (repeats.length === 0) {
    for (const [id, reason] of noEffect) skipped.push({ id, reason })
  } else {
    for (let index = 0, next = 0; index < facts.length; index++) {
      const fact = facts[index]
      if (fact === undefined) continue
      if (repeats[next] === index) {
        skipped.push({ id: fact.id, reason: REPEAT })
        next += 1
        continue
      }
      const reason = noEffect.get(fact.id)
      if (reason !== undefined) skipped.push({ id: fact.id, reason })
    }
  }
  return { writes: overlay.writes(), deletes: overlay.deletes(), applied: logged.length - noEffect.size, skipped, logged }
}

/**
 * Plans the run of tool calls by one setup in one project on one day that starts at `start` as
 * one step, with the same records as planning them one by one; returns where the run ends.
 * Most facts are tool calls: folding such runs makes a flush cost little more than its puts.
 */
function planToolCallRun(overlay: PlanOverlay, facts: readonly Fact[], start: number, rules: ScoringRules): number {
  const first = facts[start]
  if (first?.kind !== 'tool_call') return start + 1
  const day = dayOf(first.at)
  let earliest: Fact = first
  let latest: Fact = first
  let failed = first.ok ? 0 : 1
  let end = start + 1
  for (let next = facts[end]; next?.kind === 'tool_call' && next.setup === first.setup && next.project === first.project; next = facts[++end]) {
    const at = next.at
    // The same day as `dayOf` tells it, without cutting a string out of every fact's time.
    if (!(at.startsWith(day) && day.length === DAY_LENGTH) && dayOf(at) !== day) break
    if (!next.ok) failed += 1
    if (at < earliest.at) earliest = next
    else if (at > latest.at) latest = next
  }
  const calls = end - start
  const setup = setupDraft(overlay, earliest, rules)
  const wasHalted = isHalted(setup.state)
  applyToolCallRunInPlace(setup.state, calls - failed, failed, rules)
  markSeen(setup, wasHalted, earliest)
  if (latest.at > setup.lastSeenAt) setup.lastSeenAt = latest.at
  touchProject(overlay, earliest)
  touchProject(overlay, latest)
  const usage = usageDraft(overlay, first)
  usage.toolCalls = usage.toolCalls + calls
  usage.toolFailures = usage.toolFailures + failed
  return end
}

/**
 * Plans one fact (tool calls go in runs); returns why it was skipped, or undefined when applied.
 * `madeAt` holds when the batch's commits were made (`commitSlot`).
 */
function planFact(overlay: PlanOverlay, fact: SingleFact, rules: ScoringRules, madeAt: ReadonlyMap<string, string>): string | undefined {
  if (fact.kind === 'evidence' || fact.kind === 'verdict') return planEvidence(overlay, fact)
  const effective = effectiveFact(overlay, followingAmends(overlay, fact, madeAt))
  if (typeof effective === 'string') return effective
  // An amend of a recorded commit takes its place: the commit was counted when it was made.
  const replaced = effective.kind === 'commit' ? replacedCommit(overlay, effective) : undefined
  if (effective.kind === 'commit' && replaced === undefined) {
    // A commit an amend here replaced does not come back (a merge or sync replays it, or a script
    // sends it under another id): it was counted when it was made, and lives on as its replacement.
    const replacement = replacementOf(overlay, effective.setup, effective.project, effective.hash, effective.at)
    if (replacement !== undefined) return `commit ${effective.hash} in ${effective.project} was replaced by ${replacement.hash} (git commit --amend)`
  }
  const setup = setupDraft(overlay, fact, rules)
  const state = setup.state
  const wasHalted = isHalted(state)
  const communicationBefore = state.communication
  if (replaced === undefined) applyFactInPlace(state, effective, rules)
  markSeen(setup, wasHalted, fact)
  touchProject(overlay, fact)
  if (replaced === undefined) recordEffect(overlay, effective, communicationBefore, state)
  else planAmend(overlay, effective as CommitFact, replaced)
  return undefined
}

/**
 * The fact, naming the commit that replaced the one it names when that is not recorded and an
 * amend here replaced it (see `replacementOf`): a grade, review or bug of a commit follows its
 * amends, whether it arrives before the amend or, replayed from another database, after it. The
 * commit is looked for around when the batch made it, else around the fact's own time.
 */
function followingAmends(overlay: PlanOverlay, fact: SingleFact, madeAt: ReadonlyMap<string, string>): SingleFact {
  if (fact.kind !== 'grade' && fact.kind !== 'retrospective' && fact.kind !== 'bug') return fact
  const commit = fact.commit
  if (commit === undefined || overlay.slot('commits', fact.project, commit).record !== undefined) return fact
  const replacement = replacementOf(overlay, fact.setup, fact.project, commit, madeAt.get(commitSlot(fact.project, commit)) ?? fact.at)
  return replacement === undefined ? fact : { ...fact, commit: replacement.hash }
}

function commitSlot(project: string, hash: string): string {
  return `${project}\u0000${hash}`
}

/** The length of a day, `YYYY-MM-DD`, as {@link dayOf} cuts it from a timestamp. */
const DAY_LENGTH = 10

type SetupDraft = Mutable<SetupRecord> & { state: Mutable<AgentState> }

/**
 * The fact's setup record, planned and the plan's own to change: the one planned already, else a
 * copy of the stored one (state included), else a new one first seen at the fact.
 */
function setupDraft(overlay: PlanOverlay, fact: Fact, rules: ScoringRules): SetupDraft {
  const slot = overlay.slot('setups', fact.setup)
  const known = slot.record
  if (slot.planned && known !== undefined) return known
  const draft: SetupDraft = known === undefined
    ? { v: 1, id: fact.setup, ...parseSetupId(fact.setup), state: initialState(rules), firstSeenAt: fact.at, lastSeenAt: fact.at }
    : { ...known, state: { ...known.state } }
  overlay.put(slot, draft)
  return draft
}

/** Widens the setup's seen range to the fact, and notes when the fact halted or reinstated it. */
function markSeen(setup: SetupDraft, wasHalted: boolean, fact: Fact): void {
  setup.firstSeenAt = fact.at < setup.firstSeenAt ? fact.at : setup.firstSeenAt
  setup.lastSeenAt = fact.at > setup.lastSeenAt ? fact.at : setup.lastSeenAt
  const halted = isHalted(setup.state)
  // Facts come in the order they are recorded, not in time: a bug recorded late may halt a setup a
  // reinstatement freed since. Neither time is put before the other, so the card never reads as
  // halted before it was last reinstated (or the reverse).
  if (!wasHalted && halted) setup.haltedAt = notBefore(fact.at, setup.reinstatedAt)
  if (wasHalted && !halted) setup.reinstatedAt = notBefore(fact.at, setup.haltedAt)
}

/** `at`, or `floor` when that is later. */
function notBefore(at: string, floor: string | undefined): string {
  return floor !== undefined && floor > at ? floor : at
}
