import { describeField, describeValue } from '../describe-value.js'
import { TrackerError } from '../errors.js'
import { EVIDENCE_SIGNALS } from '../facts/facts.js'
import { GRADE_CHANNELS, UNRECORDED_CHANNEL } from '../facts/grade-channel.js'
import { isGrade } from '../facts/grade.js'
import { parseSetupId } from '../facts/setup-id.js'
import { communicationCap } from '../scoring/agent-state.js'
import type { ScoringRules } from '../scoring/rules.js'
import type { CollectionName, CollectionRecords } from '../store/records.js'
import { RECORD_VERSIONS } from '../store/records.js'
import { hasValidCalendarDate } from '../time/iso-timestamp.js'
import { FULL_COMMIT_HASH_ACCEPTED, isFullCommitHash } from './host-facts.js'
import { LIMITS, nestingDepth, utf8Bytes } from './limits.js'

type Fields = Readonly<Record<string, unknown>>

/** Checks one field of a record; throws a sentence naming it. */
type FieldCheck = (value: unknown, field: string, record: Fields) => void

const CANONICAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
const DAY = /^\d{4}-\d{2}-\d{2}$/

/**
 * Checks a record that comes from outside this store — another database being merged, an import,
 * a team database — before it is stored: its version and shape, every type, every number finite,
 * in range and never negative where it counts something, timestamps real, key parts within
 * LMDB's key size and free-form `extra` within its depth. A record that passes can be read by every
 * command; one that fails is reported and skipped, never stored.
 * @throws {TrackerError} INVALID_RECORD naming the field, what it held and what is accepted.
 */
export function validateRecord<C extends CollectionName>(collection: C, input: unknown, rules: ScoringRules): CollectionRecords[C] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalidRecord(collection, `a record must be an object, got ${describeValue(input)}`)
  const record = input as Fields
  if (record.v !== RECORD_VERSIONS[collection]) throw invalidRecord(collection, `field "v" is ${describeField(record.v)}; this release reads version ${String(RECORD_VERSIONS[collection])}`)
  const shape = SHAPES[collection]
  try {
    for (const [field, check] of Object.entries(shape)) check(record[field], field, record)
    if (collection === 'setups') checkSetupState(record, rules)
  } catch (error) {
    if (error instanceof FieldProblem) throw invalidRecord(collection, error.message)
    throw error
  }
  return input as CollectionRecords[C]
}

class FieldProblem extends Error {}

function fail(field: string, value: unknown, accepted: string): never {
  throw new FieldProblem(`field "${field}" is ${describeField(value)}; accepted is ${accepted}`)
}

const optional = (check: FieldCheck): FieldCheck => (value, field, record) => {
  if (value !== undefined) check(value, field, record)
}

const text = (maxBytes: number): FieldCheck => (value, field) => {
  if (typeof value !== 'string') fail(field, value, 'a string')
  if (value.length * 3 > maxBytes && utf8Bytes(value) > maxBytes) fail(field, value, `a string of at most ${String(maxBytes)} bytes`)
}

const key = (maxBytes: number): FieldCheck => (value, field, record) => {
  text(maxBytes)(value, field, record)
  if ((value as string).trim() === '') fail(field, value, 'a non-empty string')
}

const setupId: FieldCheck = (value, field, record) => {
  key(LIMITS.keyPartBytes)(value, field, record)
  try {
    parseSetupId(value as string)
  } catch {
    fail(field, value, 'a setup id like build@anthropic/claude-sonnet-4-5')
  }
}

const time: FieldCheck = (value, field) => {
  if (typeof value !== 'string' || !CANONICAL_TIME.test(value) || Number.isNaN(Date.parse(value))) fail(field, value, 'a UTC timestamp like 2026-03-01T09:30:00.000Z')
}

const day: FieldCheck = (value, field) => {
  if (typeof value !== 'string' || !DAY.test(value) || !hasValidCalendarDate(value)) fail(field, value, 'a day of the calendar like 2026-03-01')
}

const count = (max: number = LIMITS.counter): FieldCheck => (value, field) => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) fail(field, value, `a whole number from 0 to ${String(max)}`)
}

const amount = (max: number = LIMITS.counter): FieldCheck => (value, field) => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) fail(field, value, `a number from 0 to ${String(max)}`)
}

const score: FieldCheck = (value, field) => {
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > LIMITS.counter) fail(field, value, 'a finite number')
}

