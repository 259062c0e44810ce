import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import type { HistoryEvent } from '../history-events.js'
import { jsonLines } from './jsonl-lines.js'
import { mergedByTime } from './merge-by-time.js'

/** A history file of one session: a line per minute given, each read back as a usage event named `<session>@<minute>`. */
function session(folder: string, name: string, minutes: readonly number[]): string {
  const at = (minute: number): string => new Date(Date.UTC(2026, 10, 29, 5, minute)).toISOString()
  return writeLines(join(folder, `${name}.jsonl`), minutes.map((minute) => JSON.stringify({ timestamp: at(minute), name: `${name}@${String(minute)}` })))
}

function writeLines(file: string, lines: readonly string[]): string {
  writeFileSync(file, `${lines.join('\n')}\n`)
  return file
}

/** A reader of the test files as usage events named `<session>@<minute>` (a line that is no JSON, a problem), counting the files open at once. */
function countingReader(): { readonly eventsOf: (file: string) => AsyncGenerator<HistoryEvent>; readonly mostOpen: () => number; readonly openNow: () => number } {
  let openNow = 0
  let mostOpen = 0
  const eventsOf = async function* (file: string): AsyncGenerator<HistoryEvent> {
    openNow += 1
    mostOpen = Math.max(mostOpen, openNow)
    try {
      for await (const read of jsonLines(file)) {
        if (!('value' in read)) {
          yield { kind: 'problem', file, line: read.line, reason: read.problem }
          continue
        }
        const { timestamp, name } = read.value as { timestamp: string; name: string }
        yield { kind: 'usage', context: { host: 'codex', session: name, project: '/p', at: timestamp, setup: 's@p/m' }, responseIds: [name], tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 }, provider: 'p', model: 'm' }
      }
    } finally {
      openNow -= 1
    }
  }
  return { eventsOf, mostOpen: () => mostOpen, openNow: () => openNow }
}

describe('mergedByTime', () => {
  it('gives the events of all files in time order, opening a file only when the merge reaches its start', async () => {
    const folder = tempFolder()
    // Named against their time order; c runs beside a, b after both.
    const files = [session(folder, 'b', [10, 11]), session(folder, 'c', [2, 4]), session(folder, 'a', [1, 3, 5]), writeLines(join(folder, 'bad.jsonl'), ['{"cut'])]
    const reader = countingReader()
    const seen: string[] = []
    for await (const event of mergedByTime(files, reader.eventsOf)) {
      if (event.kind === 'usage') seen.push(event.context.session)
      else if (event.kind === 'progress') seen.push(`done ${String(event.done)}/${String(event.total)}`)
      else if (event.kind === 'problem') seen.push(`problem ${event.file === files[3] ? 'bad' : event.file}`)
    }
    expect(seen).toEqual(['problem bad', 'done 1/4', 'a@1', 'c@2', 'a@3', 'c@4', 'done 2/4', 'a@5', 'done 3/4', 'b@10', 'b@11', 'done 4/4'])
    // a and c overlap; b opens after both have closed.
    expect(reader.mostOpen()).toBe(2)
    expect(reader.openNow()).toBe(0)
  })

  it('keeps at most its limit of files open when more sessions overlap, and still gives every event', async () => {
    const folder = tempFolder()
    // Ten sessions over the same minutes: all overlap.
    const files = Array.from({ length: 10 }, (_, index) => session(folder, `s${String(index)}`, [1, 2, 3]))
    const reader = countingReader()
    const seen: string[] = []
    for await (const event of mergedByTime(files, reader.eventsOf, 3)) if (event.kind === 'usage') seen.push(event.context.session)
    expect(reader.mostOpen()).toBe(3)
    expect(seen).toHaveLength(30)
    expect(new Set(seen).size).toBe(30)
    // The first three sessions, open together, are merged by time.
    expect(seen.slice(0, 3)).toEqual(['s0@1', 's1@1', 's2@1'])
  })
})
