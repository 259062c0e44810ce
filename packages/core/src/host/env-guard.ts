/** The only `.env.*` files tool calls may touch: templates that hold no secrets by convention. */
export const ALLOWED_ENV_FILES: ReadonlySet<string> = new Set(['.env.example', '.env.sample'])

/** True for a path whose file name is `.env` or `.env.<anything>` other than an allowed template. */
export function isSecretEnvFile(path: string): boolean {
  return namesOf(path).some((name) => name === '.env' || (name.startsWith('.env.') && !ALLOWED_ENV_FILES.has(name)))
}

/**
 * True when a file-name pattern could match a secret env file (see {@link isSecretEnvFile}):
 * `*`, `?`, `[…]` and `{a,b}` are read as a shell reads them, so a wildcard never matches the
 * leading dot of a name (`*env` cannot match `.env`; `.e*` can). A plain path is its own pattern.
 */
export function couldMatchSecretEnvFile(pattern: string): boolean {
  return namesOf(pattern).some((name) => expandBraces(name).some((alternative) => matchesSecret(tokensOf(alternative))))
}

/**
 * The file argument of a tool call that could touch a secret env file, or undefined. Only file
 * arguments count: for bash every word of the command line (`cat .env*`, `source ./.env.local`);
 * for glob the pattern and path; for grep the file filter (`include`, `glob`) and path (not what
 * it searches for); for a patch the files it names; for read, edit, write and any other tool the
 * arguments named like a path or file — never the text written (`newString`, `content`). Tool
 * names are matched without regard to case, so OpenCode's `bash` and Claude Code's `Bash` read alike.
 */
export function secretFileIn(tool: string, args: unknown): string | undefined {
  return fileArgumentsOf(tool, args).find(couldMatchSecretEnvFile)
}

type Fields = Readonly<Record<string, unknown>>

const PATH_KEY = /path|file|dir|include|glob/i
const PATCH_FILE = /^\*\*\* (?:Add|Update|Delete) File: (.+)$|^\*\*\* Move to: (.+)$/gm

function fileArgumentsOf(tool: string, args: unknown): string[] {
  const fields: Fields = typeof args === 'object' && args !== null ? (args as Fields) : {}
  const text = (name: string): string[] => (typeof fields[name] === 'string' ? [fields[name]] : [])
  switch (tool.toLowerCase()) {
    case 'bash':
      return text('command').flatMap((command) => command.split(/[\s;&|<>()=:]+/)).filter((word) => word !== '')
    case 'glob':
      return [...text('pattern'), ...text('path')]
    case 'grep':
      return [...text('include'), ...text('glob'), ...text('path')]
    case 'apply_patch':
    case 'patch':
      return [...text('patchText').flatMap((patch) => [...patch.matchAll(PATCH_FILE)].map((line) => (line[1] ?? line[2] ?? '').trim())), ...pathStrings(fields)]
    default:
      return pathStrings(fields)
  }
}

/** Strings under path-like keys (`filePath`, `path`, `files`, …), at any depth up to 3. */
function pathStrings(value: unknown, underPathKey = false, depth = 0): string[] {
  if (typeof value === 'string') return underPathKey ? [value] : []
  if (depth > 3 || typeof value !== 'object' || value === null) return []
  if (Array.isArray(value)) return value.flatMap((item) => pathStrings(item, underPathKey, depth + 1))
  return Object.entries(value).flatMap(([key, inner]) => pathStrings(inner, underPathKey || PATH_KEY.test(key), depth + 1))
}

