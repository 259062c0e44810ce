import { resolve } from 'node:path'
import type { CommitRef, EvidenceFact, EvidenceRecord, Fact, FixPattern, MigrationRecord, TrackerStore, VerdictFact } from '@agent-tracker/core'
import { DEFAULT_FIX_PATTERNS, evidenceFactId, matchFixPattern, revertedCommit, verdictFactId } from '@agent-tracker/core'
import { NodeHostError } from '../errors.js'
import { blameOrigins } from './blame.js'
import type { BlameBoundary, HistoryGraph } from './blame-boundary.js'
import { blameBoundary, descendantsOf, historyGraph } from './blame-boundary.js'
import type { ChangeLimits, CommitChange } from './fix-diff.js'
import { changedLinesOf } from './fix-diff.js'
import type { GitCommit } from './git-history.js'
import { filesAt, isAncestor, onSomeRef, readHead, readHistory } from './git-history.js'
import { temporaryCommitGraph } from './commit-graph-cache.js'
import type { GitCallOptions } from './git-process.js'
import { BLAME_CONCURRENCY, gitOutput } from './git-process.js'
import { blameFilesAt, commitAdditions, followRenames, renamesSince } from './survival.js'
import { inverseReverts } from './inverse-diff.js'

/** Options of {@link scanEvidence}. */
export interface ScanEvidenceOptions {
  /** Commit-message patterns that mark a fix; default {@link DEFAULT_FIX_PATTERNS}. */
  readonly fixPatterns?: readonly FixPattern[]
  /** A fix touching more files or lines than these is skipped (too large to blame usefully); default 50 files, 2,000 lines. */
  readonly limits?: Partial<ChangeLimits>
  /** Ages at which survival is measured, in days; default 7 and 30. */
  readonly survivalDays?: readonly number[]
  /** Scan the whole history again instead of only what is new since the last scan. */
  readonly full?: boolean
  /** The time survival ages are measured against; default now. */
  readonly now?: () => Date
  readonly signal?: AbortSignal
  /** Progress: the step, and how far it is. */
  readonly onProgress?: (step: string, done: number, total?: number) => void
}

/** What a scan of one project found and recorded. */
export interface EvidenceScan {
  readonly project: string
  readonly head: string
  /** `full`: the whole history; `incremental`: commits since the last scan. */
  readonly mode: 'full' | 'incremental'
  /** Commits read from git, and how many of them are tracked agent commits. */
  readonly commitsRead: number
  readonly tracked: number
  /** Fix commits blamed, and those skipped as formatting-only or too large. */
  readonly fixesBlamed: number
  readonly fixesSkipped: number
  /** Evidence found, by signal, and how much of it was new. */
  readonly suspectedBugs: number
  readonly reverts: number
  readonly survival: number
  /** Agent commits whose lines the same setup rewrote within {@link CHURN_DAYS} days. */
  readonly churn: number
  readonly recorded: number
  /** Evidence a rewritten history no longer supports, retracted now. */
  readonly retracted: number
}

const SCAN_PREFIX = 'evidence-scan:'
const DAY_MS = 24 * 60 * 60 * 1000
/** Lines an agent commit added that the same setup rewrote within this many days are churn. */
export const CHURN_DAYS = 3

/**
 * Reads a project's git history and records evidence about its tracked agent commits: reverts
 * (`This reverts commit …`, or a later commit whose diff is exactly the commit's inverse), suspected bugs (fix commits whose changed or deleted lines blame,
 * at the fix's parent, to an agent commit: SZZ) and survival (the share of a commit's added lines
 * still there at HEAD once it is 7 and 30 days old) and churn (lines the same setup rewrote
 * within {@link CHURN_DAYS} days: its later tracked commits' changed lines, blamed like a fix's). Incremental: only commits after the last
 * scanned HEAD; else everything, retracting what no longer holds when the history was rewritten
 * (no branch or tag has the last scanned HEAD any more) — not when HEAD is on another branch.
 * Evidence ids come from the commits, so nothing is recorded twice.
 * A shallow clone is not scanned (SHALLOW_CLONE): its cut-off history would give false evidence.
 * @throws {NodeHostError} NOT_A_REPOSITORY, SHALLOW_CLONE, GIT_FAILED, CANCELLED; the store's errors.
 */