const grade: FieldCheck = (value, field) => {
  if (!isGrade(value)) fail(field, value, 'a grade: -1, 1, 2 or 5')
}

const party: FieldCheck = (value, field) => {
  if (value !== 'agent' && value !== 'user') fail(field, value, '"agent" or "user"')
}

const nested = (shape: Readonly<Record<string, FieldCheck>>): FieldCheck => (value, field, record) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, value, 'an object')
  for (const [inner, check] of Object.entries(shape)) check((value as Fields)[inner], `${field}.${inner}`, record)
}

const extra: FieldCheck = (value, field) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, value, 'an object')
  if (nestingDepth(value) > LIMITS.depth) throw new FieldProblem(`field "${field}" nests deeper than ${String(LIMITS.depth)} levels; accepted is an object nested at most that deep`)
  const bytes = utf8Bytes(JSON.stringify(value))
  if (bytes > LIMITS.textBytes) throw new FieldProblem(`field "${field}" is ${String(bytes)} bytes as JSON; accepted is at most ${String(LIMITS.textBytes)}`)
}

const oneOf = (values: readonly string[]): FieldCheck => (value, field) => {
  if (typeof value !== 'string' || !values.includes(value)) fail(field, value, `one of ${values.join(', ')}`)
}

const list = (check: FieldCheck): FieldCheck => (value, field, record) => {
  if (!Array.isArray(value) || value.length > LIMITS.listItems) fail(field, value, `a list of at most ${String(LIMITS.listItems)} items`)
  for (const [index, item] of (value as unknown[]).entries()) check(item, `${field}[${String(index)}]`, record)
}

/** Present only as `true`: a grade event is vouched for, or carries no `vouched` at all. */
const onlyTrue: FieldCheck = (value, field) => {
  if (value !== true) fail(field, value, 'true, or no field at all (a grade not vouched for)')
}

const fullHash: FieldCheck = (value, field) => {
  if (typeof value !== 'string' || !isFullCommitHash(value)) fail(field, value, FULL_COMMIT_HASH_ACCEPTED)
}

const NOTE = text(LIMITS.textBytes)
const PROJECT = key(LIMITS.projectBytes)
/** A project path, or none (`''`): the predecessor kept journal entries and retrospectives without one, and its upgrade keeps them so. */
const PROJECT_OR_NONE = text(LIMITS.projectBytes)
const HASH = key(LIMITS.keyPartBytes)
const ID = key(LIMITS.idBytes)
const TOKENS = nested({ input: amount(), output: amount(), reasoning: amount(), cacheRead: amount(), cacheWrite: amount() })
const TALLY = nested({ count: count(), sum: score })
const GRADE_SUMS = nested({ count: count(), sum: score, squares: amount() })
/** The channel a grade came through: checked, since reports tell grades apart by it and scores count only some. */
const CHANNEL = oneOf(GRADE_CHANNELS)
const SHOWN_CHANNEL = oneOf([...GRADE_CHANNELS, UNRECORDED_CHANNEL])
const CHANNEL_SUMS = nested({ grades: count(), counted: count(), sum: score })
/**
 * A day rollup's user grades by channel (see `GradeRollup.userByChannel`): keyed by a grade channel,
 * or `unrecorded` for grades recorded before grades carried one; reports show them as they are.
 */
const BY_CHANNEL: FieldCheck = (value, field, record) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, value, 'an object of grade sums by channel')
  for (const [channel, sums] of Object.entries(value as Fields)) {
    SHOWN_CHANNEL(channel, `${field} key`, record)
    CHANNEL_SUMS(sums, `${field}.${channel}`, record)
  }
}

const USAGE_COUNTERS = { toolCalls: count(), toolFailures: count(), commands: count(), pushes: count(), messages: count(), tokens: TOKENS, cost: amount(LIMITS.cost) }

const STATE = nested({
  skillPoints: amount(LIMITS.skillPoints), experience: amount(), communication: amount(), commits: count(), pushes: count(), bugs: count(),
  toolCalls: count(), toolFailures: count(), commands: count(), agentGrades: TALLY, userGrades: TALLY, messages: count(), tokens: TOKENS, cost: amount(LIMITS.cost),
})

/** What kind of project a folder holds (see `ProjectProfile`): read by `recommend` and `search`, so checked like the rest. */
const PROFILE = nested({
  language: NOTE, framework: NOTE, scope: NOTE, dependencies: list(NOTE), sources: list(NOTE), fingerprint: NOTE, profiledAt: NOTE,
})

