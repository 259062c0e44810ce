import { TrackerError } from '../errors.js'
import type { FactKind } from './facts.js'
import { FACT_KINDS } from './facts.js'

/** The fields every fact may carry, whatever its kind. */
export const COMMON_FACT_FIELDS: readonly string[] = ['kind', 'id', 'at', 'setup', 'project', 'session']

/** The fields each kind of fact takes besides {@link COMMON_FACT_FIELDS}: what `validateFact` reads. */
export const FACT_FIELDS: Readonly<Record<FactKind, readonly string[]>> = {
  tool_call: ['tool', 'ok', 'exitCode'],
  command: ['command'],
  commit: ['hash', 'message', 'task', 'amends'],
  push: ['remote', 'branch'],
  grade: ['commit', 'by', 'agentGrade', 'userGrade', 'agentNote', 'userNote', 'task', 'channel', 'vouched'],
  bug: ['by', 'commit', 'note'],
  reinstate: ['note'],
  retrospective: ['commit', 'task', 'agentNote', 'userNote', 'extra'],
  activity: ['task', 'actions', 'outcome', 'decisions'],
  usage: ['tokens', 'cost', 'costSource', 'message'],
  evidence: ['signal', 'commit', 'source', 'subject', 'files', 'lines', 'pattern', 'days', 'added', 'surviving'],
  verdict: ['evidence', 'verdict', 'note'],
}

/** The fields of a usage fact's `tokens`. */
export const TOKEN_FIELDS: readonly string[] = ['input', 'output', 'reasoning', 'cacheRead', 'cacheWrite']

/**
 * Refuses a fact given as plain data (an `ingest` line) that carries a field its kind does not
 * take — `user_note`, `exit_code`, `mesage` — naming each such field, the one it was likely meant
 * to be, and the fields its kind takes. `validateFact` keeps only the fields it knows: such a line
 * would be stored without what it said there, and nobody told. Input that is no object, or of no
 * known kind, passes: `validateFact` says what is wrong with it.
 * @throws {TrackerError} INVALID_FACT naming the unknown fields and the accepted ones.
 */
export function checkFactFields(input: unknown): void {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return
  const fields = input as Readonly<Record<string, unknown>>
  const kind = fields.kind
  if (typeof kind !== 'string' || !(FACT_KINDS as readonly string[]).includes(kind)) return
  const accepted = [...COMMON_FACT_FIELDS, ...FACT_FIELDS[kind as FactKind]]
  const unknown = Object.keys(fields).filter((field) => !accepted.includes(field))
  if (unknown.length > 0) throw unknownFields(kind, unknown, accepted, `a ${kind} fact takes`)
  const tokens = fields.tokens
  if (kind === 'usage' && typeof tokens === 'object' && tokens !== null && !Array.isArray(tokens)) {
    const unknownTokens = Object.keys(tokens).filter((field) => !TOKEN_FIELDS.includes(field))
    if (unknownTokens.length > 0) throw unknownFields(kind, unknownTokens.map((field) => `tokens.${field}`), TOKEN_FIELDS.map((field) => `tokens.${field}`), '"tokens" takes')
  }
}

function unknownFields(kind: string, unknown: readonly string[], accepted: readonly string[], takes: string): TrackerError {
  const named = unknown.map((field) => {
    const meant = likelyMeant(field, accepted)
    return `${JSON.stringify(field)}${meant === undefined ? '' : ` (did you mean ${JSON.stringify(meant)}?)`}`
  })
  const what = unknown.length === 1 ? 'unknown field' : 'unknown fields'
  return new TrackerError('INVALID_FACT', `Invalid ${kind} fact: ${what} ${named.join(', ')}; ${takes} ${accepted.join(', ')}.`)
}

/** The accepted field a field was likely meant to be: the same but for case, `_` and `-` (`user_note`), or a letter or two off (`mesage`). */
function likelyMeant(field: string, accepted: readonly string[]): string | undefined {
  const plain = (text: string): string => text.toLowerCase().replace(/[-_]/g, '')
  const given = plain(field.replace(/^tokens\./, ''))
  const candidates = accepted.map((name) => ({ name, plain: plain(name.replace(/^tokens\./, '')) }))
  const same = candidates.find((candidate) => candidate.plain === given)
  if (same !== undefined) return same.name
  if (given.length < 4) return undefined
  let best: { name: string; distance: number } | undefined
  for (const candidate of candidates) {
    const distance = editDistance(given, candidate.plain)
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { name: candidate.name, distance }
  }
  return best?.name
}

/** Levenshtein distance: the fewest letters added, taken away or changed to make one text the other. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length] ?? 0
}