export async function scanEvidence(store: TrackerStore, folder: string, options: ScanEvidenceOptions = {}): Promise<EvidenceScan> {
  const project = resolve(folder)
  const git = { signal: options.signal }
  const progress = options.onProgress ?? (() => undefined)
  const read = await readHead(project, git)
  if (read === undefined) throw new NodeHostError('NOT_A_REPOSITORY', `${project} is not a git repository with a commit; evidence comes from a project's git history.`, { folder: project })
  // Blame in a cut-off history takes the oldest fetched commits for the authors of every older line.
  if (read.shallow) throw new NodeHostError('SHALLOW_CLONE', `${project} is a shallow clone: its history is cut off, and blame would take its oldest fetched commits for the authors of every older line. Fetch the whole history there (git fetch --unshallow), then scan again.`, { folder: project })
  const head = read.commit
  const limits: ChangeLimits = { maxFiles: options.limits?.maxFiles ?? 50, maxLines: options.limits?.maxLines ?? 2000 }
  const patterns = options.fixPatterns ?? DEFAULT_FIX_PATTERNS

  // The log's end before the commits are read: a commit recorded from here on is the next scan's to check.
  const factSeq = await store.lastFactSeq()
  const refs = await trackedCommits(store, project, git)
  const tracked = new Map<string, TrackedCommit>()
  // A commit recorded both by its full hash and by a short one is taken by its full one.
  for (const ref of refs) if (!tracked.has(ref.hash) || ref.recorded === ref.hash) tracked.set(ref.hash, ref)
  const scanId = `${SCAN_PREFIX}${project}`
  const last = (await store.listMigrations()).find((record) => record.id === scanId)
  const cursorBehindHead = last?.cursor !== undefined && (await isAncestor(project, last.cursor, head, git))
  // Only what follows the last scan is read, unless a commit recorded since then was made before it:
  // the fixes and reverts of it that scan read were not blamed for it.
  const resumable = options.full !== true && last?.cursor !== undefined && cursorBehindHead && !(await recordedLate(store, project, last, last.cursor, git))
  const full = !resumable
  // HEAD not after the last scan's is a rewrite only when no branch or tag has that commit any more:
  // on an older branch, or a detached HEAD behind it, what the last scan found still stands.
  const rewritten = last?.cursor !== undefined && !cursorBehindHead && options.full !== true && !(await onSomeRef(project, last.cursor, git))

  const facts: Fact[] = []
  const found = new Set<string>()
  // A full scan reads the whole history: its graph bounds how far each blame digs.
  const listed: GitCommit[] = []
  let commitsRead = 0
  let fixesBlamed = 0
  let fixesSkipped = 0
  const add = (fact: EvidenceFact): void => {
    found.add(fact.id)
    facts.push(fact)
  }
  const resolveTracked = (hash: string): TrackedCommit | undefined => tracked.get(hash) ?? (hash.length < 40 ? refs.find((ref) => ref.hash.startsWith(hash) || ref.recorded.startsWith(hash)) : undefined)

  const cursor = full ? undefined : last.cursor
  const range = cursor === undefined ? head : `${cursor}..${head}`
  const fixes: { commit: GitCommit; pattern: string }[] = []
  const others: GitCommit[] = []
  /** The reverts of agent commits read here, by the revert's hash; and commits that revert something else (perhaps one of those). */
  const revertsRead = new Map<string, TrackedCommit>()
  const revertsOfOthers: { commit: GitCommit; reverted: string }[] = []
  for await (const commit of readHistory(project, range, git)) {
    commitsRead += 1
    if (full) listed.push(commit)
    if (commitsRead % 100 === 0) progress('history', commitsRead)
    if (commit.parents.length !== 1) continue
    const reverted = revertedCommit(commit.message)
    if (reverted !== undefined) {
      const origin = resolveTracked(reverted)
      if (origin !== undefined && origin.hash !== commit.hash) {
        add(revertFact(project, origin, commit, 'This reverts commit'))
        revertsRead.set(commit.hash, origin)
      } else if (origin === undefined) revertsOfOthers.push({ commit, reverted })
      continue
    }
    others.push(commit)
    const pattern = matchFixPattern(commit.message, patterns)
    if (pattern !== undefined) fixes.push({ commit, pattern })
  }
  progress('history', commitsRead, commitsRead)
  const withdrawn = await revertsUndone(store, project, revertsOfOthers, revertsRead, (id) => {
    found.delete(id)
    const at = facts.findIndex((fact) => fact.id === id)
    if (at >= 0) facts.splice(at, 1)
  })
  // From here on git reads a commit graph written for this scan (a first scan blames a lot) — when
  // there is anything to blame for: a history without a tracked commit asks for no blame at all.
  const graphCache = full && listed.some((commit) => tracked.has(commit.hash)) ? await temporaryCommitGraph(project, head, git) : undefined
  const survival: EvidenceFact[] = []
  const now = (options.now ?? (() => new Date()))()
  try {
    const git = graphCache?.options ?? { signal: options.signal }
    // Reverts without the message: a later commit whose diff is exactly the inverse of an agent commit's.
    const byHash = new Map(others.map((commit) => [commit.hash, commit]))
    for (const [reverter, origin] of await inverseReverts(project, others, refs, git)) {
      const commit = byHash.get(reverter)
      const ref = tracked.get(origin)
      if (commit !== undefined && ref !== undefined) add(revertFact(project, ref, commit, 'inverse diff'))
    }
    // Churn: a tracked commit that follows one of the same setup within CHURN_DAYS is blamed too.
    const bySetup = new Map<string, TrackedCommit[]>()
    for (const ref of refs) bySetup.set(ref.setup, [...(bySetup.get(ref.setup) ?? []), ref])
    const churnOf = (commit: GitCommit): TrackedCommit | undefined => {
      const ref = tracked.get(commit.hash)
      if (ref === undefined) return undefined
      const since = new Date(Date.parse(ref.at) - CHURN_DAYS * DAY_MS).toISOString()
      return (bySetup.get(ref.setup) ?? []).some((other) => other.hash !== ref.hash && other.at >= since && other.at <= ref.at) ? ref : undefined
    }
    const fixHashes = new Set(fixes.map(({ commit }) => commit.hash))
    const rewrites = others.filter((commit) => !fixHashes.has(commit.hash) && churnOf(commit) !== undefined)
    const toBlame = [...fixes.map(({ commit }) => commit), ...rewrites]
    const graph = full ? historyGraph(listed) : undefined
    listed.length = 0
    // A fix's blame matters only for lines of tracked commits; a rewrite's only for its setup's commits of the days before.
    const trackedDescendants = graph === undefined ? undefined : descendantsOf(graph, tracked.keys())
    const boundaryOf = (commit: GitCommit): BlameBoundary | undefined => {
      const parent = commit.parents[0]
      const ref = tracked.get(commit.hash)
      if (graph === undefined || trackedDescendants === undefined || parent === undefined) return undefined
      if (fixHashes.has(commit.hash) || ref === undefined) return blameBoundary(graph, trackedDescendants, parent)
      const earlier = (bySetup.get(ref.setup) ?? []).filter((other) => other.hash !== ref.hash && Date.parse(ref.at) - Date.parse(other.at) <= CHURN_DAYS * DAY_MS)
      return blameBoundary(graph, descendantsOf(graph, earlier.map((other) => other.hash), graph.index.get(parent)), parent)
    }
    // One git log reads every diff; the blames run a few at a time, mostly waiting on git.
    const changes = await changedLinesOf(project, toBlame.map((commit) => commit.hash), limits, git)
    let blamed = 0
    const blames = await inPool(toBlame, BLAME_CONCURRENCY, async (commit) => {
      const outcome = await blameFix(project, commit, changes.get(commit.hash), boundaryOf(commit), git)
      progress('fixes', ++blamed, toBlame.length)
      return outcome
    })
    const outcomes = blames.slice(0, fixes.length)
    toBlame.forEach((commit, index) => {
      const ref = churnOf(commit)
      const outcome = blames[index]
      if (ref === undefined || outcome === undefined) return
      for (const [origin, { lines, files }] of outcome) {
        const earlier = tracked.get(origin)
        if (earlier?.setup !== ref.setup || origin === commit.hash || Date.parse(ref.at) - Date.parse(earlier.at) > CHURN_DAYS * DAY_MS) continue
        add(churnFact(project, earlier, commit, lines, files))
      }
    })
    fixes.forEach(({ commit, pattern }, index) => {
      const outcome = outcomes[index]
      if (outcome === undefined) {
        fixesSkipped += 1
        return
      }
      fixesBlamed += 1
      for (const [origin, { lines, files }] of outcome) {
        const ref = tracked.get(origin)
        if (ref === undefined || origin === commit.hash) continue
        add(suspectedBugFact(project, ref, commit, pattern, lines, files))
      }
    })

    // One at a time: a spread of a long history's measurements would pass more arguments than the stack holds.
    for (const measured of await measureSurvival(store, project, head, refs, graph, options.survivalDays ?? [7, 30], now, git, progress)) survival.push(measured)
    for (const fact of survival) add(fact)
  } finally {
    graphCache?.remove()
  }

  const retractions = [...(rewritten ? await retract(store, project, found, now) : []), ...withdrawn]
  const recorded = await applyInBatches(store, [...facts, ...retractions])
  await store.recordMigration({
    id: scanId, kind: 'evidence-scan', source: project, cursor: head, factSeq, at: now.toISOString(),
    migrated: recorded, skipped: facts.length + retractions.length - recorded, errors: 0,
  })
  return {
    project, head, mode: full ? 'full' : 'incremental', commitsRead, tracked: refs.length, fixesBlamed, fixesSkipped,
    suspectedBugs: facts.filter((fact) => fact.kind === 'evidence' && fact.signal === 'suspected-bug').length,
    reverts: facts.filter((fact) => fact.kind === 'evidence' && fact.signal === 'revert').length,
    survival: survival.length,
    churn: facts.filter((fact) => fact.kind === 'evidence' && fact.signal === 'churn').length,
    recorded,
    retracted: retractions.length,
  }
}

