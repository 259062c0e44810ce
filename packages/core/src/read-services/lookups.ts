import { TrackerError } from '../errors.js'
import type { TrackerStore } from '../store/tracker-store.js'

/** Setups {@link suggestSetups} names at most. */
const SUGGESTED = 8

/** Project names an unknown-project error lists at most. */
const LISTED_PROJECTS = 10

/** A project as a user names it. */
export interface ProjectReference {
  /** What the user typed: a recorded path, or a project's name (its folder's name). */
  readonly ref: string
  /** The same text resolved as a path (e.g. against the working directory), when the host can. */
  readonly path?: string | undefined
}

/**
 * The recorded project a user means: the path as typed, else as resolved, else the one project
 * with that name.
 * @throws {TrackerError} UNKNOWN_PROJECT listing known project names, or AMBIGUOUS_PROJECT listing the paths.
 */
export async function resolveProject(store: TrackerStore, reference: ProjectReference): Promise<string> {
  const { ref, path } = reference
  if ((await store.get('projects', [ref])) !== undefined) return ref
  if (path !== undefined && (await store.get('projects', [path])) !== undefined) return path
  const projects = await store.find('projects')
  const named = projects.filter((project) => project.name === ref)
  if (named.length === 1 && named[0] !== undefined) return named[0].path
  if (named.length > 1) {
    throw new TrackerError('AMBIGUOUS_PROJECT', `Several projects are named "${ref}": ${named.map((p) => p.path).join(', ')}. Give the path.`)
  }
  const names = projects.map((project) => project.name).slice(0, LISTED_PROJECTS)
  throw new TrackerError('UNKNOWN_PROJECT', `No recorded project matches "${ref}" (as a path or a name).${names.length === 0 ? '' : ` Known projects: ${names.join(', ')}.`}`)
}

/**
 * Setups a user may have meant by an unknown id: those whose id contains it or whose agent it
 * names, else the most recently active; at most eight, empty when none is recorded.
 */
export async function suggestSetups(store: TrackerStore, setup: string): Promise<string[]> {
  const known = (await store.find('setups')).map((record) => record.id)
  const close = known.filter((id) => id.includes(setup) || setup.includes(id.split('@')[0] ?? id))
  return (close.length > 0 ? close : known).slice(0, SUGGESTED)
}

/** The project a setup worked in most recently (by day of work), if any. */
export async function latestProjectOf(store: TrackerStore, setup: string): Promise<string | undefined> {
  const [usage] = await store.find('usage', { setup, limit: 1 })
  return usage?.project
}

/** The setup that last committed in a project, else the last to work there (by day of work), if any. */
export async function latestSetupIn(store: TrackerStore, project: string): Promise<string | undefined> {
  const [commit] = await store.find('commits', { project, limit: 1 })
  if (commit !== undefined) return commit.setup
  const [usage] = await store.find('usage', { project, limit: 1 })
  return usage?.setup
}
