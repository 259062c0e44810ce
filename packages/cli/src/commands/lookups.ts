import { existsSync, statSync } from 'node:fs'
import { join, resolve, sep } from 'node:path'
import type { AgentStatus, CommitRecord, TrackerStore } from '@agent-tracker/core'
import { createTrackingService, isTrackerError, latestProjectOf as latestProjectOfSetup, normalSetupId, parseSetupId, resolveProject as resolveProjectReference, suggestSetups } from '@agent-tracker/core'
import { projectRoot } from '@agent-tracker/node-host/project-root'
import type { RebasedCommit } from '@agent-tracker/node-host/rebased-commits'
import { rebasedOriginal } from '@agent-tracker/node-host/rebased-commits'
import { CliError, EXIT } from '../cli-error.js'
import type { Io } from '../io.js'
import { absolutePath, realPath } from '../io.js'

/**
 * The status of a known setup, found by its id composed (NFC, as setups are recorded from `ingest`
 * on), else as given (a setup recorded before, spelt decomposed): `ü` typed either way names one
 * setup. The status names the setup as recorded, which is what a command records for it.
 * @throws {TrackerError} INVALID_SETUP_ID (a usage error) for what cannot be a setup id at all, e.g. "bad@".
 * @throws {CliError} UNKNOWN_SETUP naming the setups the user may have meant (close to what was typed), else the known ones.
 */
export async function requireSetup(store: TrackerStore, setup: string): Promise<AgentStatus> {
  parseSetupId(setup)
  const recorded = await recordedSetupId(store, setup)
  const status = await createTrackingService({ store }).getStatus(recorded)
  if (status !== undefined) return status
  const composed = normalSetupId(setup)
  const { close, recent } = await suggestSetups(store, composed)
  const hint = close.length > 0
    ? didYouMean(close)
    : recent.length === 0 ? 'No setups are recorded yet.' : `Known setups: ${recent.join(', ')}.`
  throw new CliError('UNKNOWN_SETUP', `Unknown setup "${composed}". ${hint} Run \`agent-tracker agents\` to list them.`)
}

/**
 * The setup id a filter (`--setup`) names as recorded: composed (NFC) when a setup is recorded so,
 * else as given when one is recorded so (before setup ids were composed), else composed — so a
 * setup whose id has an accented letter is matched however the letter was typed.
 */
export async function recordedSetupId(store: TrackerStore, setup: string): Promise<string> {
  const composed = normalSetupId(setup)
  if (composed === setup || (await store.get('setups', [composed])) !== undefined) return composed
  return (await store.get('setups', [setup])) === undefined ? composed : setup
}

/** "Did you mean …?" naming what was likely meant (`close`, closest first), after `flag` when given; empty when nothing is close. */
export function didYouMean(close: readonly string[], flag?: string): string {
  if (close.length === 0) return ''
  return `Did you mean ${flag === undefined ? '' : `${flag} `}${close.length === 1 ? close[0] ?? '' : `one of ${close.join(', ')}`}?`
}

/** True for a folder (followed through links); false for a file or nothing. */
export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

/**
 * A commit reference as given on the command line: a blank one is refused, never read as "the
 * newest commit" — a script whose hash variable came out empty would otherwise grade (for good)
 * or blame a commit it never meant.
 * @throws {CliError} EMPTY_COMMIT (a usage error) naming `what` (`<commit>`, `--commit`).
 */
export function commitReference(ref: string, what: string): string {
  const given = ref.trim()
  if (given === '') throw new CliError('EMPTY_COMMIT', `${what} is ${ref === '' ? 'empty' : 'blank'}: give at least 4 characters of the commit's hash, as agent-tracker history lists it.`, EXIT.usage)
  // What can be no commit hash is the command line's mistake, said before any lookup (git takes hex in either case).
  if (!/^[0-9a-f]+$/i.test(given)) throw new CliError('INVALID_COMMIT', `${what} "${ref}" is no commit hash: give at least 4 of its hex digits (0-9, a-f), as agent-tracker history lists it.`, EXIT.usage)
  if (given.length < 4) throw new CliError('INVALID_COMMIT', `${what} "${ref}" is too short: give at least 4 characters of the commit's hash, as agent-tracker history lists it.`, EXIT.usage)
  if (given.length > 64) throw new CliError('INVALID_COMMIT', `${what} "${ref}" is longer than any commit hash: give 4 to 64 of its hex digits (a full hash has 40, or 64 in a SHA-256 repository).`, EXIT.usage)
  return given.toLowerCase()
}

/**
 * The project a folder (relative to the working directory; default the working directory) belongs
 * to, as the hosts record it: the root of the git work tree holding it, else the folder itself.
 */
export function projectOf(io: Pick<Io, 'cwd' | 'homeDir'>, folder = '.'): string {
  return projectRoot(absolutePath(io, folder), { homeDir: io.homeDir })
}

/** A setup's commit found by the reference given on the command line (see {@link findGivenCommit}). */
export interface GivenCommit {
  readonly commit: CommitRecord
  /** Set when the reference named a rebased copy of the commit: the copy's full hash, and how it was told (see `rebasedOriginal`). */
  readonly rebased?: Pick<RebasedCommit<CommitRecord>, 'copy' | 'because'>
}

