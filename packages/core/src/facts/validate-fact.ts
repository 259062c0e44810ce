import { describeField, describeValue } from '../describe-value.js'
import { TrackerError, isTrackerError } from '../errors.js'
import type { EvidenceSignal, EvidenceVerdict, Fact, FactBase, FactKind, Party, TokenUsage } from './facts.js'
import { COST_SOURCES, EVIDENCE_SIGNALS, FACT_KINDS } from './facts.js'
import type { Grade } from './grade.js'
import type { GradeChannel } from './grade-channel.js'
import { GRADE_CHANNELS, isGradeChannel } from './grade-channel.js'
import { parseGrade } from './grade.js'
import { parseSetupId } from './setup-id.js'
import { toFactTimestamp } from '../time/iso-timestamp.js'
import { LIMITS, nestingDepth, utf8Bytes } from '../validation/limits.js'
import { FULL_COMMIT_HASH_ACCEPTED, isFullCommitHash } from '../validation/host-facts.js'

/** Providers for the fields a fact may omit on input. */
export interface FactDefaults {
  /** Makes an id when the input has none. */
  readonly newId?: () => string
  /** The time used when the input has no `at`. */
  readonly now?: () => Date
}

type Fields = Readonly<Record<string, unknown>>

/** No defaults: one shared object, so that checking a fact seen before allocates nothing (a flush checks thousands). */
const NO_DEFAULTS: FactDefaults = {}

/**
 * Marks the facts this module built and checked. Facts are read-only by type and nothing in this
 * library changes one, so a fact seen here again need not be checked again. The mark is a property
 * under a symbol no other module holds, not enumerable, so no copy, encoding or comparison of a
 * fact sees it; a copy (a spread, a fact read back) is checked again. It was a WeakSet, which cost
 * ~0.8 µs per fact (its entries are ephemerons every garbage collection visits): a fifth of a hook.
 */
const VALIDATED: unique symbol = Symbol('agent-tracker: a validated fact')

function isValidated(input: object): boolean {
  return (input as { readonly [VALIDATED]?: true })[VALIDATED] === true
}

/**
 * Checks a fact given as plain data (e.g. a JSON line from another host) and returns it
 * normalised: UTC timestamps, numeric grades, no unknown fields. A fact this function returned
 * before is returned as is, so a fact passing through several layers is checked once.
 * @throws {TrackerError} INVALID_FACT naming the field, what it held and what is accepted.
 */
export function validateFact(input: unknown, defaults: FactDefaults = NO_DEFAULTS): Fact {
  if (typeof input === 'object' && input !== null && isValidated(input)) return input as Fact
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalidFact(undefined, `a fact must be a JSON object, got ${describeValue(input)}`)
  }
  const fields = input as Fields
  const kind = fields.kind
  if (typeof kind !== 'string' || !(FACT_KINDS as readonly string[]).includes(kind)) {
    throw invalidFact(undefined, `field "kind" is ${describeField(kind)}; accepted kinds are ${FACT_KINDS.join(', ')}`)
  }
  try {
    const fact = buildFact(kind as FactKind, fields, base(fields, defaults))
    Object.defineProperty(fact, VALIDATED, { value: true })
    return fact
  } catch (error) {
    if (isTrackerError(error, 'INVALID_FACT')) throw error
    if (error instanceof TrackerError) throw invalidFact(kind, error.message, error)
    throw error
  }
}

/** A new object with the fields every fact has; `buildFact` adds the rest to it. */
function base(fields: Fields, defaults: FactDefaults): FactBase {
  const id = optionalText(fields, 'id', LIMITS.idBytes) ?? defaults.newId?.()
  if (id === undefined) throw invalidFact(fields.kind, 'field "id" is required: a non-empty string')
  const rawAt = fields.at ?? defaults.now?.()
  if (rawAt === undefined) throw invalidFact(fields.kind, 'field "at" is required: an ISO 8601 timestamp')
  const setup = requiredText(fields, 'setup', LIMITS.keyPartBytes)
  parseSetupId(setup)
  const session = optionalText(fields, 'session', LIMITS.keyPartBytes)
  const made: { -readonly [K in keyof FactBase]: FactBase[K] } = { id, at: toFactTimestamp(rawAt, 'field "at"'), setup, project: requiredText(fields, 'project', LIMITS.projectBytes) }
  if (session !== undefined) made.session = session
  return made
}

