import { existsSync } from 'node:fs'
import { dirname, join, resolve, sep } from 'node:path'
import type { AgentStatus, TrackerStore } from '@agent-tracker/core'
import { createTrackingService, latestProjectOf as latestProjectOfSetup, parseSetupId, resolveProject as resolveProjectReference, suggestSetups } from '@agent-tracker/core'
import { CliError, EXIT } from '../cli-error.js'

/**
 * The status of a known setup.
 * @throws {TrackerError} INVALID_SETUP_ID (a usage error) for what cannot be a setup id at all, e.g. "bad@".
 * @throws {CliError} UNKNOWN_SETUP naming the setups the user may have meant (close to what was typed), else the known ones.
 */
export async function requireSetup(store: TrackerStore, setup: string): Promise<AgentStatus> {
  parseSetupId(setup)
  const status = await createTrackingService({ store }).getStatus(setup)
  if (status !== undefined) return status
  const { close, recent } = await suggestSetups(store, setup)
  const hint = close.length > 0
    ? `Did you mean ${close.length === 1 ? close[0] ?? '' : `one of ${close.join(', ')}`}?`
    : recent.length === 0 ? 'No setups are recorded yet.' : `Known setups: ${recent.join(', ')}.`
  throw new CliError('UNKNOWN_SETUP', `Unknown setup "${setup}". ${hint} Run \`agent-tracker agents\` to list them.`)
}

/**
 * Resolves `--project`: a path (relative to the working directory) or the name of a known project.
 * @throws {TrackerError} UNKNOWN_PROJECT or AMBIGUOUS_PROJECT.
 */
export function resolveProject(store: TrackerStore, value: string, cwd: string): Promise<string> {
  return resolveProjectReference(store, { ref: value, path: resolve(cwd, value) })
}

/** The project a setup worked in most recently, for facts the user records without one. */
export async function latestProjectOf(store: TrackerStore, setup: string, fallback: string): Promise<string> {
  return (await latestProjectOfSetup(store, setup)) ?? fallback
}

/** Where a fact the user records from the working folder `cwd` without `--project` goes, and why there. */
export interface ProjectOfFolder {
  readonly project: string
  /** `known`: a recorded project holding `cwd`; `repository`: the git work tree holding it; `latest`: neither, so the project the setup worked in last; `folder`: `cwd` itself (the setup has none yet). */
  readonly source: 'known' | 'repository' | 'latest' | 'folder'
}

/**
 * The project a fact recorded from `cwd` belongs to: the recorded project holding `cwd` (the
 * deepest), else the git work tree holding it, else — `cwd` is no project (a home or scratch
 * folder), which would become a project of its own — the one `setup` worked in last, else `cwd`.
 */
export async function projectOfFolder(store: TrackerStore, setup: string, cwd: string): Promise<ProjectOfFolder> {
  const folder = resolve(cwd)
  const known = (await store.find('projects')).map((record) => record.path).filter((path) => folder === path || folder.startsWith(path.endsWith(sep) ? path : `${path}${sep}`))
  const deepest = known.sort((a, b) => b.length - a.length)[0]
  if (deepest !== undefined) return { project: deepest, source: 'known' }
  for (let at = folder; ; at = dirname(at)) {
    if (existsSync(join(at, '.git'))) return { project: at, source: 'repository' }
    if (dirname(at) === at) break
  }
  const latest = await latestProjectOfSetup(store, setup)
  return latest === undefined ? { project: folder, source: 'folder' } : { project: latest, source: 'latest' }
}

/**
 * A text option the user gave, checked: a blank one is a usage error naming it.
 * @throws {CliError} EMPTY_OPTION (usage) for an empty or blank value.
 */
export function givenText(option: string, value: string | undefined, what: string): string | undefined {
  if (value?.trim() !== '') return value
  throw new CliError('EMPTY_OPTION', `${option} is ${value === '' ? 'empty' : 'blank'}: give ${what} (in quotes when it has spaces), or leave ${option} out.`, EXIT.usage)
}
