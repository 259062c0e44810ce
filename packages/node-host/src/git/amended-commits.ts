import type { MadeCommit, ReflogEntry, ReflogReader } from './read-commits.js'
import { GIT_TIMEOUT_MS, headReflog } from './read-commits.js'

/**
 * The commits `git commit --amend` replaced to make these ones, by the new commit's hash: what
 * HEAD's reflog says (one `git log -g` per folder). The newest entry that made a commit — HEAD
 * moved to it from another commit by `commit…` — tells: `commit (amend): …` names the replaced
 * commit as the one HEAD held before, taken only when it has the new one's parents, as an amend
 * keeps them (a reflog whose older entries expired cannot then pass off another commit). A commit
 * a plain `git commit` made, one the reflog no longer holds, or a folder without a reflog (bare,
 * `core.logAllRefUpdates` off) gives nothing. Never throws.
 */
export async function amendedCommits(folder: string, hashes: readonly string[], timeoutMs: number = GIT_TIMEOUT_MS, reflogOf: ReflogReader = (at) => headReflog(at, timeoutMs)): Promise<Map<string, string>> {
  const found = new Map<string, string>()
  if (hashes.length === 0) return found
  const entries = await reflogOf(folder)
  if (entries === undefined) return found
  for (const hash of new Set(hashes)) {
    const replaced = replacedBy(entries, hash)
    if (replaced !== undefined) found.set(hash, replaced)
  }
  return found
}

/** The commit HEAD held before the newest reflog entry that made `hash`, when that entry is an amend. */
function replacedBy(entries: readonly ReflogEntry[], hash: string): string | undefined {
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index]
    const before = entries[index + 1]
    // A move to the commit HEAD already held (an amend that changed nothing), or by a checkout or reset, made nothing.
    if (entry?.hash !== hash || before === undefined || before.hash === hash || !entry.move.startsWith('commit')) continue
    return entry.move.startsWith('commit (amend)') && before.parents === entry.parents ? before.hash : undefined
  }
  return undefined
}

/**
 * The commits with what each amended (see {@link amendedCommits}), in their order; each commit
 * comes with the folder git confirmed it in. Never throws.
 */
export async function withAmends(found: readonly { readonly folder: string; readonly commit: MadeCommit }[], timeoutMs: number = GIT_TIMEOUT_MS, reflogOf?: ReflogReader): Promise<MadeCommit[]> {
  const byFolder = new Map<string, string[]>()
  for (const { folder, commit } of found) byFolder.set(folder, [...(byFolder.get(folder) ?? []), commit.hash])
  const amends = new Map<string, string>()
  for (const [folder, hashes] of byFolder) for (const [hash, replaced] of await amendedCommits(folder, hashes, timeoutMs, reflogOf)) amends.set(hash, replaced)
  return found.map(({ commit }) => {
    const replaced = amends.get(commit.hash)
    return replaced === undefined ? commit : { ...commit, amends: replaced }
  })
}