/** The setup's commits of a project read for the one a rebase copied: the newest, as a rebase comes before a merge. */
const REBASE_LOOKBACK = 2000

/**
 * A commit of `setup` by reference, as the tracking service finds it (a recorded hash or its first
 * digits, an amend's replaced hash, the latest without one); and when no commit of it is recorded
 * by that reference, the recorded commit the project's repository says a rebase copied into the
 * commit it names: `git rebase` rewrites every commit it moves, and the hash `git log` then shows
 * is none a host saw. The project is `project`, else the one holding the working folder. `ref` is
 * as {@link commitReference} gives it (4 to 64 hex digits, lowercase).
 * @throws {TrackerError} UNKNOWN_COMMIT or AMBIGUOUS_COMMIT, as the tracking service says them.
 */
export async function findGivenCommit(store: TrackerStore, setup: string, ref: string | undefined, io: Pick<Io, 'cwd' | 'homeDir'>, project?: string): Promise<GivenCommit> {
  try {
    return { commit: await createTrackingService({ store }).resolveCommit(setup, ref, project) }
  } catch (error) {
    if (ref === undefined || !isTrackerError(error) || error.code !== 'UNKNOWN_COMMIT') throw error
    // A commit another setup made is that setup's, however it was rebased: the lookup that failed
    // says so when it found one. It looked in `project` only, when given one: beyond it, one more look.
    if (error.details?.madeBy !== undefined) throw error
    if (project !== undefined && (await store.find('commits', { hashPrefix: ref, limit: 1 })).length > 0) throw error
    const root = project ?? projectOf(io)
    const recorded = await store.find('commits', { setup, project: root, limit: REBASE_LOOKBACK })
    const rebased = recorded.length === 0 || !isFolder(root) ? undefined : await rebasedOriginal(root, ref, recorded)
    if (rebased === undefined) throw error
    return { commit: rebased.recorded, rebased: { copy: rebased.copy, because: rebased.because } }
  }
}

/** Says that a commit was found as the one a rebase copied (see {@link findGivenCommit}); empty for one found as recorded. */
export function rebasedNote(given: GivenCommit): string {
  if (given.rebased === undefined) return ''
  const how = given.rebased.because === 'same-change' ? 'the same change' : 'its subject, authored when it was recorded'
  return `${given.rebased.copy.slice(0, 8)} is a rebased copy of ${given.commit.hash.slice(0, 8)}, the commit recorded (${how}).`
}

/**
 * Resolves `--project`, in this order: a recorded path as given; the folder it names (relative to
 * the working directory) when that is recorded — work recorded under a subfolder before projects
 * were repository roots; the name of a known project; and last the project holding that folder
 * (see {@link projectOf}). The name comes before the repository: in a monorepo, `--project api`
 * means the project named `api`, not the repository that happens to have an `api` folder. A
 * folder reached through a symbolic link is looked for as the file system has it too: the hosts
 * record a project by its physical path (their working folder), which a link does not name.
 * @throws {TrackerError} UNKNOWN_PROJECT or AMBIGUOUS_PROJECT.
 */
export async function resolveProject(store: TrackerStore, value: string, io: Pick<Io, 'cwd' | 'homeDir'>): Promise<string> {
  const folder = absolutePath(io, value)
  try {
    return await resolveProjectReference(store, { ref: value, path: folder })
  } catch (error) {
    if (!isTrackerError(error, 'UNKNOWN_PROJECT')) throw error
    const physical = realPath(folder) ?? folder
    for (const candidate of [projectOf(io, value), ...(physical === folder ? [] : [physical, projectOf(io, physical)])]) {
      if (candidate !== folder && (await store.get('projects', [candidate])) !== undefined) return candidate
    }
    throw error
  }
}


/** Where a fact the user records from the working folder `cwd` without `--project` goes, and why there. */
export interface ProjectOfFolder {
  readonly project: string
  /** `repository`: the git work tree holding `cwd` (see {@link projectOf}); `known`: a recorded project holding it; `latest`: neither, so the project the setup worked in last; `folder`: `cwd` itself (the setup has none yet). */
  readonly source: 'known' | 'repository' | 'latest' | 'folder'
}

/**
 * The project a fact recorded from `cwd` belongs to: the git work tree holding `cwd`, as the hosts
 * record it; else the recorded project holding it (the deepest); else — `cwd` is no project (a home
 * or scratch folder), which would become a project of its own — the one `setup` worked in last,
 * else `cwd`.
 */
export async function projectOfFolder(store: TrackerStore, setup: string, cwd: string, homeDir: string): Promise<ProjectOfFolder> {
  const folder = resolve(cwd)
  const repository = projectRoot(folder, { homeDir })
  if (repository !== folder || existsSync(join(folder, '.git'))) return { project: repository, source: 'repository' }
  const known = (await store.find('projects')).map((record) => record.path).filter((path) => folder === path || folder.startsWith(path.endsWith(sep) ? path : `${path}${sep}`))
  const deepest = known.sort((a, b) => b.length - a.length)[0]
  if (deepest !== undefined) return { project: deepest, source: 'known' }
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

/** The project a setup worked in most recently, for facts the user records without one. */
export async function latestProjectOf(store: TrackerStore, setup: string, fallback: string): Promise<string> {
  return (await latestProjectOfSetup(store, setup)) ?? fallback
}
