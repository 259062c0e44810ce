import type { CollectionName } from '@agent-tracker/core'
import { COLLECTIONS } from '@agent-tracker/core'
import { openLmdbStore } from '@agent-tracker/lmdb-store'

/**
 * A realistic ingest file without ids: tool calls and messages of two setups in two projects over
 * several days, commits graded after they are made, bugs and journal entries. Ids are derived
 * from the facts. Some lines repeat the same content on purpose: they are separate events.
 */
export function ingestHistory(lines: number): string {
  const out: string[] = []
  const setups = ['build@anthropic/claude-sonnet-4-5', 'build@openai/gpt-5']
  for (let i = 0; out.length < lines; i++) {
    const setup = setups[i % 2] ?? ''
    const project = i % 3 === 0 ? '/w/shop' : '/w/api'
    const at = new Date(Date.UTC(2026, 2, 1) + Math.floor(i / 40) * 3_600_000).toISOString()
    const base = { setup, project, at }
    if (i % 97 === 5) {
      out.push(JSON.stringify({ ...base, kind: 'commit', hash: `c${String(i).padStart(7, '0')}`, message: `change ${String(i)}` }))
      out.push(JSON.stringify({ ...base, kind: 'grade', by: 'user', commit: `c${String(i).padStart(7, '0')}`, userGrade: i % 2 === 0 ? 'good' : 5 }))
    } else if (i % 211 === 7) out.push(JSON.stringify({ ...base, kind: 'bug', by: 'user', note: `bug ${String(i)}` }))
    else if (i % 53 === 3) out.push(JSON.stringify({ ...base, kind: 'activity', task: `task ${String(i)}`, outcome: 'done' }))
    else if (i % 7 === 0) out.push(JSON.stringify({ ...base, kind: 'usage', tokens: { input: 1200, output: 300 }, cost: 0.0125 }))
    // Identical lines in a row, as a host writes them for two equal calls within one second.
    else out.push(JSON.stringify({ ...base, kind: 'tool_call', tool: 'bash', ok: i % 13 !== 0 }))
  }
  return `${out.slice(0, lines).join('\n')}\n`
}

/** Every record of every collection and the fact log's length: what two databases must agree on. */
export async function databaseContents(path: string): Promise<{ records: Record<CollectionName, unknown[]>; facts: number }> {
  const store = openLmdbStore({ databasePath: path, readOnly: true })
  try {
    const records = {} as Record<CollectionName, unknown[]>
    for (const collection of COLLECTIONS) {
      records[collection] = []
      for await (const record of store.scan(collection)) records[collection].push(record)
    }
    return { records, facts: await store.lastFactSeq() }
  } finally {
    await store.close()
  }
}
