import { describeField } from '../describe-value.js'
import { TrackerError } from '../errors.js'
import type { Fact } from '../facts/facts.js'
import { LIMITS } from './limits.js'

/**
 * A commit hash as git prints it, abbreviated or whole: lowercase hex digits, at least as many as
 * git's shortest abbreviation and at most a SHA-256 object name. A commit reference (`grade`'s
 * hash prefix) needs at least as many.
 */
export const COMMIT_HASH_DIGITS = { min: 4, max: 64 } as const

const COMMIT_HASH = new RegExp(`^[0-9a-f]{${String(COMMIT_HASH_DIGITS.min)},${String(COMMIT_HASH_DIGITS.max)}}$`)

/** What {@link checkHostFact} accepts as a commit hash, in words. */
export const COMMIT_HASH_ACCEPTED = `a commit hash of ${String(COMMIT_HASH_DIGITS.min)} to ${String(COMMIT_HASH_DIGITS.max)} lowercase hex digits (0-9, a-f), as git prints it`

/** A full commit hash: git's object name, SHA-1 (40 hex digits) or SHA-256 (64). */
const FULL_COMMIT_HASH = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/

/** What a field that names a commit by its full hash accepts, in words. */
export const FULL_COMMIT_HASH_ACCEPTED = 'a full commit hash: 40 lowercase hex digits (SHA-1), or 64 (SHA-256), as `git rev-parse HEAD` prints it'

/** True for a full commit hash (see {@link FULL_COMMIT_HASH_ACCEPTED}). */
export function isFullCommitHash(text: string): boolean {
  return FULL_COMMIT_HASH.test(text)
}

/** True for a commit hash as git prints it (see {@link COMMIT_HASH_DIGITS}). */
export function isCommitHash(text: string): boolean {
  return COMMIT_HASH.test(text)
}

/** True for an absolute path: POSIX (`/home/me/shop`) or Windows (`C:\work\shop`, `\\server\share`). */
export function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\')
}

/** How far ahead of the reader's clock a fact's time may be: another machine's clock runs a little ahead, a year-2099 time is a mistake. */
export const FUTURE_SLACK_MS = 24 * 60 * 60 * 1000

/**
 * An absolute path (see {@link isAbsolutePath}) as a host records its working folder: repeated
 * separators as one, `.` segments left out, `..` taking the segment before it away (never above
 * the root), and no separator at the end but the root's own — so `/p`, `/p/`, `//p` and `/q/../p`
 * are one project. A Windows path (`C:\work\shop`, `\\server\share\…`) keeps its drive or
 * share and is written with backslashes, as Windows gives a working folder.
 */
export function normalProjectPath(path: string): string {
  // The part no `..` may go above, and the rest: `/`; `C:\`; `\\server\share\` (as much of it as is given).
  const [root, rest, separator] = path.startsWith('\\\\')
    ? uncParts(path)
    : /^[A-Za-z]:[\\/]/.test(path) ? [`${path.slice(0, 2)}\\`, path.slice(3), '\\'] : ['/', path, '/']
  const segments: string[] = []
  for (const segment of rest.split(separator === '\\' ? /[\\/]+/ : /\/+/)) {
    if (segment === '' || segment === '.') continue
    if (segment === '..') segments.pop()
    else segments.push(segment)
  }
  return `${root}${segments.join(separator)}`
}

/** A UNC path's `\\server\share\` (its root), the rest, and its separator. */
function uncParts(path: string): [string, string, string] {
  const share = /^\\\\[^\\/]+(?:[\\/][^\\/]+)?/.exec(path)?.[0] ?? '\\\\'
  return [share.length > 2 ? `${share.replace(/\//g, '\\')}\\` : share, path.slice(share.length), '\\']
}

/** The earliest time a fact of another host may carry: git's and Unix's epoch. Work of a coding agent before it is a mistake, and calendars before year 100 trip JavaScript's dates. */
export const EARLIEST_FACT_TIME = '1970-01-01T00:00:00.000Z'

