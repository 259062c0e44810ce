import { resolve } from 'node:path'
import type { AgentStatus, ProjectRecord, TrackerStore } from '@agent-tracker/core'
import { createTrackingService } from '@agent-tracker/core'
import { CliError } from '../cli-error.js'

/**
 * The status of a known setup.
 * @throws {TrackerError} UNKNOWN_SETUP listing known setups.
 */
export async function requireSetup(store: TrackerStore, setup: string): Promise<AgentStatus> {
  const service = createTrackingService({ store })
  const status = await service.getStatus(setup)
  if (status !== undefined) return status
  const known = (await store.find('setups')).map((s) => s.id)
  const close = known.filter((id) => id.includes(setup) || setup.includes(id.split('@')[0] ?? id))
  const hint = known.length === 0 ? 'No setups are recorded yet.' : `Known setups: ${(close.length > 0 ? close : known).slice(0, 8).join(', ')}.`
  throw new CliError('UNKNOWN_SETUP', `Unknown setup "${setup}". ${hint} Run \`agent-tracker agents\` to list them.`)
}

/**
 * Resolves `--project`: a path (relative to the working directory) or the name of a known project.
 * @throws {CliError} when nothing or several projects match.
 */
export async function resolveProject(store: TrackerStore, value: string, cwd: string): Promise<string> {
  const projects = await store.find('projects')
  const path = resolve(cwd, value)
  if (projects.some((p) => p.path === path || p.path === value)) return projects.some((p) => p.path === value) ? value : path
  const byName = projects.filter((p) => p.name === value)
  if (byName.length === 1 && byName[0] !== undefined) return byName[0].path
  if (byName.length > 1) throw new CliError('AMBIGUOUS_PROJECT', `Several projects are named "${value}": ${byName.map((p) => p.path).join(', ')}. Give the path.`)
  const names = projects.map((p) => p.name).slice(0, 10)
  throw new CliError('UNKNOWN_PROJECT', `No recorded project matches "${value}" (as a path or a name).${names.length === 0 ? '' : ` Known projects: ${names.join(', ')}.`}`)
}

/** The project a setup worked in most recently, for facts the user records without one. */
export async function latestProjectOf(store: TrackerStore, setup: string, fallback: string): Promise<string> {
  const [usage] = await store.find('usage', { setup, limit: 1 })
  return usage?.project ?? fallback
}

/** Project records by path. */
export function byPath(projects: readonly ProjectRecord[]): Map<string, ProjectRecord> {
  return new Map(projects.map((project) => [project.path, project]))
}
