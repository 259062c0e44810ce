import type { AgentState, GradeTally } from './agent-state.js'
import { initialState, roundScore } from './agent-state.js'
import type { TokenUsage } from '../facts/facts.js'
import type { Mutable } from '../mutable.js'
import type { SetupRecord } from '../store/records.js'
import type { SetupImportResult } from '../store/tracker-store.js'
import type { ScoringRules } from './rules.js'
import { LIMITS } from '../validation/limits.js'

/** What {@link combineSetup} does with a setup another source reports. */
export type SetupCombination =
  /** The store lacked the setup: here is its record. */
  | { readonly change: 'added'; readonly record: SetupRecord }
  /** The store had it: here it is with the source's scores added. */
  | { readonly change: 'combined'; readonly record: SetupRecord }
  /** Every score the source reports is already in the stored record. */
  | { readonly change: 'unchanged' }

/**
 * Adds the scores another database (`source`: a legacy database, another machine's) reports for a
 * setup to the stored record, as if both histories had happened to one setup. Counters — commits,
 * pushes, bugs, tool calls and failures, commands, grades, messages, tokens, cost — are summed;
 * skill points, experience and communication score move by as much as they moved in the source
 * (from the rules' starting values). Plain sums (never below 0), so the order of sources does not
 * matter; level-ups and the communication cap apply with the setup's next fact. Nothing is counted
 * twice: each source's part is remembered in `imports`, so importing it again adds only what
 * changed since; parts the incoming record itself imported are combined as their own sources
 * (skipped when the store has them already, or when they are the store's own, `ownSource`).
 * Pure.
 */
export function combineSetup(stored: SetupRecord | undefined, incoming: SetupRecord, source: string, rules: ScoringRules, ownSource?: string): SetupCombination {
  const start = initialState(rules)
  const parts: [string, AgentState][] = [[source, nativePart(incoming, start)], ...Object.entries(incoming.imports ?? {})]
  const imports: Record<string, AgentState> = { ...stored?.imports }
  let state: AgentState = stored?.state ?? start
  let changed = false
  for (const [id, part] of parts) {
    if (id === ownSource || (id !== source && imports[id] !== undefined)) continue
    const delta = subtractStates(part, imports[id] ?? start)
    if (isZero(delta)) continue
    state = addStates(state, delta)
    imports[id] = part
    changed = true
  }
  // A setup new to the store remembers its source even when it adds nothing (so the part can move later).
  if (!changed) return stored === undefined ? { change: 'added', record: { ...incoming, imports: { [source]: parts[0]?.[1] ?? start } } } : { change: 'unchanged' }
  const combined = notBelowZero(state)
  if (stored === undefined) return { change: 'added', record: { ...incoming, state: combined, imports } }
  return { change: 'combined', record: { ...stored, state: combined, imports, ...spanOf(stored, incoming) } }
}

/** The writes and the report of {@link TrackerStore.importSetups}. */
export interface SetupImportPlan {
  readonly puts: readonly SetupRecord[]
  readonly result: SetupImportResult
}

/**
 * Plans {@link TrackerStore.importSetups}: {@link combineSetup} for each incoming setup against the
 * stored one (`get` reads inside the store's write transaction). A setup listed twice combines twice
 * only if its parts differ. Pure.
 */
export function planSetupImport(get: (id: string) => SetupRecord | undefined, setups: readonly SetupRecord[], source: string, rules: ScoringRules, ownSource?: string): SetupImportPlan {
  const planned = new Map<string, SetupRecord>()
  const before = new Map<string, SetupRecord | undefined>()
  let skipped = 0
  for (const incoming of setups) {
    if (!before.has(incoming.id)) before.set(incoming.id, get(incoming.id))
    const stored = planned.get(incoming.id) ?? before.get(incoming.id)
    const outcome = combineSetup(stored, incoming, source, rules, ownSource)
    if (outcome.change === 'unchanged') skipped += 1
    else planned.set(incoming.id, outcome.record)
  }
  const puts = [...planned.values()]
  const combined = puts.flatMap((record) => {
    const old = before.get(record.id)
    return old === undefined ? [] : [{ id: record.id, before: old.state, after: record.state }]
  })
  return { puts, result: { written: puts.length - combined.length, combined, skipped } }
}

/**
 * Takes one source's part out of a setup's record (the part moves to another setup):
 * the record's scores drop by that part. Returns undefined when the source added nothing to it.
 */
export function withoutSource(record: SetupRecord, source: string, rules: ScoringRules): { readonly record: SetupRecord; readonly part: AgentState } | undefined {
  const part = record.imports?.[source]
  if (part === undefined) return undefined
  const start = initialState(rules)
  const { [source]: _removed, ...imports } = record.imports ?? {}
  const state = notBelowZero(subtractStates(record.state, subtractStates(part, start)))
  return { record: { ...record, state, imports }, part }
}

