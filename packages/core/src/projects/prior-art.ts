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

interface Document extends Omit<PriorArtHit, 'scope' | 'relevance'> {
  readonly verdict: 'positive' | 'neutral' | 'mistake'
  /** Order among patterns: user-graded good work, then user-graded neutral, self-graded, ungraded. */
  readonly standing: number
  /** The words it is found by: task, notes, message, outcome. */
  readonly text: string
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
  const documents = wanted.length === 0 ? [] : collect(records)
  // A document holding a wanted term holds the term less its last letter (stems only shorten or
  // swap the end): documents without any such probe need no tokenising.
  const probes = wanted.map((term) => (term.length > 2 ? term.slice(0, -1) : term))
  const candidates: { document: Document; terms: readonly string[] }[] = []
  const frequency = new Map<string, number>()
  return {
    size: documents.length,
    scan(from, to) {
      for (let index = from; index < Math.min(to, documents.length); index++) {
        const document = documents[index]
        if (document === undefined) continue
        const lower = document.text.toLowerCase()
        if (!probes.some((probe) => lower.includes(probe))) continue
        const found = terms(document.text)
        candidates.push({ document, terms: found })
        for (const term of new Set(found)) if (wanted.includes(term)) frequency.set(term, (frequency.get(term) ?? 0) + 1)
      }
    },
    result: () => rank(query, wanted, candidates, frequency, documents.length, records, options.scope, limit),
  }
}

function rank(query: string, wanted: readonly string[], candidates: readonly { document: Document; terms: readonly string[] }[], frequency: ReadonlyMap<string, number>, documents: number, records: PriorArtRecords, preferred: string | undefined, limit: number): PriorArtResult {
  if (wanted.length === 0) return { query, patterns: [], mistakes: [] }
  const scopeOf = new Map(records.projects.map((project) => [project.path, project.profile?.scope]))
  const hits = candidates
    .map(({ document, terms: found }) => {
      let relevance = 0
      for (const term of wanted) {
        const count = found.filter((t) => t === term).length
        if (count > 0) relevance += (count / (count + 1.2)) * Math.log(1 + documents / (frequency.get(term) ?? 1))
      }
      const scope: 'same' | 'other' = preferred !== undefined && preferred !== 'unknown' && scopeOf.get(document.project) === preferred ? 'same' : 'other'
      return { document, relevance, scope }
    })
    .filter((hit) => hit.relevance > 0)
  const order = (a: typeof hits[number], b: typeof hits[number]): number =>
    Number(a.scope === 'other') - Number(b.scope === 'other') || b.relevance - a.relevance || (a.document.at < b.document.at ? 1 : -1)
  const toHit = ({ document, relevance, scope }: typeof hits[number]): PriorArtHit => {
    const { verdict: _verdict, standing: _standing, text: _text, ...rest } = document
    return { ...rest, scope, relevance: Math.round(relevance * 1000) / 1000 }
  }
  return {
    query,
    patterns: hits
      .filter((hit) => hit.document.verdict !== 'mistake')
      .sort((a, b) => Number(a.scope === 'other') - Number(b.scope === 'other') || a.document.standing - b.document.standing || order(a, b))
      .slice(0, limit)
      .map(toHit),
    mistakes: hits.filter((hit) => hit.document.verdict === 'mistake').sort(order).slice(0, limit).map(toHit),
  }
}

function collect(records: PriorArtRecords): Document[] {
  const retrospectiveCommits = new Set(records.retrospectives.map((r) => `${r.setup}\u0000${r.commit}`))
  const buggyCommits = new Set(records.bugs.flatMap((b) => (b.commit === undefined ? [] : [`${b.project}\u0000${b.commit}`])))
  const messageOf = new Map(records.commits.map((c) => [`${c.project}\u0000${c.hash}`, c.message]))
  const documents: Document[] = []
  for (const r of records.retrospectives) {
    const gradedBy = r.userGrade !== undefined ? 'user' : r.agentGrade !== undefined ? 'agent' : undefined
    const grade = r.userGrade ?? r.agentGrade
    const buggy = buggyCommits.has(`${r.project}\u0000${r.commit}`)
    const detail = [r.userNote, r.agentNote, buggy ? 'a bug was reported against this commit' : undefined].filter((note) => note !== undefined).join(' · ')
    const title = r.task ?? messageOf.get(`${r.project}\u0000${r.commit}`) ?? r.commit
    documents.push({
      kind: 'retrospective', setup: r.setup, project: r.project, at: r.at, title, detail,
      ...(grade === undefined ? {} : { grade }),
      ...(gradedBy === undefined ? {} : { gradedBy }),
      ...retrospectiveVerdict(r.userGrade, r.agentGrade, buggy),
      text: `${title} ${detail}`,
    })
  }
  for (const a of records.activities) {
    const detail = [a.actions, a.outcome, a.decisions].filter((part) => part !== '').join(' · ')
    documents.push({ kind: 'activity', setup: a.setup, project: a.project, at: a.at, title: a.task, detail, verdict: FAILURE.test(a.outcome) ? 'mistake' : 'neutral', standing: UNGRADED, text: `${a.task} ${detail}` })
  }
  for (const c of records.commits) {
    if (retrospectiveCommits.has(`${c.setup}\u0000${c.hash}`)) continue
    const buggy = buggyCommits.has(`${c.project}\u0000${c.hash}`)
    documents.push({ kind: 'commit', setup: c.setup, project: c.project, at: c.at, title: c.message, detail: c.hash, verdict: buggy ? 'mistake' : 'neutral', standing: UNGRADED, text: `${c.message} ${c.task ?? ''}` })
  }
  for (const b of records.bugs) {
    const message = b.commit === undefined ? undefined : messageOf.get(`${b.project}\u0000${b.commit}`)
    const title = b.note ?? message ?? 'bug'
    documents.push({ kind: 'bug', setup: b.setup, project: b.project, at: b.at, title, detail: message ?? '', verdict: 'mistake', standing: UNGRADED, text: `${title} ${message ?? ''}` })
  }
  return documents
}

const UNGRADED = 3

/** A user grade decides; a self-grade alone is weaker evidence; a reported bug makes it a mistake. */
function retrospectiveVerdict(userGrade: Grade | undefined, agentGrade: Grade | undefined, buggy: boolean): Pick<Document, 'verdict' | 'standing'> {
  if (buggy) return { verdict: 'mistake', standing: UNGRADED }
  if (userGrade !== undefined) return userGrade >= 2 ? { verdict: 'positive', standing: 0 } : userGrade < 0 ? { verdict: 'mistake', standing: UNGRADED } : { verdict: 'neutral', standing: 1 }
  if (agentGrade !== undefined) return agentGrade < 0 ? { verdict: 'mistake', standing: UNGRADED } : { verdict: 'neutral', standing: 2 }
  return { verdict: 'neutral', standing: UNGRADED }
}

/** Lower-case word stems, without stopwords. */
export function terms(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])
    .filter((word) => word.length > 1 && !STOPWORDS.has(word))
    .map(stem)
}

function stem(word: string): string {
  if (word.length > 4 && (word.endsWith('ies') || word.endsWith('ied'))) return `${word.slice(0, -3)}y`
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3)
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2)
  if (word.length > 4 && word.endsWith('es')) return word.slice(0, -2)
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1)
  return word
}
