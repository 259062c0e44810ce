import type { Grade } from '../facts/grade.js'
import type { ActivityRecord, BugRecord, CollectionRecords, CommitRecord, ProjectRecord, RetrospectiveRecord } from '../store/records.js'
import { recordKey } from '../store/records.js'
import type { DigestedEntry, SearchEntry, SearchEntryVisitor, SearchedCollection, SearchedRecord } from './search-digest.js'
import { DigestReader, FAILED, FAILURE, HAS_COMMIT, HAS_TITLE, SEARCHED_COLLECTIONS, SearchRows, hashKey, hashOf, pairHash } from './search-digest.js'
import { terms, wantedTermCounter } from './search-terms.js'

export { terms } from './search-terms.js'

/** Where prior art can come from. */
export interface PriorArtRecords {
  readonly retrospectives: readonly RetrospectiveRecord[]
  readonly activities: readonly ActivityRecord[]
  readonly commits: readonly CommitRecord[]
  readonly bugs: readonly BugRecord[]
  readonly projects: readonly ProjectRecord[]
}

/** What a search reads: each searched collection's entries (see {@link SearchEntry}), with their digests. */
export type SearchEntries = Readonly<Record<SearchedCollection, readonly DigestedEntry[]>>

/** One piece of earlier work that matches the task. */
export interface PriorArtHit {
  readonly kind: 'retrospective' | 'activity' | 'commit' | 'bug'
  readonly setup: string
  readonly project: string
  readonly at: string
  readonly title: string
  readonly detail: string
  readonly grade?: Grade
  /** Who gave `grade`: the user, or the agent itself (a self-grade, never taken as a verdict). */
  readonly gradedBy?: 'user' | 'agent'
  /** The current project's own work or its scope's (`same`), or any other project's. */
  readonly scope: 'same' | 'other'
  readonly relevance: number
}

/** Patterns worth repeating and mistakes worth avoiding, most relevant first. */
export interface PriorArtResult {
  readonly query: string
  readonly patterns: readonly PriorArtHit[]
  readonly mistakes: readonly PriorArtHit[]
}

/** What a prior-art search is told besides the records: the current project, the scope to prefer and how many hits to give. */
export interface PriorArtOptions {
  /** The current project's path: its own work is of its scope, whether that scope is known or not. */
  readonly project?: string
  readonly scope?: string
  readonly limit?: number
}

/** {@link PriorArtOptions} for a search of entries: where a project's scope comes from. */
export interface EntrySearchOptions extends PriorArtOptions {
  /** The scope of a project, by the hash of its path (see `hashOf`), asked only of projects with hits, and only when there is a scope to prefer. */
  readonly scopeOf?: (projectLink: number) => string | undefined
}

/** A hit found, before its record is read: which entry, how relevant, and what titles it. */
export interface RankedHit {
  readonly collection: SearchedCollection
  readonly entry: SearchEntry
  /** Rounded to three decimals, as shown. */
  readonly relevance: number
  readonly scope: 'same' | 'other'
  /** A bug in the search names its commit. */
  readonly buggy: boolean
  /** Its commit in the search, whose message titles a bug or a retrospective without a task, and is told beside a retrospective's task. */
  readonly commit?: SearchEntry
}

/** Hits found, best first, their records not read yet. */
export interface RankedHits {
  readonly query: string
  readonly patterns: readonly RankedHit[]
  readonly mistakes: readonly RankedHit[]
}

/**
 * A prior-art search under way, to be run a slice of documents at a time (a host's event loop gets
 * a turn between slices): `scan` every index in `[0, size)`, then take the hits.
 */
export interface PriorArtSearch {
  /** Documents to scan. */
  readonly size: number
  /** Scores documents `from` … `to − 1`. */
  scan(from: number, to: number): void
  /** The patterns and mistakes found, once every document is scanned. */
  ranked(): RankedHits
}

