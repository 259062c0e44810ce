import { TrackerError } from '../errors.js'

/** A named message pattern that marks a commit as a fix. */
export interface FixPattern {
  readonly name: string
  readonly pattern: RegExp
}

/**
 * Names of standards, encodings, algorithms, licences and zones written like an issue key
 * (`UTF-8`, `SHA-256`, `ISO-8601`, `RFC-7231`, `GPL-3`, `UTC-5`): no issue reference.
 */
const NOT_ISSUE_KEYS = ['AES', 'AGPL', 'ANSI', 'BSD', 'CC', 'ECMA', 'ES', 'GMT', 'GPL', 'HTTP', 'IEEE', 'IPV', 'ISO', 'LGPL', 'MD', 'MPL', 'PEP', 'RFC', 'RSA', 'SHA', 'SSL', 'TLS', 'UCS', 'UTC', 'UTF', 'WCAG']

/**
 * The default fix patterns: the words fix, bug, hotfix and regression (also as in `fix(api):`,
 * `fixes`, `bugfix`), and issue references (`#123`, `closes #9`, `PROJ-42`, but not `UTF-8` and
 * the like: see {@link NOT_ISSUE_KEYS}). A revert is never a fix.
 */
export const DEFAULT_FIX_PATTERNS: readonly FixPattern[] = [
  { name: 'hotfix', pattern: /\bhot-?fix(?:e[sd])?\b/i },
  { name: 'fix', pattern: /\b(?:bug)?fix(?:e[sd]|ing)?\b/i },
  { name: 'bug', pattern: /\bbugs?\b/i },
  { name: 'regression', pattern: /\bregress(?:ion|ions|ed)?\b/i },
  { name: 'issue-reference', pattern: new RegExp(`(?:^|[\\s(])#\\d+\\b|\\b(?!(?:${NOT_ISSUE_KEYS.join('|')})-)[A-Z][A-Z0-9]+-\\d+\\b`) },
]

const REVERT = /\bThis reverts commit ([0-9a-f]{7,64})\b/

/** The commit a message says it reverts (`This reverts commit <hash>`, as `git revert` writes), if any. */
export function revertedCommit(message: string): string | undefined {
  return REVERT.exec(message)?.[1]
}

/** The name of the first fix pattern the message matches; undefined for reverts and for messages matching none. */
export function matchFixPattern(message: string, patterns: readonly FixPattern[] = DEFAULT_FIX_PATTERNS): string | undefined {
  if (revertedCommit(message) !== undefined) return undefined
  return patterns.find((candidate) => candidate.pattern.test(message))?.name
}

/**
 * Fix patterns from their text (regular expressions, matched case-insensitively), each named by its text.
 * @throws {TrackerError} INVALID_QUERY naming a pattern that is not a valid regular expression.
 */
export function parseFixPatterns(sources: readonly string[]): FixPattern[] {
  return sources.map((source) => {
    try {
      return { name: source, pattern: new RegExp(source, 'i') }
    } catch (error) {
      throw new TrackerError('INVALID_QUERY', `Invalid fix pattern "${source}": ${(error as Error).message}. A fix pattern is a regular expression, e.g. "\\\\bfix(e[sd])?\\\\b".`, { cause: error })
    }
  })
}
