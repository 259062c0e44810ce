import { createHash } from 'node:crypto'
import type { Fact } from '@agent-tracker/core'

/**
 * The ids of the facts of one input that name none. A fact's id is derived from what it says and
 * from how many identical facts came before it in the input, never from where its line is: a line
 * number changed whenever a line before it was removed, added or fixed, and the same facts
 * ingested again were stored again as new ones. So the same input ingested again — corrected,
 * with lines added anywhere, reordered, or written out again with other spacing, key order or time
 * zones — stores nothing twice, while two identical lines in one input (two equal calls within a
 * second) stay two events: the second identical fact is the second however the input changes.
 *
 * What the fact says is the fact as it will be stored, in a canonical form (see
 * {@link canonicalJson}), without its id and without a time the line did not give (that is the
 * time of the run, and would make every run's facts new). A grade's channel and `vouched` are
 * part of it: a grade vouched for (`ingest --trust`) is another fact than the same line's
 * uncounted grade, as a `grade --trust` after an uncounted `grade` is.
 */
export class InputFactIds {
  /**
   * How many facts of each content were given an id: one entry per distinct fact of the input, kept
   * to its end. Keyed by the first 128 bits of the content's digest, one character a byte (as
   * unique as a UUID): about 60 bytes a fact, where the digest's hex took 110.
   */
  readonly #seen = new Map<string, number>()

  /**
   * For each id a line names: the first 8 bytes of the digest of what that line's fact says (one
   * character a byte), then the line's number — one short string an id, as inputs run to millions
   * of lines.
   */
  readonly #named = new Map<string, string>()

  /** {@link #seen} for the contents of such facts with their project and setup as spelt: what an earlier release derived ids from. */
  readonly #speltSeen = new Map<string, number>()

  /** The id of the next fact without one; `timed` when its line gave its time (`at`). */
  idOf(fact: Fact, timed: boolean): string {
    return this.idsOf(fact, fact, timed).id
  }

  /**
   * The id of the next fact without one, its project and setup as stored (see core's
   * `normalProjectPath` and `normalSetupId`), and — where it differs — the id an earlier release
   * gave the same line, derived from its project and setup as the line spelt them (`spelt`) and
   * counted among the lines spelt so. A line stored under either id is the same fact: a line sent
   * again with its path spelt another way (`/w/app/`, `/w/x/../app`) is a repeat, and so is a line
   * an earlier release stored (with its setup id decomposed, as one stored it then).
   */
  idsOf(fact: Fact, spelt: SpeltAs, timed: boolean): { readonly id: string; readonly earlier?: string } {
    const content = contentOf(fact, timed)
    const key = content.toString('latin1', 0, 16)
    const occurrence = (this.#seen.get(key) ?? 0) + 1
    this.#seen.set(key, occurrence)
    const id = idOfContent(content, occurrence)
    // A line spelt as stored had the same id from an earlier release — but for its count among the
    // lines spelt so, which an input that spells the path both ways makes smaller: that id is then
    // the one this run gives an earlier line of the same fact, and cannot tell the two apart. So
    // such a line is a repeat by its own id only (see docs: ingest).
    if (spelt.project === fact.project && spelt.setup === fact.setup) return { id }
    const speltContent = contentOf({ ...fact, project: spelt.project, setup: spelt.setup }, timed)
    const speltKey = speltContent.toString('latin1', 0, 16)
    const speltOccurrence = (this.#speltSeen.get(speltKey) ?? 0) + 1
    this.#speltSeen.set(speltKey, speltOccurrence)
    return { id, earlier: idOfContent(speltContent, speltOccurrence) }
  }

  /**
   * Notes the id a line (`line`) gives its fact, and returns the earlier line that gave the same id
   * to a different fact, if one did: the store would take the second for a repeat of the first and
   * drop it without a word. The same fact again under its id is a repeat, as the store says.
   */
  clashOf(fact: Fact, timed: boolean, line: number): number | undefined {
    const content = contentOf(fact, timed).toString('latin1', 0, 8)
    const earlier = this.#named.get(fact.id)
    if (earlier === undefined) {
      this.#named.set(fact.id, `${content}${String(line)}`)
      return undefined
    }
    return earlier.startsWith(content) ? undefined : Number(earlier.slice(8))
  }
}

/** A fact's project and setup as its line spelt them, before they were written as stored. */
export interface SpeltAs {
  readonly project: string
  readonly setup: string
}

/** The id of the `occurrence`th fact of one content in an input. */
function idOfContent(content: Buffer, occurrence: number): string {
  return `ingest:${createHash('sha256').update(content).update(`\n${String(occurrence)}`).digest('hex').slice(0, 40)}`
}

/** The digest of what a fact says: without its id, and without a time its line did not give (see {@link InputFactIds}). */
function contentOf(fact: Fact, timed: boolean): Buffer {
  const { id: _id, at, ...said } = fact
  return createHash('sha256').update(canonicalJson(timed ? { ...said, at } : said)).digest()
}

/**
 * JSON with every object's keys in one order (by UTF-16 code units), so that the same data gives
 * the same text whatever order its keys came in. Objects are rebuilt with `Object.fromEntries`,
 * which makes a key "__proto__" a key like any other.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return item
    return Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  })
}