/**
 * Finds earlier work relevant to a task: patterns (work the user graded good or excellent first,
 * then user-graded neutral work, then work only the agent graded itself, then ungraded work),
 * from the current project and its scope before other projects; and mistakes to avoid (badly graded
 * retrospectives, bugs, commits a bug was reported against — whatever their grade — and
 * activities whose outcome says something failed). Only a user grade makes a positive pattern.
 * Relevance is TF-IDF over words of tasks, notes, messages and outcomes.
 */
export function searchPriorArt(query: string, records: PriorArtRecords, options: PriorArtOptions = {}): PriorArtResult {
  const search = startPriorArtSearch(query, entriesOf(records), { ...options, scopeOf: projectScopes(records.projects) })
  search.scan(0, search.size)
  return shownHits(search.ranked())
}

/** The scope of each project by its link in a digest (the hash of its path; see {@link hashOf}), for `scopeOf`. */
export function projectScopes(projects: PriorArtRecords['projects']): (projectLink: number) => string | undefined {
  const scopes = new Map(projects.map((project) => [hashOf(project.path), project.profile?.scope]))
  return (project) => scopes.get(project)
}

/** Hits of entries that hold their records, as shown. */
export function shownHits({ query, patterns, mistakes }: RankedHits): PriorArtResult {
  const shown = (hit: RankedHit): PriorArtHit => priorArtHit(hit, recordOf(hit.entry), hit.commit?.record as CommitRecord | undefined)
  return { query, patterns: patterns.map(shown), mistakes: mistakes.map(shown) }
}

/** Records as search entries, each holding its record. */
export function entriesOf(records: Omit<PriorArtRecords, 'projects'>): SearchEntries {
  return {
    retrospectives: records.retrospectives.map((r) => recordEntry('retrospectives', r)),
    activities: records.activities.map((a) => recordEntry('activities', a)),
    commits: records.commits.map((c) => recordEntry('commits', c)),
    bugs: records.bugs.map((b) => recordEntry('bugs', b)),
  }
}

/** A record as a search entry of its collection, holding the record. */
export function recordEntry<C extends SearchedCollection>(collection: C, record: CollectionRecords[C]): DigestedEntry {
  return { digest: NO_DIGEST, key: () => recordKey(collection, record), at: () => record.at, record }
}

const NO_DIGEST = new Uint8Array(0)

function recordOf(entry: SearchEntry): SearchedRecord {
  if (entry.record === undefined) throw new RangeError('A search entry without its record was shown without reading it.')
  return entry.record
}

/**
 * {@link searchPriorArt} over entries, as a search to run a slice at a time. An entry holding its
 * record is searched by the record's text; any other by its digest — the same words either way.
 */
export function startPriorArtSearch(query: string, entries: SearchEntries, options: EntrySearchOptions = {}): PriorArtSearch {
  const setup = preparePriorArtSearch(query, entries, options)
  setup.read(0, setup.size)
  return setup.start()
}

/**
 * A prior-art search being set up, to be run a slice of entries at a time as well: `read` the
 * header of every entry in `[0, size)` (its digest's, or the same worked out from its record),
 * then `start` the search. Headers are what join entries to each other, so every one is read
 * before any document is scored; on a large database they are thousands.
 */
export interface PriorArtSearchSetup {
  /** Entries whose headers to read. */
  readonly size: number
  /** Reads the headers of entries `from` … `to − 1` (retrospectives, then activities, commits and bugs). */
  read(from: number, to: number): void
  /** The search, once every header is read. */
  start(): PriorArtSearch
}

/** {@link startPriorArtSearch} in steps: see {@link PriorArtSearchSetup}. */
export function preparePriorArtSearch(query: string, entries: SearchEntries, options: EntrySearchOptions = {}): PriorArtSearchSetup {
  const wanted = [...new Set(terms(query))]
  // Without a wanted term nothing can match: no header is needed.
  const slots = wanted.length === 0 ? undefined : rowSlots(entries, wanted)
  return {
    size: slots?.size ?? 0,
    read: (from, to) => {
      slots?.read(from, to)
    },
    start: () => searchOf(query, slots === undefined ? EMPTY_CORPUS : collect(slots.done(), wanted), wanted, options),
  }
}