function buildFact(kind: FactKind, f: Fields, b: FactBase): Fact {
  // Built by assignment, not by spreading optional fields: this runs for every hook.
  const fact = b as FactBase & Record<string, unknown>
  fact.kind = kind
  const set = (key: string, value: unknown): void => {
    if (value !== undefined) fact[key] = value
  }
  switch (kind) {
    case 'tool_call':
      fact.tool = requiredText(f, 'tool', LIMITS.keyPartBytes)
      fact.ok = requiredBoolean(f, 'ok')
      set('exitCode', optionalInteger(f, 'exitCode'))
      break
    case 'command':
      fact.command = requiredText(f, 'command', LIMITS.keyPartBytes)
      break
    case 'commit':
      fact.hash = requiredText(f, 'hash', LIMITS.keyPartBytes)
      // A commit without a message is stored with '': read back (salvage, merge, sync), that is no message again.
      fact.message = f.message === '' ? '' : optionalText(f, 'message') ?? ''
      set('task', optionalText(f, 'task'))
      set('amends', amendedCommit(f))
      break
    case 'push':
      set('remote', optionalText(f, 'remote'))
      set('branch', optionalText(f, 'branch'))
      break
    case 'grade': {
      const agentGrade = optionalGrade(f, 'agentGrade')
      const userGrade = optionalGrade(f, 'userGrade')
      const by = party(f)
      if (agentGrade === undefined && userGrade === undefined) throw invalidFact(kind, 'needs "agentGrade" or "userGrade" (or both)')
      if (by === 'agent' && userGrade !== undefined) throw invalidFact(kind, 'an agent may not give a user grade: "userGrade" requires "by": "user"')
      const channel = gradeChannel(f)
      if (by === 'user' && channel === 'agent-tool') throw invalidFact(kind, 'a grade "by": "user" cannot come through the "agent-tool" channel')
      const vouched = optionalBoolean(f, 'vouched')
      fact.commit = requiredText(f, 'commit', LIMITS.keyPartBytes)
      fact.by = by
      set('agentGrade', agentGrade)
      set('userGrade', userGrade)
      set('agentNote', optionalText(f, 'agentNote'))
      set('userNote', optionalText(f, 'userNote'))
      set('task', optionalText(f, 'task'))
      set('channel', channel)
      if (vouched === true) fact.vouched = true
      break
    }
    case 'bug':
      fact.by = party(f)
      set('commit', optionalText(f, 'commit', LIMITS.keyPartBytes))
      set('note', optionalText(f, 'note'))
      break
    case 'reinstate':
      set('note', optionalText(f, 'note'))
      break
    case 'retrospective': {
      const extra = f.extra
      if (extra !== undefined && (typeof extra !== 'object' || extra === null || Array.isArray(extra))) {
        throw invalidFact(kind, `field "extra" must be an object, got ${describeValue(extra)}`)
      }
      if (extra !== undefined) checkExtra(kind, extra)
      fact.commit = requiredText(f, 'commit', LIMITS.keyPartBytes)
      set('task', optionalText(f, 'task'))
      set('agentNote', optionalText(f, 'agentNote'))
      set('userNote', optionalText(f, 'userNote'))
      set('extra', extra)
      break
    }
    case 'activity':
      fact.task = requiredText(f, 'task')
      fact.actions = detailText(f, 'actions')
      fact.outcome = detailText(f, 'outcome')
      fact.decisions = detailText(f, 'decisions')
      break
    case 'evidence':
      fact.signal = oneOf<EvidenceSignal>(f, 'signal', EVIDENCE_SIGNALS)
      fact.commit = requiredText(f, 'commit')
      fact.source = requiredText(f, 'source')
      set('subject', optionalText(f, 'subject'))
      set('files', optionalTextList(f, 'files'))
      set('lines', optionalCount(f, 'lines'))
      set('pattern', optionalText(f, 'pattern'))
      set('days', optionalCount(f, 'days'))
      set('added', optionalCount(f, 'added'))
      set('surviving', optionalCount(f, 'surviving'))
      break
    case 'verdict':
      fact.evidence = requiredText(f, 'evidence')
      fact.verdict = oneOf<EvidenceVerdict>(f, 'verdict', EVIDENCE_VERDICTS)
      set('note', optionalText(f, 'note'))
      break
    case 'usage':
      fact.tokens = tokens(f)
      fact.cost = nonNegative(f.kind, f, 'cost', LIMITS.costPerMessage)
      set('costSource', costSource(f))
      set('message', optionalText(f, 'message'))
      break
  }
  return fact as unknown as Fact
}

