import { TrackerError } from '../errors.js'
import type { EvidenceVerdict, Fact } from '../facts/facts.js'
import { confirmedBugFactId, verdictFactId } from '../evidence/evidence-ids.js'
import { evidenceRecord } from '../planning/plan-evidence.js'
import type { EvidenceSummary } from '../evidence/evidence-summary.js'
import { evidenceHandle, summariseEvidence } from '../evidence/evidence-summary.js'
import type { EvidenceRecord, EvidenceStatus } from '../store/records.js'
import type { EvidenceSignal } from '../facts/facts.js'
import type { TrackerStore } from '../store/tracker-store.js'
import type { SetupFilter } from '../reports/setup-filter.js'
import { matchesSetupFilter } from '../reports/setup-filter.js'

/** Which evidence to list. */
export interface EvidenceQuery {
  readonly setup?: string
  readonly project?: string
  readonly signal?: EvidenceSignal
  readonly status?: EvidenceStatus
}

/** Evidence records matching the query, newest first. */
export async function listEvidence(store: TrackerStore, query: EvidenceQuery = {}): Promise<EvidenceRecord[]> {
  const records = await store.find('evidence', {
    ...(query.setup === undefined ? {} : { setup: query.setup }),
    ...(query.project === undefined ? {} : { project: query.project }),
  })
  return records.filter((record) => (query.signal === undefined || record.signal === query.signal) && (query.status === undefined || record.status === query.status))
}

/**
 * One piece of evidence by its id or its handle (`<commit>-<source>` prefixes, as listed).
 * @throws {TrackerError} UNKNOWN_EVIDENCE; OTHER_SETUP_EVIDENCE when `query.setup` is given and the
 * evidence is another setup's, naming that one; or AMBIGUOUS_EVIDENCE naming the candidates.
 */
export async function findEvidence(store: TrackerStore, idOrHandle: string, query: EvidenceQuery = {}): Promise<EvidenceRecord> {
  const wanted = idOrHandle.trim()
  const matches = matchingEvidence(await listEvidence(store, query), wanted)
  const only = matches[0]
  if (matches.length === 1 && only !== undefined) return only
  if (matches.length === 0) {
    const { setup, ...anySetup } = query
    const others = setup === undefined ? [] : matchingEvidence(await listEvidence(store, anySetup), wanted)
    const owners = [...new Set(others.map((record) => record.setup))]
    if (owners.length > 0) {
      throw new TrackerError('OTHER_SETUP_EVIDENCE', `Evidence "${wanted}" belongs to ${owners.join(', ')}, not ${setup ?? ''}: give ${owners.length === 1 ? 'that setup' : 'one of those setups'} instead, or none.`)
    }
    throw new TrackerError('UNKNOWN_EVIDENCE', `No evidence "${wanted}": give an id or a handle like a1b2c3d-9f8e7d6 (the agent commit and the fix) as agent-tracker evidence lists them.`)
  }
  throw new TrackerError('AMBIGUOUS_EVIDENCE', `"${wanted}" names ${String(matches.length)} pieces of evidence: ${matches.slice(0, 5).map(evidenceHandle).join(', ')}. Give more of the hashes.`)
}

/** The records `wanted` names: the one of that id, else those its handle's prefixes match. */
function matchingEvidence(records: readonly EvidenceRecord[], wanted: string): EvidenceRecord[] {
  const exact = records.find((record) => record.id === wanted)
  if (exact !== undefined) return [exact]
  // A handle's hashes in capitals are the same hashes (git reads hex in either case).
  const [commit = '', source = ''] = wanted.toLowerCase().split('-')
  return commit.length < 4 ? [] : records.filter((record) => {
    const handle = evidenceHandle(record).split('-')
    return record.commit.startsWith(commit) && (source === '' || (record.signal === 'survival' ? handle[1] === source : record.source.startsWith(source)))
  })
}

/**
 * The facts that record a verdict on a suspected bug: the verdict, and for a confirmation the
 * user's bug against the commit (SP −1). Their ids derive from the evidence's, so giving the same
 * verdict again records nothing.
 * @throws {TrackerError} INVALID_FACT when the evidence is not a suspected bug, or was confirmed already and is being dismissed.
 */
