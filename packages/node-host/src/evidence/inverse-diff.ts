import type { GitCallOptions } from './git-process.js'
import { gitOutput } from './git-process.js'

/**
 * Patch ids (`git patch-id --stable`: a diff's hash, blind to line numbers, whitespace and the
 * order of files) of the given commits' diffs, or of their inverses with `inverse`: a commit whose
 * diff has the patch id of another's inverse undid it exactly. Commits git does not know are
 * skipped; merges and root commits have no single diff and give none.
 * @throws {NodeHostError} GIT_FAILED or CANCELLED.
 */
export async function patchIds(folder: string, commits: readonly string[], options: GitCallOptions & { readonly inverse?: boolean } = {}): Promise<Map<string, string>> {
  const ids = new Map<string, string>()
  if (commits.length === 0) return ids
  const args = ['log', '--no-walk=unsorted', '--stdin', '--ignore-missing', '--no-merges', '--no-prefix', '--no-color', '--no-ext-diff', '--no-textconv', '-p', '--format=commit %H', ...(options.inverse === true ? ['-R'] : [])]
  const diffs = await gitOutput(folder, args, { ...options, input: `${commits.join('\n')}\n` })
  if (diffs.trim() === '') return ids
  const listed = await gitOutput(folder, ['patch-id', '--stable'], { ...options, input: diffs })
  for (const line of listed.split('\n')) {
    const [patch, commit] = line.trim().split(' ')
    if (patch !== undefined && commit !== undefined && commit !== '') ids.set(commit, patch)
  }
  return ids
}

const MAX_PATHS = 500

/**
 * The reverts by inverse diff among `candidates` (`at`: their committer time): for each candidate
 * whose diff is exactly the inverse of an earlier one of `origins` (by patch id), that origin. A
 * candidate that undoes several identical origins is matched to the latest before it. Earlier is
 * by git's committer times on both sides: a host may record a commit well after it was made.
 */
export async function inverseReverts(
  folder: string,
  candidates: readonly { readonly hash: string; readonly at: string }[],
  origins: readonly { readonly hash: string }[],
  options: GitCallOptions = {},
): Promise<Map<string, string>> {
  const found = new Map<string, string>()
  if (candidates.length === 0 || origins.length === 0) return found
  const undoing = await patchIds(folder, candidates.map((c) => c.hash), { ...options, inverse: true })
  if (undoing.size === 0) return found
  // Only origins that touched a file the candidates touched can be undone by them: git finds those
  // with a path-limited walk, far cheaper than a diff of every origin.
  const files = (await gitOutput(folder, ['log', '--no-walk=unsorted', '--stdin', '--no-merges', '--name-only', '--format=', '-z'], { ...options, input: `${[...undoing.keys()].join('\n')}\n` }))
    .split('\u0000').map((path) => path.trim()).filter((path) => path !== '')
  if (files.length === 0) return found
  const paths = [...new Set(files)]
  // Past a few hundred paths (a huge commit), every origin is diffed rather than a command line that long.
  const touching = paths.length > MAX_PATHS ? undefined : new Set((await gitOutput(folder, ['rev-list', '--no-merges', ...undoing.keys(), '--', ...paths], options)).split('\n').map((line) => line.trim()))
  const forward = await patchIds(folder, origins.filter((o) => touching === undefined || touching.has(o.hash)).map((o) => o.hash), options)
  const undone = new Set(undoing.values())
  const matched = origins.filter((origin) => undone.has(forward.get(origin.hash) ?? ''))
  const times = await committerTimes(folder, matched.map((origin) => origin.hash), options)
  const byPatch = new Map<string, { hash: string; at: string }[]>()
  for (const origin of matched) {
    const patch = forward.get(origin.hash)
    const at = times.get(origin.hash)
    if (patch === undefined || at === undefined) continue
    byPatch.set(patch, [...(byPatch.get(patch) ?? []), { hash: origin.hash, at }])
  }
  for (const candidate of candidates) {
    const patch = undoing.get(candidate.hash)
    const matches = (patch === undefined ? [] : byPatch.get(patch) ?? []).filter((o) => o.hash !== candidate.hash && o.at <= candidate.at)
    const latest = matches.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))[0]
    if (latest !== undefined) found.set(candidate.hash, latest.hash)
  }
  return found
}

/** Committer times (ISO 8601 UTC) of the given commits that git knows. */
async function committerTimes(folder: string, commits: readonly string[], options: GitCallOptions): Promise<Map<string, string>> {
  const times = new Map<string, string>()
  if (commits.length === 0) return times
  const listed = await gitOutput(folder, ['log', '--no-walk=unsorted', '--stdin', '--ignore-missing', '--format=%H %cI'], { ...options, input: `${commits.join('\n')}\n` })
  for (const line of listed.split('\n')) {
    const [hash, at] = line.trim().split(' ')
    if (hash !== undefined && at !== undefined && hash !== '') times.set(hash, new Date(at).toISOString())
  }
  return times
}