/**
 * Blames what a fix changed at its parent: lines and files per origin commit; undefined when
 * skipped. Within `boundary` the blame names the same origins of interest; others it may not.
 */
async function blameFix(
  project: string, fix: GitCommit, changed: CommitChange | undefined, boundary: BlameBoundary | undefined, git: GitCallOptions,
): Promise<Map<string, { lines: number; files: string[] }> | undefined> {
  const parent = fix.parents[0]
  if (parent === undefined || changed === undefined || typeof changed === 'string') return undefined
  const origins = new Map<string, { lines: number; files: string[] }>()
  if (boundary?.skip === true) return origins
  const exclude = boundary?.exclude
  for (const file of changed.files) {
    for (const [origin, lines] of await blameOrigins(project, parent, file.path, file.ranges, { ...git, exclude })) {
      const entry = origins.get(origin) ?? { lines: 0, files: [] }
      entry.lines += lines
      if (!entry.files.includes(file.path)) entry.files.push(file.path)
      origins.set(origin, entry)
    }
  }
  return origins
}

function suspectedBugFact(project: string, ref: TrackedCommit, fix: GitCommit, pattern: string, lines: number, files: readonly string[]): EvidenceFact {
  return {
    id: evidenceFactId('suspected-bug', project, ref.recorded, fix.hash), kind: 'evidence', signal: 'suspected-bug',
    at: fix.at, setup: ref.setup, project, commit: ref.recorded, source: fix.hash, subject: fix.subject, files: [...files].sort(), lines, pattern,
  }
}