/**
 * A prior-art search taking its entries as a store reads them, one at a time: each entry's header
 * and the wanted terms its words hold are read as it is taken, and its digest let go, so a search
 * keeps a few numbers of each entry, not its bytes.
 */
export interface PriorArtIntake {
  /**
   * What takes a collection's entries, in turn (each collection's newest first, as a store gives
   * them), each with its digest, read as it is taken and not kept (see {@link SearchEntryVisitor});
   * an entry holding its record is read from the record. It throws a RangeError for bytes that are
   * no digest (a damaged index entry).
   */
  taker(collection: SearchedCollection): SearchEntryVisitor
  /** The search, once every entry is taken. */
  start(): PriorArtSearch
}

/** {@link startPriorArtSearch} over entries taken one at a time: see {@link PriorArtIntake}. */
export function priorArtIntake(query: string, options: EntrySearchOptions = {}): PriorArtIntake {
  const wanted = [...new Set(terms(query))]
  if (wanted.length === 0) return { taker: () => ignore, start: () => searchOf(query, EMPTY_CORPUS, wanted, options) }
  const rows = emptyRows()
  const put = rowReader(wanted)
  return {
    taker: (collection) => {
      const list = rows[collection]
      return (entry, digest) => {
        put(collection, list, list.size, entry, digest)
      }
    },
    start: () => searchOf(query, collect(rows, wanted), wanted, options),
  }
}

function ignore(): void {
  // Without a wanted term nothing can match: nothing is read.
}

function searchOf(query: string, corpus: Corpus, wanted: readonly string[], options: EntrySearchOptions): PriorArtSearch {
  const limit = options.limit ?? 10
  const candidates: Candidate[] = []
  const frequency = wanted.map(() => 0)
  return {
    size: corpus.size,
    scan(from, to) {
      for (let index = from; index < Math.min(to, corpus.size); index++) {
        const counts = corpus.countsAt(index)
        if (counts === undefined) continue
        // Its ranking (its time decoded among it) is taken now, a slice at a time, not all at once when ranked.
        candidates.push({ index, counts, ranking: corpus.rankingAt(index) })
        for (let term = 0; term < counts.length; term++) if ((counts[term] ?? 0) > 0) frequency[term] = (frequency[term] ?? 0) + 1
      }
    },
    ranked: () => rank(query, candidates, frequency, corpus, options, limit),
  }
}

/** A document holding at least one wanted term: its index, how often it holds each, and what ranks it. */
interface Candidate {
  readonly index: number
  readonly counts: readonly number[]
  readonly ranking: Ranking
}

/** What orders a document among the hits: where and when, whether a pattern or a mistake, and its standing. */
interface Ranking {
  /** The hash of its project's path, as a key (see `hashKey`). */
  readonly project: number
  readonly at: string
  readonly verdict: 'positive' | 'neutral' | 'mistake'
  /** Order among patterns: user-graded good work, then user-graded neutral, self-graded, ungraded. */
  readonly standing: number
}

