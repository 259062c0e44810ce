import { commitSubject } from '@agent-tracker/core/host'
import { GIT_TIMEOUT_MS, runGit } from './read-commits.js'

/** A commit as a host recorded it: what {@link rebasedOriginal} compares a commit git knows with. */
export interface RecordedCommit {
  readonly hash: string
  readonly message: string
  /** When the host recorded it (ISO 8601): at or after the time git says it was authored. */
  readonly at: string
}

/** The recorded commit a rebased copy stands for, and how it was told. */
export interface RebasedCommit<T extends RecordedCommit> {
  readonly recorded: T
  /** The full hash of the copy, as git knows it. */
  readonly copy: string
  /**
   * `same-change`: git still holds the recorded commit, and both make the same change (`git
   * patch-id`); `same-subject`: git no longer holds it (pruned), and the copy has its subject and
   * was authored when it was recorded.
   */
  readonly because: 'same-change' | 'same-subject'
}

/** How long before its recording a commit's copy may say it was authored: an amend keeps the first commit's author time. */
const AUTHORED_BEFORE_MS = 7 * 24 * 3600 * 1000
/** How long after its recording: clocks of one machine, a few minutes apart at most. */
const AUTHORED_AFTER_MS = 5 * 60 * 1000
/** Recorded commits asked about at most, the nearest in time first: three git calls each. */
const MAX_CANDIDATES = 20

/**
 * The recorded commit that `ref` — a commit of the repository at `folder` no host recorded — is a
 * copy of, made by `git rebase` (or a cherry-pick): rebasing rewrites every commit it moves, so the
 * hashes hosts recorded are no longer those `git log` shows. Among the `recorded` commits with the
 * copy's subject and recorded when the copy was authored (a rebase keeps the author time), the
 * one git finds making the same change (`git patch-id --stable`), or — where git pruned the
 * recorded one — that one; one making the same change is taken over pruned ones. Undefined when git does not know `ref`, when none matches, and when more than one
 * does: a wrong guess would grade another commit for good. Never throws.
 */
export async function rebasedOriginal<T extends RecordedCommit>(folder: string, ref: string, recorded: readonly T[], timeoutMs: number = GIT_TIMEOUT_MS): Promise<RebasedCommit<T> | undefined> {
  const shown = await runGit(folder, ['log', '-1', '--no-walk', '--format=%H%x1f%at%x1f%s', `${ref}^{commit}`, '--'], timeoutMs)
  if (shown?.ok !== true) return undefined
  const [copy, authored, subject] = shown.stdout.trim().split('\u001f')
  if (copy === undefined || !/^[0-9a-f]{40,64}$/.test(copy) || subject === undefined) return undefined
  const authoredMs = Number(authored) * 1000
  const wanted = plainSubject(subject)
  // A rebase keeps the author time, and a host records a commit when it is made (an amend, later):
  // only commits recorded around the copy's authoring can be its original. The nearest few are asked
  // about, each costing git calls ("wip" may be the subject of hundreds).
  const recordedAround = (commit: T): number => Date.parse(commit.at) - authoredMs
  const alike = recorded
    .filter((commit) => commit.hash !== copy && plainSubject(commit.message) === wanted && recordedAround(commit) >= -AUTHORED_AFTER_MS && recordedAround(commit) <= AUTHORED_BEFORE_MS)
    .sort((a, b) => recordedAround(a) - recordedAround(b))
    .slice(0, MAX_CANDIDATES)
  if (alike.length === 0) return undefined
  const copyPatch = await patchId(folder, copy, timeoutMs)
  const matches: RebasedCommit<T>[] = []
  for (const commit of alike) {
    const held = await runGit(folder, ['cat-file', '-e', `${commit.hash}^{commit}`], timeoutMs)
    if (held === undefined) return undefined
    if (held.ok) {
      // A copy that changes nothing (an empty or merge commit) has no patch id to match.
      const patch = copyPatch === undefined ? undefined : await patchId(folder, commit.hash, timeoutMs)
      if (patch !== undefined && patch === copyPatch) matches.push({ recorded: commit, copy, because: 'same-change' })
      continue
    }
    matches.push({ recorded: commit, copy, because: 'same-subject' })
  }
  // The same change, which git shows, is taken over a pruned commit that only looks the same.
  const strong = matches.filter((match) => match.because === 'same-change')
  const taken = strong.length > 0 ? strong : matches
  // One commit recorded in two projects (clones of one repository) is one commit.
  const hashes = new Set(taken.map((match) => match.recorded.hash))
  return hashes.size === 1 ? taken[0] : undefined
}

/** A message's subject as git gives it (`%s`, see `commitSubject`), its blanks collapsed: a recorded message may be the whole message, or its subject as printed. */
function plainSubject(message: string): string {
  return commitSubject(message).replace(/\s+/g, ' ')
}

/** The stable patch id of a commit's change (`git patch-id --stable`), undefined for none (an empty or merge commit) or no answer. */
async function patchId(folder: string, hash: string, timeoutMs: number): Promise<string | undefined> {
  const diff = await runGit(folder, ['diff-tree', '-p', '--root', '--no-color', hash], timeoutMs)
  if (diff?.ok !== true || diff.stdout.trim() === '') return undefined
  const id = await runGit(folder, ['patch-id', '--stable'], timeoutMs, diff.stdout)
  const first = id?.ok === true ? id.stdout.trim().split(/\s+/)[0] : undefined
  return first === undefined || first === '' ? undefined : first
}