function churnFact(project: string, ref: TrackedCommit, rewrite: GitCommit, lines: number, files: readonly string[]): EvidenceFact {
  return {
    id: evidenceFactId('churn', project, ref.recorded, rewrite.hash), kind: 'evidence', signal: 'churn',
    at: rewrite.at, setup: ref.setup, project, commit: ref.recorded, source: rewrite.hash, subject: rewrite.subject, files: [...files].sort(), lines,
  }
}

function revertFact(project: string, ref: TrackedCommit, revert: GitCommit, pattern: 'This reverts commit' | 'inverse diff'): EvidenceFact {
  return {
    id: evidenceFactId('revert', project, ref.recorded, revert.hash), kind: 'evidence', signal: 'revert',
    at: revert.at, setup: ref.setup, project, commit: ref.recorded, source: revert.hash, subject: revert.subject, pattern,
  }
}

/**
 * Survival facts for the tracked commits old enough for each age and not yet measured: the lines
 * each added, and how many of them HEAD still has (blaming each file involved once).
 */
async function measureSurvival(
  store: TrackerStore, project: string, head: string, refs: readonly TrackedCommit[], graph: HistoryGraph | undefined,
  ages: readonly number[], now: Date, git: GitCallOptions, progress: (step: string, done: number, total?: number) => void,
): Promise<EvidenceFact[]> {
  const due = refs.flatMap((ref) => ages.filter((days) => Date.parse(ref.at) + days * DAY_MS <= now.getTime()).map((days) => ({ ref, days, id: evidenceFactId('survival', project, ref.recorded, head, days) })))
  if (due.length === 0) return []
  const known = await store.knownFactIds(due.map((entry) => entry.id))
  const open: typeof due = []
  for (const entry of due) {
    if (known.has(entry.id)) continue
    const inHistory = graph === undefined ? await isAncestor(project, entry.ref.hash, head, git) : graph.index.has(entry.ref.hash)
    if (inHistory) open.push(entry)
  }
  if (open.length === 0) return []
  const additions = await commitAdditions(project, [...new Set(open.map((entry) => entry.ref.hash))], git)
  const oldest = open.reduce((min, entry) => (entry.ref.at < min ? entry.ref.at : min), open[0]?.ref.at ?? now.toISOString())
  const renames = await renamesSince(project, head, oldest, git)
  const present = await filesAt(project, head, git)
  const pathsOf = (hash: string, at: string): string[] => (additions.get(hash)?.files ?? []).map((path) => followRenames(path, at, renames)).filter((path) => present.has(path))
  const wanted = new Set(open.flatMap((entry) => pathsOf(entry.ref.hash, entry.ref.at)))
  let blamed = 0
  // Only the open commits' lines are counted: the blames may stop short of everything older.
  const boundary = graph === undefined ? undefined : blameBoundary(graph, descendantsOf(graph, open.map((entry) => entry.ref.hash)), head)
  if (boundary?.skip === true) wanted.clear()
  const counts = await blameFilesAt(project, head, wanted, { ...git, exclude: boundary?.skip === false ? boundary.exclude : undefined }, () => {
    progress('survival', ++blamed, wanted.size)
  })
  return open.flatMap(({ ref, days, id }) => {
    const added = additions.get(ref.hash)?.added ?? 0
    if (added === 0) return []
    const surviving = Math.min(added, pathsOf(ref.hash, ref.at).reduce((sum, path) => sum + (counts.get(path)?.get(ref.hash) ?? 0), 0))
    const fact: EvidenceFact = {
      id, kind: 'evidence', signal: 'survival', at: new Date(Date.parse(ref.at) + days * DAY_MS).toISOString(),
      setup: ref.setup, project, commit: ref.recorded, source: head, days, added, surviving,
    }
    return [fact]
  })
}