function rank(query: string, candidates: readonly Candidate[], frequency: readonly number[], corpus: Corpus, options: EntrySearchOptions, limit: number): RankedHits {
  if (candidates.length === 0) return { query, patterns: [], mistakes: [] }
  const documents = corpus.size
  const preferred = options.scope !== undefined && options.scope !== 'unknown' ? options.scope : undefined
  // The current project is of its own scope, known or not.
  const own = options.project === undefined ? undefined : hashKey(hashOf(options.project))
  const scopes = new Map<number, string | undefined>()
  const scopeOf = (project: number): string | undefined => {
    if (!scopes.has(project)) scopes.set(project, options.scopeOf?.(project >>> 0))
    return scopes.get(project)
  }
  const hits = candidates.map(({ index, counts, ranking }) => {
    let relevance = 0
    for (let term = 0; term < counts.length; term++) {
      const count = counts[term] ?? 0
      if (count > 0) relevance += (count / (count + 1.2)) * Math.log(1 + documents / (frequency[term] ?? 1))
    }
    const scope: 'same' | 'other' = ranking.project === own || (preferred !== undefined && scopeOf(ranking.project) === preferred) ? 'same' : 'other'
    return { index, ranking, relevance, scope }
  })
  const order = (a: typeof hits[number], b: typeof hits[number]): number =>
    Number(a.scope === 'other') - Number(b.scope === 'other') || b.relevance - a.relevance || (a.ranking.at < b.ranking.at ? 1 : -1)
  const toHit = ({ index, relevance, scope }: typeof hits[number]): RankedHit => ({ ...corpus.hitAt(index), scope, relevance: Math.round(relevance * 1000) / 1000 })
  return {
    query,
    patterns: hits
      .filter((hit) => hit.ranking.verdict !== 'mistake')
      .sort((a, b) => Number(a.scope === 'other') - Number(b.scope === 'other') || a.ranking.standing - b.ranking.standing || order(a, b))
      .slice(0, limit)
      .map(toHit),
    mistakes: hits.filter((hit) => hit.ranking.verdict === 'mistake').sort(order).slice(0, limit).map(toHit),
  }
}

/**
 * The hit as shown: from its record, and the record of the commit that titles it (see
 * {@link RankedHit.commit}; absent when the search held no such commit).
 */
export function priorArtHit(hit: RankedHit, record: SearchedRecord, commit: CommitRecord | undefined): PriorArtHit {
  const { scope, relevance } = hit
  const message = commit?.message
  switch (hit.collection) {
    case 'retrospectives': {
      const x = record as RetrospectiveRecord
      const gradedBy = x.userGrade !== undefined ? 'user' : x.agentGrade !== undefined ? 'agent' : undefined
      const grade = x.userGrade ?? x.agentGrade
      const title = x.task ?? message ?? x.commit
      // The commit's message, when the task titles it: a search finds the retrospective by its words too.
      const detail = [message === title || message === '' ? undefined : message, x.userNote, x.agentNote, hit.buggy ? BUGGY_NOTE : undefined].filter((note) => note !== undefined).join(' · ')
      return {
        kind: 'retrospective', setup: x.setup, project: x.project, at: x.at, title, detail,
        ...(grade === undefined ? {} : { grade }),
        ...(gradedBy === undefined ? {} : { gradedBy }),
        scope, relevance,
      }
    }
    case 'activities': {
      const x = record as ActivityRecord
      return { kind: 'activity', setup: x.setup, project: x.project, at: x.at, title: x.task, detail: [x.actions, x.outcome, x.decisions].filter((part) => part !== '').join(' · '), scope, relevance }
    }
    case 'commits': {
      const x = record as CommitRecord
      return { kind: 'commit', setup: x.setup, project: x.project, at: x.at, title: x.message, detail: `commit ${x.hash.slice(0, 8)}`, scope, relevance }
    }
    case 'bugs': {
      const x = record as BugRecord
      return { kind: 'bug', setup: x.setup, project: x.project, at: x.at, title: x.note ?? message ?? 'bug', detail: message ?? '', scope, relevance }
    }
  }
}

/**
 * Every entry as a search sees it, by index (retrospectives, activities, commits without a
 * retrospective, bugs): how often it holds each wanted term (its own words and those it takes from
 * the entries beside it), what ranks it, and the hit it makes — the last two only when asked for.
 */
interface Corpus {
  readonly size: number
  countsAt(index: number): readonly number[] | undefined
  rankingAt(index: number): Ranking
  hitAt(index: number): Omit<RankedHit, 'scope' | 'relevance'>
}

const EMPTY_CORPUS: Corpus = { size: 0, countsAt: noDocument, rankingAt: noDocument, hitAt: noDocument }

