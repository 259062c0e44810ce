import { TrackerError } from '../errors.js'
import type { TrackerStore } from '../store/tracker-store.js'
import { closestMatches } from '../text/closeness.js'

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
 * @throws {TrackerError} UNKNOWN_PROJECT listing known project names (paths for a name two share), AMBIGUOUS_PROJECT listing the paths, INVALID_QUERY for a blank one.
 */
export async function resolveProject(store: TrackerStore, reference: ProjectReference): Promise<string> {
  const { ref, path } = reference
  if (ref.trim() === '') throw new TrackerError('INVALID_QUERY', 'The project is blank: give a recorded project\'s path or name (agent-tracker projects lists them).')
  if ((await store.get('projects', [ref])) !== undefined) return ref
  if (path !== undefined && (await store.get('projects', [path])) !== undefined) return path
  const projects = await store.find('projects')
  const named = projects.filter((project) => project.name === ref)
  if (named.length === 1 && named[0] !== undefined) return named[0].path
  if (named.length > 1) {
    throw new TrackerError('AMBIGUOUS_PROJECT', `Several projects are named "${ref}": ${named.map((p) => p.path).join(', ')}. Give the path.`)
  }
  const close = [...new Set(closestMatches(ref, projects, (project) => [project.name, project.path]).map((project) => project.name))].slice(0, 3)
  // A name two projects share is listed as their paths: the name alone names neither.
  const shared = new Set(projects.filter((project, index) => projects.findIndex((other) => other.name === project.name) !== index).map((project) => project.name))
  const names = projects.map((project) => (shared.has(project.name) ? project.path : project.name)).slice(0, LISTED_PROJECTS)
  const meant = close.length === 0 ? '' : ` Did you mean ${orList(close)}?`
  throw new TrackerError('UNKNOWN_PROJECT', `No recorded project matches "${ref}" (as a path or a name).${meant}${names.length === 0 ? '' : ` Known projects: ${names.join(', ')}.`}`)
}

/** Setups a user may have meant by an id that is not recorded. */
export interface SetupSuggestions {
  /** Setups close to what was typed, closest first: `gpt5` finds `build@openai/gpt-5`. */
  readonly close: readonly string[]
  /** The most recently active setups, to list when none is close. */
  readonly recent: readonly string[]
}

/**
 * Setups a user may have meant by an unknown id (compared loosely: case, punctuation and a typo
 * or two do not matter; the agent, provider, model and each word of the id count), and the most
 * recently active ones; at most eight of each, empty when none is recorded.
 */
export async function suggestSetups(store: TrackerStore, setup: string): Promise<SetupSuggestions> {
  const known = (await store.find('setups')).map((record) => record.id)
  const close = closestMatches(setup, known, setupNames)
  return { close: close.slice(0, SUGGESTED), recent: known.slice(0, SUGGESTED) }
}

/** What a setup id can be called by: the whole id, its agent, provider, model, provider/model and each word of them. */
function setupNames(id: string): string[] {
  const [agent = id, model = ''] = id.split('@')
  return [id, agent, model, ...model.split('/'), ...id.split(/[@/\-_.:\s]+/).filter((word) => word.length >= 3)]
}

function orList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1) ?? ''}`
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
