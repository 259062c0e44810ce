import picomatch from 'picomatch/posix.js'

/** How a glob is read. */
export interface GlobReading {
  /** Wildcards match a leading dot (ripgrep, find, git, .gitignore) or not (a shell). */
  readonly dotWildcards: boolean
  readonly ignoreCase?: boolean
  /** A glob without `/` is matched against the last segment of a path. */
  readonly basename?: boolean
}

/**
 * A matcher for a path glob (`*`, `?`, `**`, `[…]`, `{a,b}`; no extglobs), built with picomatch.
 * `[!…]` is read as `[^…]`, as ripgrep and shells read it (picomatch reads a `!` there otherwise).
 */
export function globMatcher(glob: string, reading: GlobReading): (path: string) => boolean {
  const key = `${reading.dotWildcards ? 'd' : '-'}${reading.ignoreCase === true ? 'i' : '-'}${reading.basename === true ? 'b' : '-'}${glob}`
  const known = MATCHERS.get(key)
  if (known !== undefined) return known
  const normalised = glob.replace(/(^|[^\\])\[!/g, '$1[^')
  const matcher = picomatch(normalised, { dot: reading.dotWildcards, noextglob: true, nocase: reading.ignoreCase === true, basename: reading.basename === true })
  // Compiling a glob costs far more than matching with it, and agents repeat their globs.
  if (MATCHERS.size >= MAX_MATCHERS) MATCHERS.delete(MATCHERS.keys().next().value ?? '')
  MATCHERS.set(key, matcher)
  return matcher
}

const MAX_MATCHERS = 512
const MATCHERS = new Map<string, (path: string) => boolean>()