/**
 * Puts an entry in its row of a collection's columns: its header and its word lists' counts of
 * the wanted terms, read from its digest, or the same worked out from its record. Every entry's
 * is read before a search scores any; each project path is hashed once.
 */
function rowReader(wanted: readonly string[]): (collection: SearchedCollection, rows: SearchRows, row: number, entry: SearchEntry, digest: Uint8Array) => void {
  const reader = new DigestReader(wanted.map((term) => hashKey(hashOf(term))))
  const countText = wantedTermCounter(wanted)
  const projects = new Map<string, number>()
  const projectLink = (path: string): number => {
    let link = projects.get(path)
    if (link === undefined) projects.set(path, (link = hashKey(hashOf(path))))
    return link
  }
  return (collection, rows, row, entry, digest) => {
    const record = entry.record
    if (record === undefined) {
      rows.putDigest(row, entry, digest, reader)
      return
    }
    const put = (flags: number, userGrade: Grade | undefined, agentGrade: Grade | undefined, commitLink: number, setupLink: number, project: string, first: string, second: string): void => {
      rows.put(row, entry, flags, gradeCode(userGrade), gradeCode(agentGrade), hashKey(commitLink), hashKey(setupLink), projectLink(project), countText(first), second === '' ? undefined : countText(second))
    }
    // The texts of a record's digest's two word lists (see `searchDigest`).
    switch (collection) {
      case 'retrospectives': {
        const r = record as RetrospectiveRecord
        put(r.task === undefined ? 0 : HAS_TITLE, r.userGrade, r.agentGrade, pairHash(r.project, r.commit), pairHash(r.setup, r.commit), r.project, r.task ?? r.commit, `${r.userNote ?? ''} ${r.agentNote ?? ''}`)
        return
      }
      case 'activities': {
        const a = record as ActivityRecord
        put(FAILURE.test(a.outcome) ? FAILED : 0, undefined, undefined, 0, 0, a.project, `${a.task} ${a.actions} ${a.outcome} ${a.decisions}`, '')
        return
      }
      case 'commits': {
        const c = record as CommitRecord
        put(0, undefined, undefined, pairHash(c.project, c.hash), pairHash(c.setup, c.hash), c.project, c.message, c.task ?? '')
        return
      }
      case 'bugs': {
        const b = record as BugRecord
        put((b.note === undefined ? 0 : HAS_TITLE) | (b.commit === undefined ? 0 : HAS_COMMIT), undefined, undefined, b.commit === undefined ? 0 : pairHash(b.project, b.commit), 0, b.project, b.note ?? '', '')
      }
    }
  }
}

/** A grade as a digest keeps it: the grade + 128, 0 for none. */
function gradeCode(grade: Grade | undefined): number {
  return grade === undefined ? 0 : grade + 128
}

/** Each searched collection's rows, by the entry's index in its collection. */
type Rows = Readonly<Record<SearchedCollection, SearchRows>>

function emptyRows(): Rows {
  return { retrospectives: new SearchRows(), activities: new SearchRows(), commits: new SearchRows(), bugs: new SearchRows() }
}

/**
 * Rows of entries to be read a slice at a time, by an index over every collection in turn
 * (retrospectives, activities, commits, bugs); `done` gives them once all are read.
 */
function rowSlots(entries: SearchEntries, wanted: readonly string[]): { readonly size: number; read(from: number, to: number): void; done(): Rows } {
  const put = rowReader(wanted)
  const rows: Rows = {
    retrospectives: new SearchRows(entries.retrospectives.length),
    activities: new SearchRows(entries.activities.length),
    commits: new SearchRows(entries.commits.length),
    bugs: new SearchRows(entries.bugs.length),
  }
  // Which rows are read: a slice read twice counts once.
  const order = SEARCHED_COLLECTIONS.map((collection) => ({ collection, list: entries[collection], rows: rows[collection], read: new Uint8Array(entries[collection].length) }))
  const size = order.reduce((total, { list }) => total + list.length, 0)
  let filled = 0
  return {
    size,
    read(from, to) {
      let first = 0
      for (const { collection, list, rows, read } of order) {
        const end = first + list.length
        for (let index = Math.max(from, first); index < Math.min(to, end); index++) {
          const row = index - first
          if (read[row] === 0) filled += 1
          read[row] = 1
          const entry = nth(list, row)
          put(collection, rows, row, entry, entry.digest)
        }
        first = end
      }
    },
    done() {
      if (filled < size) throw new RangeError(`A search was started with ${String(size - filled)} entry headers not read.`)
      return rows
    },
  }
}

