import type { LoggedFact } from '@agent-tracker/core'
import { decodeFactBatch } from './fact-log-codec.js'
import type { QueryTables } from './record-queries.js'

/**
 * The logged facts after sequence number `after`, at most `limit`, in order. Batches are read one
 * at a time, each in its own short read, so a long log never holds a snapshot open or sits in
 * memory whole; between batches the caller's event loop gets a turn.
 */
export async function* readFactLog(db: Pick<QueryTables, 'factLog'>, after: number, limit: number): AsyncGenerator<LoggedFact> {
  let remaining = limit
  // The batch holding `after + 1` starts at or before it.
  let start = firstBatchKey(db, after + 1)
  while (remaining > 0 && start !== undefined) {
    const entry = nextBatch(db, start)
    if (entry === undefined) return
    const facts = decodeFactBatch(entry.value)
    for (let index = 0; index < facts.length && remaining > 0; index++) {
      const seq = entry.key + index
      const fact = facts[index]
      if (seq <= after || fact === undefined) continue
      remaining -= 1
      yield { seq, fact }
    }
    start = entry.key + facts.length
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
}

/**
 * Every logged fact in order, read synchronously: for work inside a write transaction, which
 * must not wait (see `LmdbStore.repairRollups`).
 */
export function* everyLoggedFact(db: Pick<QueryTables, 'factLog'>): Generator<LoggedFact> {
  for (const { key, value } of db.factLog.getRange()) {
    const facts = decodeFactBatch(value)
    for (const [index, fact] of facts.entries()) yield { seq: (key as number) + index, fact }
  }
}

function firstBatchKey(db: Pick<QueryTables, 'factLog'>, seq: number): number | undefined {
  for (const key of db.factLog.getKeys({ start: seq, reverse: true, limit: 1 })) return key as number
  for (const key of db.factLog.getKeys({ start: seq, limit: 1 })) return key as number
  return undefined
}

function nextBatch(db: Pick<QueryTables, 'factLog'>, start: number): { key: number; value: ReturnType<QueryTables['factLog']['get']> & object } | undefined {
  for (const { key, value } of db.factLog.getRange({ start, limit: 1 })) return { key: key as number, value }
  return undefined
}