export function verdictFacts(record: EvidenceRecord, verdict: Exclude<EvidenceVerdict, 'retracted'>, at: string, note?: string): Fact[] {
  if (record.signal !== 'suspected-bug') throw new TrackerError('INVALID_FACT', `Only suspected bugs are confirmed or dismissed; ${evidenceHandle(record)} is ${record.signal} evidence.`)
  if (record.status === 'confirmed' && verdict === 'dismissed') throw new TrackerError('INVALID_FACT', `${evidenceHandle(record)} was confirmed as a bug already; a confirmed bug stays.`)
  const base = { at, setup: record.setup, project: record.project }
  const verdictFact: Fact = { ...base, id: verdictFactId(record.id, verdict), kind: 'verdict', evidence: record.id, verdict, ...(note === undefined ? {} : { note }) }
  if (verdict === 'dismissed') return [verdictFact]
  const text = note ?? `confirmed suspected bug: ${[record.source.slice(0, 7), record.subject, 'fixed lines of it'].filter((part) => part !== undefined && part !== '').join(' ')}`
  return [verdictFact, { ...base, id: confirmedBugFactId(record.id), kind: 'bug', by: 'user', commit: record.commit, note: text }]
}

/** What {@link bugsOfConfirmations} found for a batch of facts, by position in it. */
export interface ConfirmationBugs {
  /** The bug each confirmation brings, to be written right after it. */
  readonly bugs: ReadonlyMap<number, Fact>
  /** Confirmations refused, and why: their evidence is no suspected bug. */
  readonly refused: ReadonlyMap<number, string>
}

/**
 * The user's bug each confirming verdict among `facts` brings (see {@link verdictFacts}), for a
 * writer of facts from elsewhere (`ingest`): a confirmation recorded there counts as `bug
 * --confirm` counts it — the bug's id derives from the evidence's, so a confirmation given again,
 * here or by `bug --confirm`, counts one bug. The evidence is looked for among the facts before the
 * verdict, then in the store; a verdict on evidence found in neither brings no bug (the store skips
 * such a verdict, saying why).
 */
export async function bugsOfConfirmations(store: Pick<TrackerStore, 'get'>, facts: readonly Fact[]): Promise<ConfirmationBugs> {
  const given = new Map<string, EvidenceRecord>()
  const bugs = new Map<number, Fact>()
  const refused = new Map<number, string>()
  for (const [index, fact] of facts.entries()) {
    if (fact.kind === 'evidence') {
      given.set(`${fact.setup}\u0000${fact.id}`, evidenceRecord(fact))
      continue
    }
    if (fact.kind !== 'verdict' || fact.verdict !== 'confirmed') continue
    const record = given.get(`${fact.setup}\u0000${fact.evidence}`) ?? (await store.get('evidence', [fact.setup, fact.evidence]))
    if (record === undefined) continue
    try {
      const [, bug] = verdictFacts(record, 'confirmed', fact.at, fact.note)
      if (bug !== undefined) bugs.set(index, bug)
    } catch (error) {
      refused.set(index, error instanceof Error ? error.message : String(error))
    }
  }
  return { bugs, refused }
}

/**
 * Evidence per setup (see `summariseEvidence`), in the scanned projects (or one of them), for the
 * setups the filter passes: the sample is each setup's tracked commits in those projects. A project
 * counts as scanned when this database scanned it, or when it holds evidence (scanned elsewhere:
 * a team database has the evidence its members synced, not their scans).
 */
export async function evidenceSummaries(store: TrackerStore, query: SetupFilter & { readonly project?: string | undefined } = {}): Promise<EvidenceSummary[]> {
  // Which projects were scanned does not depend on the setups asked about: every setup's evidence says so.
  const inProjects = await listEvidence(store, query.project === undefined ? {} : { project: query.project })
  const records = query.setup === undefined ? inProjects : inProjects.filter((record) => record.setup === query.setup)
  const scans = (await store.listMigrations()).filter((record) => record.kind === 'evidence-scan' && (query.project === undefined || record.source === query.project))
  const scanned = new Set([...scans.map((record) => record.source), ...inProjects.map((record) => record.project)])
  const commits = new Map<string, number>()
  for (const project of scanned) {
    for (const ref of await store.findCommitRefs({ project, order: 'any', ...(query.setup === undefined ? {} : { setup: query.setup }) })) {
      commits.set(ref.setup, (commits.get(ref.setup) ?? 0) + 1)
    }
  }
  return summariseEvidence(records, commits).filter((summary) => matchesSetupFilter(summary.setup, query))
}