function collect(rows: Rows, wanted: readonly string[]): Corpus {
  const { retrospectives, activities, commits, bugs } = rows
  // Joins by hashes of (setup, commit) and (project, commit) pairs: a commit with a retrospective of
  // its setup is searched as that retrospective; a commit a bug names makes a mistake; a commit's
  // message titles a retrospective without a task, and a bug (of two commits under one pair, the later read).
  const retrospectiveOf = new Set<number>()
  for (let row = 0; row < retrospectives.size; row++) retrospectiveOf.add(retrospectives.setupLink(row))
  const buggyCommits = new Set<number>()
  for (let row = 0; row < bugs.size; row++) if ((bugs.flags(row) & HAS_COMMIT) !== 0) buggyCommits.add(bugs.commitLink(row))
  const commitByLink = new Map<number, number>()
  const shownCommits: number[] = []
  for (let row = 0; row < commits.size; row++) {
    commitByLink.set(commits.commitLink(row), row)
    if (!retrospectiveOf.has(commits.setupLink(row))) shownCommits.push(row)
  }
  const activitiesFrom = retrospectives.size
  const commitsFrom = activitiesFrom + activities.size
  const bugsFrom = commitsFrom + shownCommits.length
  const size = bugsFrom + bugs.size

  const countText = wantedTermCounter(wanted)
  const buggyCounts = countText(BUGGY_NOTE)
  const bugCounts = countText('bug')
  const linkedCommit = (h: SearchRows, row: number): number | undefined => commitByLink.get(h.commitLink(row))
  // A retrospective stands for its commit, which is not searched on its own: its title words are its
  // task's (else its commit's hash), and — its commit in the search — its commit's message and task,
  // each word counted as often as the one of them holding it most often holds it (a task is often
  // the message itself, taken when the commit was graded: its words count once). Without a task
  // its commit's hash is left out then, as it is not shown.
  const retrospectiveTitle = (row: number): readonly number[] | undefined => {
    const commit = linkedCommit(retrospectives, row)
    if (commit === undefined) return retrospectives.first(row)
    const task = (retrospectives.flags(row) & HAS_TITLE) !== 0 ? retrospectives.first(row) : undefined
    return most(most(task, commits.first(commit)), commits.second(commit))
  }

  return {
    size,
    countsAt(index) {
      if (index < activitiesFrom) {
        const counts = plus(retrospectiveTitle(index), retrospectives.second(index))
        return buggyCommits.has(retrospectives.commitLink(index)) ? plus(counts, buggyCounts) : counts
      }
      if (index < commitsFrom) return activities.first(index - activitiesFrom)
      if (index < bugsFrom) {
        const at = nth(shownCommits, index - commitsFrom)
        return plus(commits.first(at), commits.second(at))
      }
      const row = index - bugsFrom
      const commit = (bugs.flags(row) & HAS_COMMIT) === 0 ? undefined : linkedCommit(bugs, row)
      const message = commit === undefined ? undefined : commits.first(commit)
      if ((bugs.flags(row) & HAS_TITLE) !== 0) return plus(bugs.first(row), message)
      return commit === undefined ? bugCounts : plus(message, message)
    },
    rankingAt(index) {
      if (index < activitiesFrom) {
        const h = retrospectives
        return { project: h.projectLink(index), at: h.entry(index).at(), ...retrospectiveVerdict(h.userGrade(index), h.agentGrade(index), buggyCommits.has(h.commitLink(index))) }
      }
      if (index < commitsFrom) {
        const row = index - activitiesFrom
        return { project: activities.projectLink(row), at: activities.entry(row).at(), verdict: (activities.flags(row) & FAILED) !== 0 ? 'mistake' : 'neutral', standing: UNGRADED }
      }
      if (index < bugsFrom) {
        const at = nth(shownCommits, index - commitsFrom)
        return { project: commits.projectLink(at), at: commits.entry(at).at(), verdict: buggyCommits.has(commits.commitLink(at)) ? 'mistake' : 'neutral', standing: UNGRADED }
      }
      return { project: bugs.projectLink(index - bugsFrom), at: bugs.entry(index - bugsFrom).at(), verdict: 'mistake', standing: UNGRADED }
    },
    hitAt(index) {
      const commitEntry = (at: number | undefined): { commit?: SearchEntry } => (at === undefined ? {} : { commit: commits.entry(at) })
      if (index < activitiesFrom) {
        const h = retrospectives
        return { collection: 'retrospectives', entry: h.entry(index), buggy: buggyCommits.has(h.commitLink(index)), ...commitEntry(linkedCommit(h, index)) }
      }
      if (index < commitsFrom) return { collection: 'activities', entry: activities.entry(index - activitiesFrom), buggy: false }
      if (index < bugsFrom) {
        const at = nth(shownCommits, index - commitsFrom)
        return { collection: 'commits', entry: commits.entry(at), buggy: buggyCommits.has(commits.commitLink(at)) }
      }
      const row = index - bugsFrom
      return { collection: 'bugs', entry: bugs.entry(row), buggy: true, ...commitEntry((bugs.flags(row) & HAS_COMMIT) === 0 ? undefined : linkedCommit(bugs, row)) }
    },
  }
}

