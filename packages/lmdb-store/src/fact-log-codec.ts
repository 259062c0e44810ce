import type { Fact } from '@agent-tracker/core'

/**
 * One batch of the fact log as stored: the facts of one write, in order, with the strings they
 * repeat (setup, project, session, kind, tool, …) kept once in `strings` and referred to by
 * position, and each time as epoch milliseconds. A tool call then costs its id and a few bytes.
 */
export interface StoredFactBatch {
  readonly strings: readonly string[]
  readonly facts: readonly Readonly<Record<string, unknown>>[]
}

/** Fields whose values repeat across the facts of a batch: stored once per batch. */
const SHARED_FIELDS: ReadonlySet<string> = new Set(['setup', 'project', 'session', 'kind', 'tool', 'command', 'by', 'remote', 'branch'])

/** Encodes facts as one stored batch. */
export function encodeFactBatch(facts: readonly Fact[]): StoredFactBatch {
  const strings: string[] = []
  const positions = new Map<string, number>()
  const positionOf = (text: string): number => {
    let position = positions.get(text)
    if (position === undefined) {
      position = strings.length
      strings.push(text)
      positions.set(text, position)
    }
    return position
  }
  const rows = facts.map((fact) => {
    const row: Record<string, unknown> = {}
    for (const [field, value] of Object.entries(fact)) {
      if (field === 'at') row.at = Date.parse(value as string)
      else if (typeof value === 'string' && SHARED_FIELDS.has(field)) row[field] = positionOf(value)
      else row[field] = value
    }
    return row
  })
  return { strings, facts: rows }
}

/** Decodes a stored batch back into the facts, field for field as they were given. */
export function decodeFactBatch(batch: StoredFactBatch): Fact[] {
  return batch.facts.map((row) => {
    const fact: Record<string, unknown> = {}
    for (const [field, value] of Object.entries(row)) {
      if (field === 'at') fact.at = new Date(value as number).toISOString()
      else if (typeof value === 'number' && SHARED_FIELDS.has(field)) fact[field] = batch.strings[value]
      else fact[field] = value
    }
    return fact as unknown as Fact
  })
}
