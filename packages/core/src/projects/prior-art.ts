import type { Grade } from '../facts/grade.js'
import type { ActivityRecord, BugRecord, CommitRecord, ProjectRecord, RetrospectiveRecord } from '../store/records.js'

/** Where prior art can come from. */
export interface PriorArtRecords {
  readonly retrospectives: readonly RetrospectiveRecord[]
  readonly activities: readonly ActivityRecord[]
  readonly commits: readonly CommitRecord[]
  readonly bugs: readonly BugRecord[]
  readonly projects: readonly ProjectRecord[]
}

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
  /** Same scope as the current project, or another. */
  readonly scope: 'same' | 'other'
  readonly relevance: number
}

/** Patterns worth repeating and mistakes worth avoiding, most relevant first. */
export interface PriorArtResult {
  readonly query: string
  readonly patterns: readonly PriorArtHit[]
  readonly mistakes: readonly PriorArtHit[]
}

/** A hit as shown, before its scope and relevance are known. */
type Document = Omit<PriorArtHit, 'scope' | 'relevance'>

/** What orders a document among the hits: where and when, whether a pattern or a mistake, and its standing. */
interface Ranking {
  readonly project: string
  readonly at: string
  readonly verdict: 'positive' | 'neutral' | 'mistake'
  /** Order among patterns: user-graded good work, then user-graded neutral, self-graded, ungraded. */
  readonly standing: number
}

const STOPWORDS = new Set('a an and are as at be but by for from has have in into is it its of on or our that the their then this to was we were will with add added fix fixed make made use used update updated'.split(' '))
const FAILURE = /\b(fail(ed|s|ure)?|broke|broken|revert(ed)?|regress(ion|ed)?|wrong|crash(ed)?)\b/i

/** What a prior-art search is told besides the records: the scope to prefer and how many hits to give. */
export interface PriorArtOptions {
  readonly scope?: string
  readonly limit?: number
}

/**
 * A prior-art search under way, to be run a slice of documents at a time (a host's event loop gets
 * a turn between slices): `scan` every index in `[0, size)`, then take the `result`.
 */
export interface PriorArtSearch {
  /** Documents to scan. */
  readonly size: number
  /** Scores documents `from` … `to − 1`. */
  scan(from: number, to: number): void
  /** The patterns and mistakes found, once every document is scanned. */
  result(): PriorArtResult
}

/**
 * Finds earlier work relevant to a task: patterns (work the user graded good or excellent first,
 * then user-graded neutral work, then work only the agent graded itself, then ungraded work),
 * from the current project's scope before other scopes; and mistakes to avoid (badly graded
 * retrospectives, bugs, commits a bug was reported against — whatever their grade — and
 * activities whose outcome says something failed). Only a user grade makes a positive pattern.
 * Relevance is TF-IDF over words of tasks, notes, messages and outcomes.
 */
export function searchPriorArt(query: string, records: PriorArtRecords, options: PriorArtOptions = {}): PriorArtResult {
  const search = startPriorArtSearch(query, records, options)
  search.scan(0, search.size)
  return search.result()
}

/** {@link searchPriorArt} as a search to run a slice at a time. */
export function startPriorArtSearch(query: string, records: PriorArtRecords, options: PriorArtOptions = {}): PriorArtSearch {
  const wanted = [...new Set(terms(query))]
  const limit = options.limit ?? 10
  const corpus = wanted.length === 0 ? EMPTY_CORPUS : collect(records)
  const counter = wantedTermCounter(wanted)
  const candidates: Candidate[] = []
  const frequency = wanted.map(() => 0)
  return {
    size: corpus.size,
    scan(from, to) {
      for (let index = from; index < Math.min(to, corpus.size); index++) {
        const counts = counter(corpus.textAt(index))
        if (counts === undefined) continue
        candidates.push({ index, counts })
        for (let term = 0; term < counts.length; term++) if ((counts[term] ?? 0) > 0) frequency[term] = (frequency[term] ?? 0) + 1
      }
    },
    result: () => rank(query, candidates, frequency, corpus, records, options.scope, limit),
  }
}