/** Counts of wanted terms, each the greater of the two (either may be absent: no wanted term); neither is changed. */
function most(counts: readonly number[] | undefined, more: readonly number[] | undefined): readonly number[] | undefined {
  if (more === undefined) return counts
  if (counts === undefined) return more
  const greater: number[] = []
  for (let term = 0; term < counts.length; term++) greater.push(Math.max(counts[term] ?? 0, more[term] ?? 0))
  return greater
}

/** Counts of wanted terms added up (either may be absent: no wanted term); neither is changed. */
function plus(counts: readonly number[] | undefined, more: readonly number[] | undefined): readonly number[] | undefined {
  if (more === undefined) return counts
  if (counts === undefined) return more
  const sum: number[] = []
  for (let term = 0; term < counts.length; term++) sum.push((counts[term] ?? 0) + (more[term] ?? 0))
  return sum
}

function noDocument(): never {
  throw new RangeError('There are no documents.')
}

const BUGGY_NOTE = 'a bug was reported against this commit'

function nth<T>(list: readonly T[], index: number): T {
  const item = list[index]
  if (item === undefined) throw new RangeError(`There is no document ${String(index)}.`)
  return item
}

const UNGRADED = 3

/** A user grade decides; a self-grade alone is weaker evidence; a reported bug makes it a mistake. */
function retrospectiveVerdict(userGrade: Grade | undefined, agentGrade: Grade | undefined, buggy: boolean): Pick<Ranking, 'verdict' | 'standing'> {
  if (buggy) return { verdict: 'mistake', standing: UNGRADED }
  if (userGrade !== undefined) return userGrade >= 2 ? { verdict: 'positive', standing: 0 } : userGrade < 0 ? { verdict: 'mistake', standing: UNGRADED } : { verdict: 'neutral', standing: 1 }
  if (agentGrade !== undefined) return agentGrade < 0 ? { verdict: 'mistake', standing: UNGRADED } : { verdict: 'neutral', standing: 2 }
  return { verdict: 'neutral', standing: UNGRADED }
}