/** A tracked commit, by the hash git gives it in full, and by the hash it was recorded under (which evidence names). */
interface TrackedCommit extends CommitRef {
  readonly recorded: string
}

/**
 * The project's tracked commits, oldest first, each by its full hash where it was recorded by a
 * short one (`a1b2c3d`, as legacy journals and hosts that print short hashes give them) and git
 * knows it: git names every commit in full, in its history as in its blame. One git call.
 */
async function trackedCommits(store: TrackerStore, project: string, git: GitCallOptions): Promise<TrackedCommit[]> {
  const refs = await store.findCommitRefs({ project, order: 'oldest' })
  const short = [...new Set(refs.filter((ref) => ref.hash.length < 40 && /^[0-9a-f]+$/.test(ref.hash)).map((ref) => ref.hash))]
  const full = new Map<string, string>()
  if (short.length > 0) {
    // One line out per line in: `<full hash> commit`, else `<hash> missing` or `<hash> ambiguous`.
    const lines = (await gitOutput(project, ['cat-file', '--batch-check=%(objectname) %(objecttype)'], { ...git, input: `${short.join('\n')}\n` })).split('\n')
    short.forEach((hash, index) => {
      const [name, type] = (lines[index] ?? '').split(' ')
      if (type === 'commit' && name?.startsWith(hash) === true) full.set(hash, name)
    })
  }
  return refs.map((ref) => ({ ...ref, hash: full.get(ref.hash) ?? ref.hash, recorded: ref.hash }))
}

