import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { findFiles } from '../files/find-files.js'
import type { HistoryEvent, ReadOptions } from '../history-events.js'
import type { Fields } from '../read-values.js'
import { fields, text } from '../read-values.js'
import { opencodeSessionEvents } from './session-events.js'

/**
 * Reads the JSON storage of OpenCode before 1.2 (`storage/session/<project>/<session>.json`,
 * `storage/message/<session>/…`, `storage/part/<message>/…`), which newer versions leave in place
 * without migrating it. Sessions in `seen` (read from a database already) are skipped, and the ones
 * read are added to it.
 */
export function* opencodeStorageHistory(storage: string, seen: Set<string>, options: ReadOptions = {}): Generator<HistoryEvent> {
  const files = findFiles(join(storage, 'session'), (name) => name.endsWith('.json'))
  for (const [index, file] of files.entries()) {
    const session = readJson(file)
    const id = text(session.value?.id)
    const directory = text(session.value?.directory)
    if (id === undefined || directory === undefined) {
      yield { kind: 'problem', file, reason: session.problem ?? 'not an OpenCode session (no id or directory); it was left out' }
      continue
    }
    const updated = fields(session.value?.time)?.updated
    if (seen.has(id) || (options.since !== undefined && typeof updated === 'number' && updated < Date.parse(options.since))) continue
    seen.add(id)
    const problems: HistoryEvent[] = []
    // Each message and part is a file of its own: the file a fact was made of is where to look.
    const paths = new Map<Fields, string>()
    const records = (folder: string): Fields[] => jsonFiles(folder).flatMap((path) => {
      const read = readJson(path)
      if (read.value === undefined) problems.push({ kind: 'problem', file: path, reason: read.problem ?? 'not a JSON object; it was left out' })
      else paths.set(read.value, path)
      return read.value === undefined ? [] : [read.value]
    })
    const messages = records(join(storage, 'message', id)).sort((a, b) => createdAt(a) - createdAt(b))
    const parts = messages.flatMap((message) => (typeof message.id === 'string' ? records(join(storage, 'part', message.id)) : []))
    yield* problems
    yield* opencodeSessionEvents({ id, directory, messages, parts, sourceOf: (_, record) => ({ file: paths.get(record) ?? file }) }, options)
    yield { kind: 'progress', done: index + 1, total: files.length }
  }
}

function jsonFiles(folder: string): string[] {
  try {
    return readdirSync(folder).filter((name) => name.endsWith('.json')).sort().map((name) => join(folder, name))
  } catch {
    return []
  }
}

function readJson(file: string): { value?: Fields; problem?: string } {
  try {
    const value = fields(JSON.parse(readFileSync(file, 'utf8')))
    return value === undefined ? { problem: 'not a JSON object; it was left out' } : { value }
  } catch (error) {
    return { problem: `not valid JSON (${error instanceof Error ? error.message : String(error)}); it was left out` }
  }
}

function createdAt(message: Fields): number {
  const created = fields(message.time)?.created
  return typeof created === 'number' ? created : 0
}