/** The full hash of the commit a commit fact replaced (`amends`), if it names one. */
function amendedCommit(f: Fields): string | undefined {
  const value = f.amends
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string' || !isFullCommitHash(value)) throw invalidFact(f.kind, `field "amends" is ${describeField(value)}; accepted is ${FULL_COMMIT_HASH_ACCEPTED}`)
  return value
}

function tokens(f: Fields): TokenUsage {
  const raw: unknown = f.tokens ?? {}
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw invalidFact(f.kind, `field "tokens" must be an object like {"input": 1200, "output": 300}, got ${describeValue(raw)}`)
  }
  const t = raw as Fields
  return {
    input: nonNegative(f.kind, t, 'input', LIMITS.tokensPerMessage, 'tokens.'),
    output: nonNegative(f.kind, t, 'output', LIMITS.tokensPerMessage, 'tokens.'),
    reasoning: nonNegative(f.kind, t, 'reasoning', LIMITS.tokensPerMessage, 'tokens.'),
    cacheRead: nonNegative(f.kind, t, 'cacheRead', LIMITS.tokensPerMessage, 'tokens.'),
    cacheWrite: nonNegative(f.kind, t, 'cacheWrite', LIMITS.tokensPerMessage, 'tokens.'),
  }
}

/** The cost source of a usage fact; the host's own figure (the default) is left out. */
function costSource(f: Fields): 'estimate' | 'unknown' | undefined {
  const value = f.costSource
  if (value === undefined || value === null || value === 'host') return undefined
  if (value === 'estimate' || value === 'unknown') return value
  throw invalidFact(f.kind, `field "costSource" is ${describeField(value)}; accepted are ${COST_SOURCES.map((source) => `"${source}"`).join(', ')}`)
}

function requiredText(f: Fields, field: string, maxBytes: number = LIMITS.textBytes): string {
  const value = optionalText(f, field, maxBytes)
  if (value === undefined) throw invalidFact(f.kind, `field "${field}" is required: a non-empty string`)
  return value
}

function optionalText(f: Fields, field: string, maxBytes: number = LIMITS.textBytes): string | undefined {
  const value = f[field]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalidFact(f.kind, `field "${field}" must be a non-empty string, got ${describeValue(value)}`)
  }
  checkLength(f, field, value, maxBytes)
  return value
}

function checkLength(f: Fields, field: string, value: string, maxBytes: number): void {
  // Cheap first: a UTF-8 byte is at most one UTF-16 unit, and at most three bytes make one.
  if (value.length * 3 <= maxBytes) return
  const bytes = utf8Bytes(value)
  if (bytes > maxBytes) throw invalidFact(f.kind, `field "${field}" is ${String(bytes)} bytes long; at most ${String(maxBytes)} bytes (UTF-8) are accepted`)
}

/** A legacy `extra` may hold anything JSON holds, but not nested past the limit nor larger than a note. */
function checkExtra(kind: string, extra: object): void {
  if (nestingDepth(extra) > LIMITS.depth) throw invalidFact(kind, `field "extra" nests deeper than ${String(LIMITS.depth)} levels`)
  const bytes = utf8Bytes(JSON.stringify(extra))
  if (bytes > LIMITS.textBytes) throw invalidFact(kind, `field "extra" is ${String(bytes)} bytes as JSON; at most ${String(LIMITS.textBytes)} are accepted`)
}