/** Control characters (C0, DEL, C1): they have no place in an id, and a terminal would act on them. */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/

/**
 * The rules a fact written by another host (an `ingest` line) is held to beyond
 * `validateFact`'s types and limits: its project is the absolute path of the project folder, and
 * every commit it names is a git hash — what the tracker's own hosts record, so that the fact
 * joins the same project and commit as theirs; its setup id holds no control character; its time
 * is not before {@link EARLIEST_FACT_TIME} and, given `now`, not more than a day ahead of it (it
 * would sit at the end of every window until then); a tool call with a non-zero exit code is not
 * said to have gone well; a usage fact counts whole tokens. Returns the fact, its project path as the hosts write one (see
 * {@link normalProjectPath}) and its setup id composed (see {@link normalSetupId}); its id is kept.
 * @throws {TrackerError} INVALID_FACT naming the field, what it held and what is accepted.
 */
export function checkHostFact(fact: Fact, now?: Date): Fact {
  if (!isAbsolutePath(fact.project)) throw refused(fact, 'project', fact.project, 'an absolute path to the project folder, like /home/me/shop')
  if (CONTROL_CHARACTER.test(fact.setup)) throw refused(fact, 'setup', fact.setup, 'a setup id without control characters, like build@anthropic/claude-sonnet-4-5')
  const [field, hash] = fact.kind === 'commit' ? ['hash', fact.hash] : ['commit', 'commit' in fact ? fact.commit : undefined]
  if (hash !== undefined && !isCommitHash(hash)) throw refused(fact, field, hash, COMMIT_HASH_ACCEPTED)
  // A call that exited non-zero failed (see scoring): a line that says it went well contradicts itself.
  if (fact.kind === 'tool_call' && fact.ok && fact.exitCode !== undefined && fact.exitCode !== 0) {
    throw new TrackerError('INVALID_FACT', `Invalid tool_call fact: field "ok" is true, but "exitCode" is ${String(fact.exitCode)}; a call that exits non-zero failed: send "ok": false (or leave "exitCode" out).`)
  }
  // Tokens are counted, not measured: a fraction is no count a host gives (stored facts keep theirs).
  if (fact.kind === 'usage') {
    const fraction = Object.entries(fact.tokens).find(([, count]) => !Number.isInteger(count))
    if (fraction !== undefined) throw new TrackerError('INVALID_FACT', `Invalid usage fact: field "tokens.${fraction[0]}" is ${String(fraction[1])}; accepted is a whole number of tokens from 0 to ${String(LIMITS.tokensPerMessage)}.`)
  }
  const time = Date.parse(fact.at)
  const latest = now === undefined ? undefined : now.getTime() + FUTURE_SLACK_MS
  if (!(time >= Date.parse(EARLIEST_FACT_TIME)) || (latest !== undefined && time > latest)) {
    throw refused(fact, 'at', fact.at, `a time from ${EARLIEST_FACT_TIME}${latest === undefined ? '' : ` to a day after now (${new Date(latest).toISOString()})`}`)
  }
  const project = normalProjectPath(fact.project)
  const setup = normalSetupId(fact.setup)
  return project === fact.project && setup === fact.setup ? fact : { ...fact, project, setup }
}

/**
 * A setup id in Unicode's composed form (NFC): `ü` typed as one character and as `u` with a
 * combining diaeresis look alike and are one setup, as a user reading `agents` takes them to be
 * (an `ingest` line spelt decomposed made a second row that looked the same). Project paths are not
 * so normalised: a path names a folder, and on most file systems two spellings are two folders.
 */
export function normalSetupId(setup: string): string {
  return setup.normalize('NFC')
}

function refused(fact: Fact, field: string, value: string, accepted: string): TrackerError {
  return new TrackerError('INVALID_FACT', `Invalid ${fact.kind} fact: field "${field}" is ${describeField(value)}; accepted is ${accepted}.`)
}