/** A document holding at least one wanted term: its index and how often it holds each. */
interface Candidate {
  readonly index: number
  readonly counts: readonly number[]
}

function rank(query: string, candidates: readonly Candidate[], frequency: readonly number[], corpus: Corpus, records: PriorArtRecords, preferred: string | undefined, limit: number): PriorArtResult {
  if (candidates.length === 0) return { query, patterns: [], mistakes: [] }
  const documents = corpus.size
  const scopeOf = new Map(records.projects.map((project) => [project.path, project.profile?.scope]))
  const hits = candidates.map(({ index, counts }) => {
    let relevance = 0
    for (let term = 0; term < counts.length; term++) {
      const count = counts[term] ?? 0
      if (count > 0) relevance += (count / (count + 1.2)) * Math.log(1 + documents / (frequency[term] ?? 1))
    }
    const ranking = corpus.rankingAt(index)
    const scope: 'same' | 'other' = preferred !== undefined && preferred !== 'unknown' && scopeOf.get(ranking.project) === preferred ? 'same' : 'other'
    return { index, ranking, relevance, scope }
  })
  const order = (a: typeof hits[number], b: typeof hits[number]): number =>
    Number(a.scope === 'other') - Number(b.scope === 'other') || b.relevance - a.relevance || (a.ranking.at < b.ranking.at ? 1 : -1)
  const toHit = ({ index, relevance, scope }: typeof hits[number]): PriorArtHit => ({ ...corpus.documentAt(index), scope, relevance: Math.round(relevance * 1000) / 1000 })
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
 * Every record as a search sees it, by index (retrospectives, activities, commits without a
 * retrospective, bugs): its searchable text (task, notes, message, outcome — its fields apart by a
 * space, which no term or probe holds), what ranks it, and the document shown — each made only
 * when asked for, the last only for the hits returned.
 */
interface Corpus {
  readonly size: number
  textAt(index: number): string
  rankingAt(index: number): Ranking
  documentAt(index: number): Document
}

const EMPTY_CORPUS: Corpus = { size: 0, textAt: noDocument, rankingAt: noDocument, documentAt: noDocument }

function collect(records: PriorArtRecords): Corpus {
  // Pairs of strings (a setup or project, and a commit) are looked up through a map of maps,
  // without joining every pair into one new string.
  const retrospectiveCommits = pairMap(records.retrospectives, (r) => [r.setup, r.commit, true])
  const buggyCommits = pairMap(records.bugs, (b) => (b.commit === undefined ? undefined : [b.project, b.commit, true]))
  const messages = pairMap(records.commits, (c) => [c.project, c.hash, c.message])
  const buggy = (project: string, commit: string): boolean => buggyCommits.get(project)?.get(commit) === true
  const retrospectiveTitle = (r: RetrospectiveRecord): string => r.task ?? messages.get(r.project)?.get(r.commit) ?? r.commit
  const bugMessage = (b: BugRecord): string | undefined => (b.commit === undefined ? undefined : messages.get(b.project)?.get(b.commit))
  const commits = records.commits.filter((c) => retrospectiveCommits.get(c.setup)?.get(c.hash) !== true)
  const activitiesFrom = records.retrospectives.length
  const commitsFrom = activitiesFrom + records.activities.length
  const bugsFrom = commitsFrom + commits.length
  /** The record at an index, with its kind. */
  const recordAt = (index: number): KindedRecord => {
    if (index < activitiesFrom) return { kind: 'retrospective', record: nth(records.retrospectives, index) }
    if (index < commitsFrom) return { kind: 'activity', record: nth(records.activities, index - activitiesFrom) }
    if (index < bugsFrom) return { kind: 'commit', record: nth(commits, index - commitsFrom) }
    return { kind: 'bug', record: nth(records.bugs, index - bugsFrom) }
  }
  return {
    size: bugsFrom + records.bugs.length,
    // Asked of every document: the record is picked by its range, without the object `recordAt` makes.
    textAt(index) {
      if (index < activitiesFrom) {
        const x = nth(records.retrospectives, index)
        return `${retrospectiveTitle(x)} ${x.userNote ?? ''} ${x.agentNote ?? ''}${buggy(x.project, x.commit) ? ` ${BUGGY_NOTE}` : ''}`
      }
      if (index < commitsFrom) {
        const x = nth(records.activities, index - activitiesFrom)
        return `${x.task} ${x.actions} ${x.outcome} ${x.decisions}`
      }
      if (index < bugsFrom) {
        const x = nth(commits, index - commitsFrom)
        return `${x.message} ${x.task ?? ''}`
      }
      const x = nth(records.bugs, index - bugsFrom)
      return `${x.note ?? bugMessage(x) ?? 'bug'} ${bugMessage(x) ?? ''}`
    },
    rankingAt(index) {
      const { kind, record: x } = recordAt(index)
      switch (kind) {
        case 'retrospective': return { project: x.project, at: x.at, ...retrospectiveVerdict(x.userGrade, x.agentGrade, buggy(x.project, x.commit)) }
        case 'activity': return { project: x.project, at: x.at, verdict: FAILURE.test(x.outcome) ? 'mistake' : 'neutral', standing: UNGRADED }
        case 'commit': return { project: x.project, at: x.at, verdict: buggy(x.project, x.hash) ? 'mistake' : 'neutral', standing: UNGRADED }
        case 'bug': return { project: x.project, at: x.at, verdict: 'mistake', standing: UNGRADED }
      }
    },
    documentAt(index) {
      const { kind, record: x } = recordAt(index)
      switch (kind) {
        case 'retrospective': {
          const gradedBy = x.userGrade !== undefined ? 'user' : x.agentGrade !== undefined ? 'agent' : undefined
          const grade = x.userGrade ?? x.agentGrade
          const detail = [x.userNote, x.agentNote, buggy(x.project, x.commit) ? BUGGY_NOTE : undefined].filter((note) => note !== undefined).join(' · ')
          return {
            kind, setup: x.setup, project: x.project, at: x.at, title: retrospectiveTitle(x), detail,
            ...(grade === undefined ? {} : { grade }),
            ...(gradedBy === undefined ? {} : { gradedBy }),
          }
        }
        case 'activity': return { kind, setup: x.setup, project: x.project, at: x.at, title: x.task, detail: [x.actions, x.outcome, x.decisions].filter((part) => part !== '').join(' · ') }
        case 'commit': return { kind, setup: x.setup, project: x.project, at: x.at, title: x.message, detail: `commit ${x.hash.slice(0, 8)}` }
        case 'bug': {
          const message = bugMessage(x)
          return { kind, setup: x.setup, project: x.project, at: x.at, title: x.note ?? message ?? 'bug', detail: message ?? '' }
        }
      }
    },
  }
}

type KindedRecord =
  | { readonly kind: 'retrospective'; readonly record: RetrospectiveRecord }
  | { readonly kind: 'activity'; readonly record: ActivityRecord }
  | { readonly kind: 'commit'; readonly record: CommitRecord }
  | { readonly kind: 'bug'; readonly record: BugRecord }

/** Values by a pair of strings; of a pair given twice, the last value stays (as in a `Map` built from entries). */
function pairMap<T, V>(items: readonly T[], pairOf: (item: T) => readonly [string, string, V] | undefined): Map<string, Map<string, V>> {
  const map = new Map<string, Map<string, V>>()
  for (const item of items) {
    const pair = pairOf(item)
    if (pair === undefined) continue
    const [first, second, value] = pair
    let inner = map.get(first)
    if (inner === undefined) map.set(first, (inner = new Map<string, V>()))
    inner.set(second, value)
  }
  return map
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

/** Lower-case word stems, without stopwords. */
export function terms(text: string): string[] {
  return (text.toLowerCase().match(WORDS) ?? [])
    .filter((word) => word.length > 1 && !STOPWORDS.has(word))
    .map(stem)
}

const WORDS = /[\p{L}\p{N}]+/gu

/**
 * How often a text holds each wanted term (in `wanted`'s order), or undefined when it holds none —
 * what `terms` would find, without cutting every word out of every text. A stem only shortens or
 * swaps a word's end, so a word can stem to a wanted term only when it starts with that term less
 * its last letter (its probe): in ASCII text (its words runs of `a`–`z` and `0`–`9` once
 * lower-cased) one regular expression finds just the words that start with a probe; other text is
 * cut into words as `terms` cuts it, once it holds a probe at all.
 */
function wantedTermCounter(wanted: readonly string[]): (text: string) => number[] | undefined {
  const indexOf = new Map(wanted.map((term, index) => [term, index]))
  const probes = wanted.map((term) => (term.length > 2 ? term.slice(0, -1) : term))
  // Probes are runs of letters and digits: an ASCII one needs no escaping, and ASCII text cannot hold any other.
  const asciiProbes = probes.filter((probe) => /^[a-z0-9]+$/.test(probe))
  const probed = asciiProbes.length === 0 ? undefined : probedWords(asciiProbes)
  // Runs once per document searched, most of which hold no wanted term: nothing is allocated for those.
  return (text) => {
    const lower = text.toLowerCase()
    let words: readonly string[]
    if (NON_ASCII.test(lower)) {
      if (!probes.some((probe) => lower.includes(probe))) return undefined
      words = lower.match(WORDS) ?? NO_WORDS
    } else if (probed !== undefined) {
      words = probed(lower)
    } else {
      return undefined
    }
    let counts: number[] | undefined
    for (const word of words) {
      const term = word.length < 2 || STOPWORDS.has(word) ? undefined : indexOf.get(stem(word))
      if (term === undefined) continue
      counts ??= wanted.map(() => 0)
      counts[term] = (counts[term] ?? 0) + 1
    }
    return counts
  }
}

const NO_WORDS: readonly string[] = []

/**
 * The words of a lower-cased ASCII text that start with one of `probes`: found by one regular
 * expression for a query of everyday size, else (a pasted blob: V8 refuses, when first used, a
 * regular expression that large) by looking each word's starts up among the probes, which takes as
 * long whatever the query's size.
 */
function probedWords(probes: readonly string[]): (lower: string) => readonly string[] {
  const pattern = `(?<![a-z0-9])(?:${probes.join('|')})[a-z0-9]*`
  if (pattern.length <= MAX_PROBE_PATTERN) {
    const probed = new RegExp(pattern, 'g')
    return (lower) => lower.match(probed) ?? NO_WORDS
  }
  const known = new Set(probes)
  const lengths = [...new Set(probes.map((probe) => probe.length))].sort((a, b) => a - b)
  return (lower) => (lower.match(ASCII_WORDS) ?? []).filter((word) => lengths.some((length) => length <= word.length && known.has(word.slice(0, length))))
}

/** The longest probe pattern built into one regular expression: far below what V8 refuses (a 32 K-character word). */
const MAX_PROBE_PATTERN = 8_192

const ASCII_WORDS = /[a-z0-9]+/g

const NON_ASCII = /[\u0080-\uffff]/

function stem(word: string): string {
  if (word.length > 4 && (word.endsWith('ies') || word.endsWith('ied'))) return `${word.slice(0, -3)}y`
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3)
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2)
  if (word.length > 4 && word.endsWith('es')) return word.slice(0, -2)
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1)
  return word
}