/** A free-text detail that may be empty or absent (as `''`). */
function detailText(f: Fields, field: string): string {
  const value = f[field]
  if (value === undefined || value === null) return ''
  if (typeof value !== 'string') throw invalidFact(f.kind, `field "${field}" must be a string, got ${describeValue(value)}`)
  checkLength(f, field, value, LIMITS.textBytes)
  return value
}

const EVIDENCE_VERDICTS: readonly EvidenceVerdict[] = ['confirmed', 'dismissed', 'retracted']

function oneOf<T extends string>(f: Fields, field: string, accepted: readonly T[]): T {
  const value = f[field]
  if (typeof value === 'string' && (accepted as readonly string[]).includes(value)) return value as T
  throw invalidFact(f.kind, `field "${field}" is ${describeField(value)}; accepted are ${accepted.map((a) => `"${a}"`).join(', ')}`)
}

function optionalTextList(f: Fields, field: string): readonly string[] | undefined {
  const value = f[field]
  if (value === undefined || value === null) return undefined
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item === '')) {
    throw invalidFact(f.kind, `field "${field}" must be a list of non-empty strings, got ${describeValue(value)}`)
  }
  return [...(value as string[])]
}

function optionalCount(f: Fields, field: string): number | undefined {
  const value = optionalInteger(f, field)
  if (value !== undefined && value < 0) throw invalidFact(f.kind, `field "${field}" must be a whole number ≥ 0, got ${describeValue(value)}`)
  return value
}

function requiredBoolean(f: Fields, field: string): boolean {
  const value = optionalBoolean(f, field)
  if (value === undefined) throw invalidFact(f.kind, `field "${field}" must be true or false, got ${describeValue(f[field])}`)
  return value
}

function optionalBoolean(f: Fields, field: string): boolean | undefined {
  const value = f[field]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'boolean') throw invalidFact(f.kind, `field "${field}" must be true or false, got ${describeValue(value)}`)
  return value
}

function gradeChannel(f: Fields): GradeChannel | undefined {
  const value = f.channel
  if (value === undefined || value === null) return undefined
  if (isGradeChannel(value)) return value
  throw invalidFact(f.kind, `field "channel" is ${describeField(value)}; accepted are ${GRADE_CHANNELS.map((channel) => `"${channel}"`).join(', ')}`)
}

function optionalInteger(f: Fields, field: string): number | undefined {
  const value = f[field]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw invalidFact(f.kind, `field "${field}" must be a whole number, got ${describeValue(value)}`)
  }
  return value
}

/** A number from 0 to `max` in `f` (a fact of `kind`, or a part of one); 0 when absent. */
function nonNegative(kind: unknown, f: Fields, field: string, max: number, prefix = ''): number {
  const value = f[field]
  if (value === undefined || value === null) return 0
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
    throw invalidFact(kind, `field "${prefix}${field}" must be a number from 0 to ${String(max)}, got ${describeValue(value)}`)
  }
  return value
}

function optionalGrade(f: Fields, field: string): Grade | undefined {
  const value = f[field]
  return value === undefined || value === null ? undefined : parseGrade(value, `field "${field}"`)
}

function party(f: Fields): Party {
  const value = f.by
  if (value === 'agent' || value === 'user') return value
  throw invalidFact(f.kind, `field "by" is ${describeField(value)}; accepted are "agent" and "user"`)
}

function invalidFact(kind: unknown, problem: string, cause?: unknown): TrackerError {
  const what = typeof kind === 'string' ? `Invalid ${kind} fact` : 'Invalid fact'
  const text = problem.startsWith('Invalid ') ? problem : `${problem}.`
  return new TrackerError('INVALID_FACT', `${what}: ${text}`, cause === undefined ? undefined : { cause })
}