/**
 * True when a commit of the project recorded after the last scan (the fact log since its
 * `factSeq`) was made before that scan's HEAD — an import, an ingest or a merge of older work —,
 * or when the last scan kept no place in the log (an older release's): the fixes and reverts of
 * such a commit are in history the scan read before the commit was tracked.
 */
async function recordedLate(store: TrackerStore, project: string, last: MigrationRecord, cursor: string, git: GitCallOptions): Promise<boolean> {
  if (last.factSeq === undefined) return true
  for await (const { fact } of store.readFactLog({ after: last.factSeq })) {
    if (fact.kind === 'commit' && fact.project === project && (await isAncestor(project, fact.hash, cursor, git))) return true
  }
  return false
}

/**
 * A revert of an agent commit that a later commit reverted in turn (`git revert` of the revert,
 * which git may call a reapply) puts the agent's work back: the first revert no longer stands. One
 * read here is dropped (`drop`, by its evidence id); one an earlier scan recorded, still open, is
 * retracted (the verdicts returned).
 */
async function revertsUndone(
  store: TrackerStore, project: string, candidates: readonly { readonly commit: GitCommit; readonly reverted: string }[],
  revertsRead: ReadonlyMap<string, TrackedCommit>, drop: (id: string) => void,
): Promise<VerdictFact[]> {
  const named = (hash: string, reverted: string): boolean => hash === reverted || (reverted.length < 40 && hash.startsWith(reverted))
  const verdicts: VerdictFact[] = []
  let recorded: EvidenceRecord[] | undefined
  for (const { commit, reverted } of candidates) {
    const read = [...revertsRead].find(([hash]) => named(hash, reverted))
    if (read !== undefined) {
      drop(evidenceFactId('revert', project, read[1].recorded, read[0]))
      continue
    }
    recorded ??= await store.find('evidence', { project, order: 'oldest' })
    for (const record of recorded) {
      if (record.signal !== 'revert' || record.status !== 'open' || !named(record.source, reverted)) continue
      verdicts.push({
        id: verdictFactId(record.id, 'retracted'), kind: 'verdict', verdict: 'retracted', evidence: record.id,
        at: commit.at, setup: record.setup, project, note: `the revert was itself reverted by ${commit.hash.slice(0, 8)}: the work is back`,
      })
    }
  }
  return verdicts
}

/** Retractions of the project's open suspected bugs and reverts that a full rescan no longer found. */
async function retract(store: TrackerStore, project: string, found: ReadonlySet<string>, now: Date): Promise<VerdictFact[]> {
  const known = await store.find('evidence', { project, order: 'oldest' })
  return known
    .filter((record) => record.status === 'open' && record.signal !== 'survival' && !found.has(record.id))
    .map((record) => ({
      id: verdictFactId(record.id, 'retracted'), kind: 'verdict', verdict: 'retracted', evidence: record.id,
      at: now.toISOString(), setup: record.setup, project, note: 'the rewritten history no longer has the commits it rests on',
    }))
}

/** Applies facts a thousand at a time; returns how many the store applied (repeats are not). */
async function applyInBatches(store: TrackerStore, facts: readonly Fact[]): Promise<number> {
  let applied = 0
  for (let start = 0; start < facts.length; start += 1000) {
    const result = await store.applyFacts(facts.slice(start, start + 1000))
    applied += result.deferred ? result.accepted : result.applied
  }
  return applied
}

/** Maps items through `work`, at most `size` at a time, keeping their order. */
async function inPool<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      const item = items[index]
      if (item !== undefined) results[index] = await work(item)
    }
  }
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker))
  return results
}