/** The parts other databases added to a setup, by source: each a state like the setup's own. */
const IMPORTS: FieldCheck = (value, field, record) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, value, 'an object of states by source')
  for (const [source, state] of Object.entries(value as Fields)) {
    key(LIMITS.keyPartBytes)(source, `${field} key`, record)
    STATE(state, `${field}.${source}`, record)
  }
}

const SHAPES: Readonly<Record<CollectionName, Readonly<Record<string, FieldCheck>>>> = {
  setups: { imports: optional(IMPORTS), id: setupId, agent: key(LIMITS.keyPartBytes), provider: optional(NOTE), model: optional(NOTE), state: STATE, firstSeenAt: time, lastSeenAt: time, haltedAt: optional(time), reinstatedAt: optional(time) },
  projects: { path: PROJECT, name: NOTE, firstSeenAt: time, lastSeenAt: time, profile: optional(PROFILE) },
  commits: { project: PROJECT, hash: HASH, setup: setupId, at: time, message: NOTE, task: optional(NOTE), session: optional(key(LIMITS.keyPartBytes)), amends: optional(fullHash), replaced: optional(list(fullHash)) },
  retrospectives: {
    setup: setupId, commit: HASH, project: PROJECT_OR_NONE, at: time, updatedAt: time, task: optional(NOTE), agentGrade: optional(grade), userGrade: optional(grade),
    agentNote: optional(NOTE), userNote: optional(NOTE), agentGradeChannel: optional(CHANNEL), userGradeChannel: optional(CHANNEL), scoreBefore: optional(amount()), scoreAfter: optional(amount()), extra: optional(extra),
  },
  gradeEvents: {
    id: ID, setup: setupId, project: PROJECT, commit: HASH, at: time, by: party, agentGrade: optional(grade), userGrade: optional(grade),
    channel: optional(CHANNEL), vouched: optional(onlyTrue), scoreBefore: optional(amount()), scoreAfter: optional(amount()), note: optional(NOTE),
  },
  bugs: { id: ID, setup: setupId, project: PROJECT, at: time, by: party, commit: optional(HASH), note: optional(NOTE), skillPointsAfter: amount(LIMITS.skillPoints) },
  activities: { id: ID, setup: setupId, project: PROJECT_OR_NONE, at: time, session: optional(key(LIMITS.keyPartBytes)), task: NOTE, actions: NOTE, outcome: NOTE, decisions: NOTE, notes: optional(NOTE) },
  evidence: {
    id: ID, setup: setupId, project: PROJECT, commit: HASH, at: time, signal: oneOf(EVIDENCE_SIGNALS), source: NOTE, subject: optional(NOTE),
    files: optional(list(NOTE)), lines: optional(count()), pattern: optional(NOTE), days: optional(count()), added: optional(count()), surviving: optional(count()),
    status: oneOf(['open', 'confirmed', 'dismissed', 'retracted']), decidedAt: optional(time), note: optional(NOTE),
  },
  usage: { setup: setupId, project: PROJECT, day, ...USAGE_COUNTERS, commits: count(), bugs: count(), grades: nested({ agent: GRADE_SUMS, user: GRADE_SUMS, userByChannel: optional(BY_CHANNEL), communication: optional(score) }), baseline: optional(nested(USAGE_COUNTERS)) },
}

/** A setup's scores must be ones the rules can reach: failures within calls, CS within its cap. */
function checkSetupState(record: Fields, rules: ScoringRules): void {
  const state = record.state as { skillPoints: number; communication: number; toolCalls: number; toolFailures: number }
  if (state.toolFailures > state.toolCalls) fail('state.toolFailures', state.toolFailures, `at most state.toolCalls (${String(state.toolCalls)})`)
  const cap = communicationCap(state.skillPoints, rules)
  if (state.communication > cap) fail('state.communication', state.communication, `at most ${String(cap)} at ${String(state.skillPoints)} skill points`)
  if (record.firstSeenAt !== undefined && (record.firstSeenAt as string) > (record.lastSeenAt as string)) fail('firstSeenAt', record.firstSeenAt, `a time no later than lastSeenAt (${String(record.lastSeenAt)})`)
}

function invalidRecord(collection: CollectionName, problem: string): TrackerError {
  return new TrackerError('INVALID_RECORD', `Invalid ${collection} record: ${problem}.`)
}
