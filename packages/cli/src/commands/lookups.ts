import { resolve } from 'node:path'
import type { AgentStatus, TrackerStore } from '@agent-tracker/core'
import { createTrackingService, isTrackerError, latestProjectOf as latestProjectOfSetup, parseSetupId, resolveProject as resolveProjectReference, suggestSetups } from '@agent-tracker/core'
import { projectRoot } from '@agent-tracker/node-host/project-root'
import type { Io } from '../io.js'
import { CliError } from '../cli-error.js'

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
 * The project a folder (relative to the working directory; default the working directory) belongs
 * to, as the hosts record it: the root of the git work tree holding it, else the folder itself.
 */
export function projectOf(io: Pick<Io, 'cwd' | 'homeDir'>, folder = '.'): string {
  return projectRoot(resolve(io.cwd, folder), { homeDir: io.homeDir })
}

/**
 * Resolves `--project`: a recorded path, a folder (relative to the working directory) taken as the
 * project holding it (see {@link projectOf}) — or, for work recorded before projects were repository
 * roots, as that folder itself — or the name of a known project.
 * @throws {TrackerError} UNKNOWN_PROJECT or AMBIGUOUS_PROJECT.
 */
export async function resolveProject(store: TrackerStore, value: string, io: Pick<Io, 'cwd' | 'homeDir'>): Promise<string> {
  try {
    return await resolveProjectReference(store, { ref: value, path: projectOf(io, value) })
  } catch (error) {
    const folder = resolve(io.cwd, value)
    if (isTrackerError(error, 'UNKNOWN_PROJECT') && (await store.get('projects', [folder])) !== undefined) return folder
    throw error
  }
}

/** The project a setup worked in most recently, for facts the user records without one. */
export async function latestProjectOf(store: TrackerStore, setup: string, fallback: string): Promise<string> {
  return (await latestProjectOfSetup(store, setup)) ?? fallback
}