/** The file name of a path, read both ways a backslash can be meant: a Windows separator, or a shell escape. */
function namesOf(path: string): string[] {
  const unquoted = path.replace(/["'`]/g, '')
  const windows = unquoted.split(/[\\/]/).at(-1) ?? ''
  const shell = unquoted.replace(/\\/g, '').split('/').at(-1) ?? ''
  return windows === shell ? [windows] : [windows, shell]
}

const MAX_ALTERNATIVES = 256

/** `{a,b}c` → `ac`, `bc` (nested too); braces without a comma stay literal. */
function expandBraces(pattern: string, budget = { left: MAX_ALTERNATIVES }): string[] {
  for (let open = pattern.indexOf('{'); open !== -1; open = pattern.indexOf('{', open + 1)) {
    let depth = 0
    const commas: number[] = []
    for (let at = open; at < pattern.length; at++) {
      const char = pattern[at]
      if (char === '{') depth++
      else if (char === '}' && --depth === 0) {
        if (commas.length === 0) break
        const before = pattern.slice(0, open)
        const after = pattern.slice(at + 1)
        const bounds = [open, ...commas, at]
        const parts = bounds.slice(1).map((end, index) => pattern.slice((bounds[index] ?? open) + 1, end))
        return parts.flatMap((part) => {
          if (budget.left <= 0) return []
          budget.left--
          return expandBraces(`${before}${part}${after}`, budget)
        })
      } else if (char === ',' && depth === 1) commas.push(at)
    }
  }
  return [pattern]
}

type Token =
  | { readonly kind: 'char'; readonly char: string }
  | { readonly kind: 'any' }
  | { readonly kind: 'star' }
  | { readonly kind: 'class'; readonly negated: boolean; readonly chars: string; readonly ranges: readonly (readonly [string, string])[] }

function tokensOf(pattern: string): Token[] {
  const tokens: Token[] = []
  const chars = Array.from(pattern)
  for (let at = 0; at < chars.length; at++) {
    const char = chars[at] ?? ''
    if (char === '*') {
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' })
    } else if (char === '?') tokens.push({ kind: 'any' })
    else if (char === '[') {
      const negated = chars[at + 1] === '!' || chars[at + 1] === '^'
      const first = at + (negated ? 2 : 1)
      const close = chars.indexOf(']', first + 1)
      if (close === -1) {
        tokens.push({ kind: 'char', char })
        continue
      }
      const body = chars.slice(first, close)
      const ranges: (readonly [string, string])[] = []
      let single = ''
      for (let inner = 0; inner < body.length; inner++) {
        const from = body[inner] ?? ''
        const to = body[inner + 2]
        if (body[inner + 1] === '-' && to !== undefined) {
          ranges.push([from, to])
          inner += 2
        } else single += from
      }
      tokens.push({ kind: 'class', negated, chars: single, ranges })
      at = close
    } else tokens.push({ kind: 'char', char })
  }
  return tokens
}

/** Characters a wildcard is tried with: every printable ASCII one but `/`, and one beyond ASCII. */
const ALPHABET = [...Array.from({ length: 0x7f - 0x20 }, (_, code) => String.fromCharCode(code + 0x20)).filter((char) => char !== '/'), 'é']
const PREFIX = '.env'
const ALLOWED_SUFFIXES = [...ALLOWED_ENV_FILES].map((name) => name.slice(PREFIX.length + 1))

/** Where a name stands against `.env` / `.env.<suffix>`: prefix length, the suffix so far, or an `other` suffix. */
type Progress = number | `suffix:${string}` | 'other'

function advance(progress: Progress, char: string): Progress | undefined {
  if (typeof progress === 'number') {
    if (progress < PREFIX.length) return char === PREFIX[progress] ? progress + 1 : undefined
    return char === '.' ? 'suffix:' : undefined
  }
  if (progress === 'other') return 'other'
  const suffix = `${progress.slice('suffix:'.length)}${char}`
  return ALLOWED_SUFFIXES.some((allowed) => allowed.startsWith(suffix)) ? `suffix:${suffix}` : 'other'
}

function isSecretEnd(progress: Progress): boolean {
  if (typeof progress === 'number') return progress === PREFIX.length
  return progress === 'other' || !ALLOWED_SUFFIXES.includes(progress.slice('suffix:'.length))
}

function accepts(token: Token, char: string): boolean {
  switch (token.kind) {
    case 'char':
      return token.char === char
    case 'any':
    case 'star':
      return true
    case 'class': {
      const inClass = token.chars.includes(char) || token.ranges.some(([from, to]) => from <= char && char <= to)
      return inClass !== token.negated
    }
  }
}

/** Searches the pattern × secret-name automaton for a name both accept. */
function matchesSecret(tokens: readonly Token[]): boolean {
  const first = tokens[0]
  // A shell (and the glob tool) never matches a leading dot with a wildcard.
  if (first?.kind !== 'char' || first.char !== '.') return false
  const seen = new Set<string>()
  const stack: [number, Progress][] = [[0, 0]]
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [index, progress] = next
    const key = `${String(index)}|${String(progress)}`
    if (seen.has(key)) continue
    seen.add(key)
    const token = tokens[index]
    if (token === undefined) {
      if (isSecretEnd(progress)) return true
      continue
    }
    if (token.kind === 'star') stack.push([index + 1, progress])
    const candidates = token.kind === 'char' ? [token.char] : ALPHABET
    for (const char of candidates) {
      if (!accepts(token, char)) continue
      const after = advance(progress, char)
      if (after !== undefined) stack.push([token.kind === 'star' ? index : index + 1, after])
    }
  }
  return false
}
