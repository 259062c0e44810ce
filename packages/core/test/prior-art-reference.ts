// The prior-art search written the plain way — every record made a document, every document cut
// into its terms — kept as the oracle the faster `searchPriorArt` must agree with hit for hit.
import type { Grade } from '../src/facts/grade.js'
import type { PriorArtHit, PriorArtOptions, PriorArtRecords, PriorArtResult } from '../src/projects/prior-art.js'
import { terms } from '../src/projects/prior-art.js'

interface Document extends Omit<PriorArtHit, 'scope' | 'relevance'> {
  readonly verdict: 'positive' | 'neutral' | 'mistake'
  readonly standing: number
  /** Its terms, once per time it holds each. */
  readonly words: readonly string[]
}

const FAILURE = /\b(fail(ed|s|ure)?|broke|broken|revert(ed)?|regress(ion|ed)?|wrong|crash(ed)?)\b/i
const UNGRADED = 3

/** `searchPriorArt` as first written: the same ranking, by tokenising every document. */
export function searchPriorArtReference(query: string, records: PriorArtRecords, options: PriorArtOptions = {}): PriorArtResult {
  const wanted = [...new Set(terms(query))]
  const limit = options.limit ?? 10
  if (wanted.length === 0) return { query, patterns: [], mistakes: [] }
  const documents = collect(records)
  const candidates = documents.map((document) => ({ document, found: document.words }))
  const frequency = new Map<string, number>()
  for (const { found } of candidates) for (const term of new Set(found)) if (wanted.includes(term)) frequency.set(term, (frequency.get(term) ?? 0) + 1)
  const scopeOf = new Map(records.projects.map((project) => [project.path, project.profile?.scope]))
  const preferred = options.scope
  const hits = candidates
    .map(({ document, found }) => {
      let relevance = 0
      for (const term of wanted) {
        const count = found.filter((t) => t === term).length
        if (count > 0) relevance += (count / (count + 1.2)) * Math.log(1 + documents.length / (frequency.get(term) ?? 1))
      }
      const scope: 'same' | 'other' = document.project === options.project || (preferred !== undefined && preferred !== 'unknown' && scopeOf.get(document.project) === preferred) ? 'same' : 'other'
      return { document, relevance, scope }
    })
    .filter((hit) => hit.relevance > 0)
  const order = (a: typeof hits[number], b: typeof hits[number]): number =>
    Number(a.scope === 'other') - Number(b.scope === 'other') || b.relevance - a.relevance || (a.document.at < b.document.at ? 1 : -1)
  const toHit = ({ document, relevance, scope }: typeof hits[number]): PriorArtHit => {
    const { verdict: _verdict, standing: _standing, words: _words, ...rest } = document
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
  const commitOf = new Map(records.commits.map((c) => [`${c.project}\u0000${c.hash}`, c]))
  const messageOf = new Map([...commitOf].map(([link, c]) => [link, c.message]))
  const documents: Document[] = []
  for (const r of records.retrospectives) {
    const gradedBy = r.userGrade !== undefined ? 'user' : r.agentGrade !== undefined ? 'agent' : undefined
    const grade = r.userGrade ?? r.agentGrade
    const buggy = buggyCommits.has(`${r.project}\u0000${r.commit}`)
    const commit = commitOf.get(`${r.project}\u0000${r.commit}`)
    const title = r.task ?? commit?.message ?? r.commit
    const detail = [commit === undefined || commit.message === title || commit.message === '' ? undefined : commit.message, r.userNote, r.agentNote, buggy ? 'a bug was reported against this commit' : undefined].filter((note) => note !== undefined).join(' · ')
    // It stands for its commit: its task's words (else its commit's hash, without the commit), and its
    // commit's message's and task's, each as often as the one holding it most; then its notes.
    const titleWords = commit === undefined ? terms(r.task ?? r.commit) : most(terms(r.task ?? ''), terms(commit.message), terms(commit.task ?? ''))
    documents.push({
      kind: 'retrospective', setup: r.setup, project: r.project, at: r.at, title, detail,
      ...(grade === undefined ? {} : { grade }),
      ...(gradedBy === undefined ? {} : { gradedBy }),
      ...verdictOf(r.userGrade, r.agentGrade, buggy),
      words: [...titleWords, ...terms(`${r.userNote ?? ''} ${r.agentNote ?? ''}`), ...(buggy ? terms('a bug was reported against this commit') : [])],
    })
  }
  for (const a of records.activities) {
    const detail = [a.actions, a.outcome, a.decisions].filter((part) => part !== '').join(' · ')
    documents.push({ kind: 'activity', setup: a.setup, project: a.project, at: a.at, title: a.task, detail, verdict: FAILURE.test(a.outcome) ? 'mistake' : 'neutral', standing: UNGRADED, words: terms(`${a.task} ${detail}`) })
  }
  for (const c of records.commits) {
    if (retrospectiveCommits.has(`${c.setup}\u0000${c.hash}`)) continue
    const buggy = buggyCommits.has(`${c.project}\u0000${c.hash}`)
    documents.push({ kind: 'commit', setup: c.setup, project: c.project, at: c.at, title: c.message, detail: `commit ${c.hash.slice(0, 8)}`, verdict: buggy ? 'mistake' : 'neutral', standing: UNGRADED, words: terms(`${c.message} ${c.task ?? ''}`) })
  }
  for (const b of records.bugs) {
    const message = b.commit === undefined ? undefined : messageOf.get(`${b.project}\u0000${b.commit}`)
    const title = b.note ?? message ?? 'bug'
    documents.push({ kind: 'bug', setup: b.setup, project: b.project, at: b.at, title, detail: message ?? '', verdict: 'mistake', standing: UNGRADED, words: terms(`${title} ${message ?? ''}`) })
  }
  return documents
}

/** The words of several texts, each as often as the text holding it most holds it. */
function most(...texts: readonly (readonly string[])[]): string[] {
  const counts = new Map<string, number>()
  for (const words of texts) {
    const here = new Map<string, number>()
    for (const word of words) here.set(word, (here.get(word) ?? 0) + 1)
    for (const [word, count] of here) counts.set(word, Math.max(counts.get(word) ?? 0, count))
  }
  return [...counts].flatMap(([word, count]) => Array.from({ length: count }, () => word))
}

function verdictOf(userGrade: Grade | undefined, agentGrade: Grade | undefined, buggy: boolean): Pick<Document, 'verdict' | 'standing'> {
  if (buggy) return { verdict: 'mistake', standing: UNGRADED }
  if (userGrade !== undefined) return userGrade >= 2 ? { verdict: 'positive', standing: 0 } : userGrade < 0 ? { verdict: 'mistake', standing: UNGRADED } : { verdict: 'neutral', standing: 1 }
  if (agentGrade !== undefined) return agentGrade < 0 ? { verdict: 'mistake', standing: UNGRADED } : { verdict: 'neutral', standing: 2 }
  return { verdict: 'neutral', standing: UNGRADED }
}
