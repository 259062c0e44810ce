import type { CollectionName, CollectionRecords, RecordKey, RecordQuery } from '@agent-tracker/core'
import type { PlannedRecord } from '@agent-tracker/core/store'
import { recordKey, recordTime } from '@agent-tracker/core/store'

/** A record as a row: its key in three parts ('' pads shorter keys), time, setup and project columns. */
export interface RecordRow {
  readonly k1: string
  readonly k2: string
  readonly k3: string
  readonly at: string
  readonly setup: string | null
  readonly project: string | null
}

/** The three key columns of a key. */
export function keyColumns(key: RecordKey): [string, string, string] {
  return [key[0] ?? '', key[1] ?? '', key[2] ?? '']
}

/** The columns a record is found by. */
export function rowOf<C extends CollectionName>(collection: C, record: CollectionRecords[C]): RecordRow {
  const [k1, k2, k3] = keyColumns(recordKey(collection, record))
  const any = record as unknown as { setup?: string; project?: string; id?: string; path?: string }
  const setup = collection === 'setups' ? any.id ?? null : collection === 'projects' ? null : any.setup ?? null
  const project = collection === 'projects' ? any.path ?? null : collection === 'setups' ? null : any.project ?? null
  return { k1, k2, k3, at: recordTime(collection, record), setup, project }
}

/** Planned writes as column arrays, for one `INSERT … SELECT FROM unnest(…)`. */
export function writeColumns(writes: readonly PlannedRecord[]): unknown[] {
  const collections: string[] = []
  const k1s: string[] = []
  const k2s: string[] = []
  const k3s: string[] = []
  const ats: string[] = []
  const setups: (string | null)[] = []
  const projects: (string | null)[] = []
  const records: string[] = []
  for (const write of writes) {
    const row = rowOf(write.collection, write.record)
    collections.push(write.collection)
    k1s.push(row.k1)
    k2s.push(row.k2)
    k3s.push(row.k3)
    ats.push(row.at)
    setups.push(row.setup)
    projects.push(row.project)
    records.push(JSON.stringify(write.record))
  }
  return [collections, k1s, k2s, k3s, ats, setups, projects, records]
}

/** A `find` as SQL over the records table `table`, for `member` (parameters $1, $2, …). */
export function findStatement(table: string, member: string, collection: CollectionName, query: RecordQuery): { text: string; values: unknown[] } {
  const values: unknown[] = [member, collection]
  const where = ['member = $1', 'collection = $2']
  const add = (condition: (param: string) => string, value: unknown): void => {
    values.push(value)
    where.push(condition(`$${String(values.length)}`))
  }
  if (query.setup !== undefined) add((p) => `setup = ${p}`, query.setup)
  if (query.project !== undefined) add((p) => `project = ${p}`, query.project)
  if (query.hashPrefix !== undefined) add((p) => `starts_with(k2, ${p})`, query.hashPrefix)
  if (collection === 'usage') {
    // A day matches when it overlaps [since, until).
    if (query.since !== undefined) add((p) => `at || 'T23:59:59.999Z' >= ${p}`, query.since)
    if (query.until !== undefined) add((p) => `at || 'T00:00:00.000Z' < ${p}`, query.until)
  } else {
    if (query.since !== undefined) add((p) => `at >= ${p}`, query.since)
    if (query.until !== undefined) add((p) => `at < ${p}`, query.until)
  }
  const direction = query.order === 'oldest' ? 'ASC' : 'DESC'
  // 'any' is key order, as the LMDB store reads it (the primary key's order, so no sort): what is
  // added up from the records — a recommendation's sums — is then added up in the same order.
  const order = query.order === 'any' ? ' ORDER BY k1, k2, k3' : ` ORDER BY at ${direction}, k1 ${direction}, k2 ${direction}, k3 ${direction}`
  let limit = ''
  if (query.limit !== undefined) {
    values.push(query.limit)
    limit = ` LIMIT $${String(values.length)}`
  }
  return { text: `SELECT record FROM ${table} WHERE ${where.join(' AND ')}${order}${limit}`, values }
}
