import type { Mutable } from '../mutable.js'
import type { CollectionRecords, CommitRecord } from '../store/records.js'
import type { TrackerStore } from '../store/tracker-store.js'
import { COMMIT_HASH_DIGITS } from './host-facts.js'
import { compareText } from '../text/compare-text.js'

/** The collections whose records name a commit: retrospectives and grade events always, bugs when they name one. */
export type CommitNamingCollection = 'retrospectives' | 'gradeEvents' | 'bugs'

/**
 * The recorded commit a dangling reference most likely means: `amended`, the one that replaced it
 * with `git commit --amend`; `abbreviated`, one whose hash the reference is a short form of;
 * `recorded-abbreviated`, one recorded under a short form of the reference's hash.
 */
export interface LikelyCommit {
  readonly hash: string
  readonly because: 'amended' | 'abbreviated' | 'recorded-abbreviated'
}

/** Records of one kind and setup that name one commit of their project that no commit record holds. */
export interface DanglingCommitReference {
  readonly kind: CommitNamingCollection
  readonly project: string
  readonly setup: string
  readonly commit: string
  /** How many such records. */
  readonly records: number
  readonly likely?: LikelyCommit
}

/** What {@link DanglingCommitCheck} found. */
export interface DanglingCommits {
  /** Records checked: every retrospective and grade event, and every bug that names a commit. */
  readonly checked: number
  /** Records of each kind that name a commit no commit record of their project holds. */
  readonly records: Readonly<Record<CommitNamingCollection, number>>
  /** Those records by kind, project, setup and commit; at most {@link DANGLING_LISTED} of them, the rest counted in `unlisted`. */
  readonly references: readonly DanglingCommitReference[]
  /** Records counted above that no listed reference holds (their reference came after the list was full). */
  readonly unlisted: number
}

/** References a check lists at most: what it keeps in memory grows with them, not with the database. */
export const DANGLING_LISTED = 10_000

/** Commit lookups remembered, so that the grades and bugs of one commit read it once. */
const REMEMBERED_LOOKUPS = 4096

/**
 * Finds records that name a commit (a retrospective, a grade event, a bug with a commit) that no
 * commit record of their project holds, fed one record at a time: each reference costs one
 * lookup of its commit, and memory grows with what dangles only. Commits fed after every
 * reference (see {@link commit}) tell which one replaced a named commit by an amend; `result` then
 * looks for a commit whose hash the named one abbreviates, or that abbreviates it.
 */
export class DanglingCommitCheck {
  readonly #store: Pick<TrackerStore, 'get' | 'findCommitRefs'>
  readonly #records: Record<CommitNamingCollection, number> = { retrospectives: 0, gradeEvents: 0, bugs: 0 }
  readonly #listed = new Map<string, Mutable<DanglingCommitReference>>()
  /** Each dangling commit (project and hash) listed, and the recorded commit it likely is, once known. */
  readonly #named = new Map<string, LikelyCommit | undefined>()
  readonly #held = new Map<string, boolean>()
  #checked = 0
  #unlisted = 0

  constructor(store: Pick<TrackerStore, 'get' | 'findCommitRefs'>) {
    this.#store = store
  }

  /** Looks up the commit a record names; counts and lists the record when none is recorded in its project. */
  async reference<C extends CommitNamingCollection>(kind: C, record: CollectionRecords[C]): Promise<void> {
    const { project, setup, commit } = record
    if (commit === undefined) return
    this.#checked += 1
    const pair = slotOf(project, commit)
    if (!this.#named.has(pair) && await this.#isRecorded(pair, project, commit)) return
    this.#records[kind] += 1
    const slot = `${kind}\u0000${setup}\u0000${pair}`
    const listed = this.#listed.get(slot)
    if (listed !== undefined) {
      listed.records += 1
    } else if (this.#listed.size < DANGLING_LISTED) {
      this.#listed.set(slot, { kind, project, setup, commit, records: 1 })
      if (!this.#named.has(pair)) this.#named.set(pair, undefined)
    } else {
      this.#unlisted += 1
    }
  }

  /** A commit record, fed after every reference: one that amended a listed dangling commit is what it likely means. */
  commit(record: CommitRecord): void {
    if (record.amends === undefined) return
    const pair = slotOf(record.project, record.amends)
    if (this.#named.has(pair)) this.#named.set(pair, { hash: record.hash, because: 'amended' })
  }

  /** What dangles, each reference with the commit it likely means where one is found; ordered by project, setup, commit and kind. */
  async result(): Promise<DanglingCommits> {
    for (const [pair, likely] of this.#named) {
      if (likely !== undefined) continue
      const [project = '', commit = ''] = pair.split('\u0000')
      this.#named.set(pair, await this.#abbreviation(project, commit))
    }
    const references = [...this.#listed.values()].map((reference): DanglingCommitReference => {
      const likely = this.#named.get(slotOf(reference.project, reference.commit))
      return likely === undefined ? reference : { ...reference, likely }
    })
    references.sort((a, b) => compareText(a.project, b.project) || compareText(a.setup, b.setup) || compareText(a.commit, b.commit) || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind))
    return { checked: this.#checked, records: { ...this.#records }, references, unlisted: this.#unlisted }
  }

  async #isRecorded(pair: string, project: string, commit: string): Promise<boolean> {
    const known = this.#held.get(pair)
    if (known !== undefined) return known
    const held = (await this.#store.get('commits', [project, commit])) !== undefined
    if (this.#held.size >= REMEMBERED_LOOKUPS) this.#held.clear()
    this.#held.set(pair, held)
    return held
  }

  /** The one commit of the project whose hash starts with `commit`, else the longest recorded short form of `commit`. */
  async #abbreviation(project: string, commit: string): Promise<LikelyCommit | undefined> {
    if (commit.length >= COMMIT_HASH_DIGITS.min) {
      const longer = await this.#store.findCommitRefs({ project, hashPrefix: commit, order: 'any', limit: 2 })
      if (longer.length === 1 && longer[0] !== undefined) return { hash: longer[0].hash, because: 'abbreviated' }
    }
    for (let length = commit.length - 1; length >= COMMIT_HASH_DIGITS.min; length--) {
      const shorter = commit.slice(0, length)
      if ((await this.#store.get('commits', [project, shorter])) !== undefined) return { hash: shorter, because: 'recorded-abbreviated' }
    }
    return undefined
  }
}

const KIND_ORDER: readonly CommitNamingCollection[] = ['retrospectives', 'gradeEvents', 'bugs']

function slotOf(project: string, commit: string): string {
  return `${project}\u0000${commit}`
}