/** True when a setup's state is where the rules start one, with no imported part left. */
export function isUntouchedSetup(record: SetupRecord, rules: ScoringRules): boolean {
  return Object.keys(record.imports ?? {}).length === 0 && isZero(subtractStates(record.state, initialState(rules)))
}

/**
 * The incoming record's own part: its state without what it imported from elsewhere, never below
 * 0. A record can hold less than its imported parts add up to — a level-up turned a migrated part's
 * experience into skill points, bugs took skill points it brought — and a part below 0 is no state
 * a record may hold: the record it went into could not be merged again (its setup was refused).
 */
function nativePart(incoming: SetupRecord, start: AgentState): AgentState {
  let part = incoming.state
  for (const imported of Object.values(incoming.imports ?? {})) part = subtractStates(part, subtractStates(imported, start))
  return notBelowZero(part)
}

function spanOf(stored: SetupRecord, incoming: SetupRecord): Pick<SetupRecord, 'firstSeenAt' | 'lastSeenAt'> & Partial<Pick<SetupRecord, 'haltedAt' | 'reinstatedAt'>> {
  const haltedAt = latest(stored.haltedAt, incoming.haltedAt)
  const reinstatedAt = latest(stored.reinstatedAt, incoming.reinstatedAt)
  return {
    firstSeenAt: incoming.firstSeenAt < stored.firstSeenAt ? incoming.firstSeenAt : stored.firstSeenAt,
    lastSeenAt: incoming.lastSeenAt > stored.lastSeenAt ? incoming.lastSeenAt : stored.lastSeenAt,
    ...(haltedAt === undefined ? {} : { haltedAt }),
    ...(reinstatedAt === undefined ? {} : { reinstatedAt }),
  }
}

function latest(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b
  if (b === undefined) return a
  return a > b ? a : b
}

type Combine = (a: number, b: number) => number

/** Field by field `a − b` (or `a + b`), every number rounded as the reducer rounds. */
function zipStates(a: AgentState, b: AgentState, op: Combine): AgentState {
  const n = (x: number, y: number): number => roundScore(op(x, y))
  const result: Mutable<AgentState> = {
    skillPoints: n(a.skillPoints, b.skillPoints),
    experience: n(a.experience, b.experience),
    communication: n(a.communication, b.communication),
    commits: n(a.commits, b.commits),
    pushes: n(a.pushes, b.pushes),
    bugs: n(a.bugs, b.bugs),
    toolCalls: n(a.toolCalls, b.toolCalls),
    toolFailures: n(a.toolFailures, b.toolFailures),
    commands: n(a.commands, b.commands),
    agentGrades: zipTally(a.agentGrades, b.agentGrades, n),
    userGrades: zipTally(a.userGrades, b.userGrades, n),
    messages: n(a.messages, b.messages),
    tokens: zipTokens(a.tokens, b.tokens, n),
    cost: n(a.cost, b.cost),
  }
  return result
}

function zipTally(a: GradeTally, b: GradeTally, n: Combine): GradeTally {
  return { count: n(a.count, b.count), sum: n(a.sum, b.sum) }
}

function zipTokens(a: TokenUsage, b: TokenUsage, n: Combine): TokenUsage {
  return { input: n(a.input, b.input), output: n(a.output, b.output), reasoning: n(a.reasoning, b.reasoning), cacheRead: n(a.cacheRead, b.cacheRead), cacheWrite: n(a.cacheWrite, b.cacheWrite) }
}

/** Scores and counters of a combined state never go below zero. */
/**
 * Scores summed from several sources, held to what a setup may hold: never below 0, skill points
 * at most {@link LIMITS.skillPoints}, experience and communication at most {@link LIMITS.counter},
 * cost at most {@link LIMITS.cost} — each source within them could add up past them (two status
 * files of one agent at 6,000 skill points), and a database holding such a setup could not be merged.
 */
function notBelowZero(state: AgentState): AgentState {
  const within = (value: number, most: number): number => Math.min(most, Math.max(0, value))
  return {
    ...state,
    skillPoints: within(state.skillPoints, LIMITS.skillPoints),
    experience: within(state.experience, LIMITS.counter),
    communication: within(state.communication, LIMITS.counter),
    cost: Math.min(LIMITS.cost, state.cost),
  }
}

function addStates(a: AgentState, b: AgentState): AgentState {
  return zipStates(a, b, (x, y) => x + y)
}

function subtractStates(a: AgentState, b: AgentState): AgentState {
  return zipStates(a, b, (x, y) => x - y)
}

function isZero(delta: AgentState): boolean {
  const numbers = [
    delta.skillPoints, delta.experience, delta.communication, delta.commits, delta.pushes, delta.bugs, delta.toolCalls, delta.toolFailures, delta.commands,
    delta.agentGrades.count, delta.agentGrades.sum, delta.userGrades.count, delta.userGrades.sum, delta.messages, delta.cost,
    delta.tokens.input, delta.tokens.output, delta.tokens.reasoning, delta.tokens.cacheRead, delta.tokens.cacheWrite,
  ]
  return numbers.every((value) => value === 0)
}
