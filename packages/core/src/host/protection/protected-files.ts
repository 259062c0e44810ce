import { globMatcher } from './glob-matcher.js'
import { TrackerError } from '../../errors.js'
import { describeValue } from '../../describe-value.js'
import type { NameToken } from './name-globs.js'
import { commonNames, expandBraces, nameRegExp, nameTokens } from './name-globs.js'

/** The files protected when nothing else is configured: `.env` and `.env.*`, but not the templates that hold no secrets. */
export const DEFAULT_PROTECTED_FILES: readonly string[] = ['.env', '.env.*', '!.env.example', '!.env.sample', '!.env.template']

/** Key files, an opt-in addition (`protectedFiles: ["*.pem", "id_rsa*"]`): private keys and certificates. */
export const KEY_FILE_PATTERNS: readonly string[] = ['*.pem', '*.key', 'id_rsa*', 'id_ecdsa*', 'id_ed25519*', 'id_dsa*', '!*.pub']

interface CompiledPattern {
  readonly source: string
  readonly negated: boolean
  /** Patterns without a `/` are matched against file names, with one against paths. */
  readonly byName: boolean
  readonly alternatives: readonly (readonly NameToken[])[]
  /** The name alternatives as regular expressions (faster to test than the tokens). */
  readonly names: readonly RegExp[]
  readonly matchPath: (path: string) => boolean
}

/** Which files the guard protects: gitignore-style patterns, later ones winning, `!` un-protecting. */
export interface ProtectedFiles {
  readonly patterns: readonly string[]
  /** @internal compiled patterns, in order. */
  readonly compiled: readonly CompiledPattern[]
}

/**
 * The protected files: {@link DEFAULT_PROTECTED_FILES} followed by `extra` patterns. A pattern
 * without `/` matches a file name anywhere (`*.pem`, `id_rsa*`); one with `/` a path relative to
 * the project (`config/secrets.json`, matched at any depth); `*` and `?` match a leading dot too,
 * as in `.gitignore`.
 * A pattern starting with `!` un-protects what earlier ones protected (`!.env.test`).
 * @throws {TrackerError} INVALID_OPTION naming a pattern that is not a non-empty string.
 */
export function protectedFiles(extra: readonly unknown[] = []): ProtectedFiles {
  const patterns = [...DEFAULT_PROTECTED_FILES]
  for (const pattern of extra) {
    if (typeof pattern !== 'string' || pattern.replace(/^!/, '').trim() === '') {
      throw new TrackerError('INVALID_OPTION', `Invalid protected file pattern ${describeValue(pattern)}: give a file name or path glob such as "*.pem" or "config/secrets.json", or "!name" to un-protect one.`)
    }
    patterns.push(pattern.trim())
  }
  return { patterns, compiled: patterns.map(compile) }
}

/** The default protection, compiled once. */
export const DEFAULT_PROTECTION: ProtectedFiles = protectedFiles()

function compile(source: string): CompiledPattern {
  const negated = source.startsWith('!')
  const body = (negated ? source.slice(1) : source).replace(/^\.\//, '').replace(/\/+$/, '')
  const byName = !body.includes('/')
  const path = body.replace(/^\//, '')
  return {
    source,
    negated,
    byName,
    alternatives: byName ? expandBraces(body).map(nameTokens) : [],
    names: byName ? expandBraces(body).map((alternative) => nameRegExp(nameTokens(alternative))) : [],
    // Where the project starts is not known here, so a path pattern matches at any depth.
    matchPath: globMatcher(`**/${path}`, { dotWildcards: true }),
  }
}

/**
 * True for a protected file, given its path (relative to the project, or just a name): its file
 * name is checked against name patterns, its path against path patterns; the last pattern that
 * matches decides. Backslashes are read both ways: as Windows separators and as shell escapes.
 */
export function isProtectedFile(protection: ProtectedFiles, path: string): boolean {
  return pathReadings(path).some((reading) => decides(protection, reading))
}

function decides(protection: ProtectedFiles, path: string): boolean {
  const name = path.split('/').at(-1) ?? path
  const relative = path.replace(/^(?:\.\/)+/, '').replace(/^\/+/, '')
  let isProtected = false
  for (const pattern of protection.compiled) {
    const hit = pattern.byName ? pattern.names.some((regex) => regex.test(name)) : pattern.matchPath(relative)
    if (hit) isProtected = !pattern.negated
  }
  return isProtected
}

const WATCHED = new WeakMap<ProtectedFiles, readonly string[]>()

/** The un-protected names spelled out literally (`.env.example`): a glob search must see past them. */
function watchedNames(protection: ProtectedFiles): readonly string[] {
  const known = WATCHED.get(protection)
  if (known !== undefined) return known
  const names = protection.compiled.filter((pattern) => pattern.negated && pattern.byName && !/[*?[{\\]/.test(pattern.source)).map((pattern) => pattern.source.slice(1))
  WATCHED.set(protection, names)
  return names
}

/** A path read as written, with quotes left by a caller undone, and backslashes as separators or escapes. */
function pathReadings(path: string): string[] {
  if (!/["'`\\]/.test(path)) return [path]
  const unquoted = path.replace(/["'`]/g, '')
  const windows = unquoted.replace(/\\/g, '/')
  const shell = unquoted.replace(/\\(.)/g, '$1')
  return windows === shell ? [windows] : [windows, shell]
}

/**
 * A protected file name a glob word could stand for, or undefined: the name part of `word` (after
 * its last `/`) is matched against every protected name pattern, braces expanded. A shell expands
 * the word (`dotWildcards` false: its wildcards never match a leading dot, so `*` cannot match
 * `.env` but `.e*` can); ripgrep, find and git match globs with `dotWildcards` true.
 */
export function protectedNameMatching(protection: ProtectedFiles, word: string, dotWildcards: boolean): string | undefined {
  for (const reading of pathReadings(word)) {
    const name = reading.split('/').at(-1) ?? reading
    if (name === '' || name === '.' || name === '..') continue
    for (const alternative of expandBraces(name)) {
      const tokens = nameTokens(alternative)
      for (const pattern of protection.compiled) {
        if (!pattern.byName || pattern.negated) continue
        for (const patternTokens of pattern.alternatives) {
          const found = commonNames(tokens, dotWildcards, patternTokens, 8, watchedNames(protection)).find((candidate) => decides(protection, candidate))
          if (found !== undefined) return found
        }
      }
    }
  }
  return undefined
}
