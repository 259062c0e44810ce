import type { HistoryEvent, HistoryToolCall, HistoryUsage } from '../history-events.js'
import { fields, timestamp } from '../read-values.js'
import { jsonLines } from './jsonl-lines.js'

type TimedEvent = HistoryToolCall | HistoryUsage

/** A file being read: its events so far, the next timed one, and its place in the start order (ties go to the earlier). */
interface OpenFile {
  readonly events: AsyncGenerator<HistoryEvent, unknown>
  readonly rank: number
  head: TimedEvent
}

/**
 * Files a merge keeps open at most. Sessions that overlap in time are few (a session, its
 * subagents, a few side by side); past this many, a file waits for one to close, and its events
 * may come after later ones of the open files: memory and the work per event stay bounded (each
 * open file holds a reader's buffer) whatever the history holds.
 */
export const MAX_OPEN_FILES = 32

/**
 * The events of history files (one session each) in the order they happened across the files, as
 * live tracking met them: a commit made in one session comes before the amend another session made
 * of it later, whatever the files are called. Streamed: the files are taken in the order their
 * first lines were written, and a file is opened only when the merge reaches the time it starts
 * and closed at its end — so only the files whose sessions overlap in time are open together (a
 * session, its subagents, sessions run side by side; at most `maxOpen`), each holding one event
 * besides its reader. Problems go out as they are met; a `progress` event follows each finished file.
 */
export async function* mergedByTime(files: readonly string[], eventsOf: (file: string) => AsyncGenerator<HistoryEvent, unknown>, maxOpen: number = MAX_OPEN_FILES): AsyncGenerator<HistoryEvent> {
  const pending: { file: string; start: string }[] = []
  for (const file of files) pending.push({ file, start: await firstTime(file) })
  // Stable: files that start together keep their given (path) order.
  pending.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))
  const open: OpenFile[] = []
  let next = 0
  let done = 0
  const earliest = (): OpenFile | undefined => open.reduce<OpenFile | undefined>((best, file) => (best === undefined || before(file, best) ? file : best), undefined)
  try {
    for (;;) {
      const first = earliest()
      const waiting = pending[next]
      if (waiting !== undefined && (first === undefined || (waiting.start <= first.head.context.at && open.length < maxOpen))) {
        const rank = next
        next += 1
        const events = eventsOf(waiting.file)
        const reached = await advance(events)
        yield* reached.untimed
        if (reached.head === undefined) {
          done += 1
          yield { kind: 'progress', done, total: files.length }
        } else open.push({ events, rank, head: reached.head })
        continue
      }
      if (first === undefined) return
      yield first.head
      const reached = await advance(first.events)
      yield* reached.untimed
      if (reached.head !== undefined) first.head = reached.head
      else {
        open.splice(open.indexOf(first), 1)
        done += 1
        yield { kind: 'progress', done, total: files.length }
      }
    }
  } finally {
    // Stopped early (or a file failed): the files still open are closed.
    await Promise.all(open.map((file) => file.events.return(undefined)))
  }
}

function before(a: OpenFile, b: OpenFile): boolean {
  const at = a.head.context.at
  const other = b.head.context.at
  return at < other || (at === other && a.rank < b.rank)
}

/** A file's events up to its next timed one (a tool call or usage), which is undefined at the file's end. */
async function advance(events: AsyncGenerator<HistoryEvent, unknown>): Promise<{ untimed: HistoryEvent[]; head?: TimedEvent | undefined }> {
  const untimed: HistoryEvent[] = []
  for (;;) {
    const step = await events.next()
    if (step.done === true) return { untimed }
    const event = step.value
    if (event.kind === 'tool_call' || event.kind === 'usage') return { untimed, head: event }
    // A file's own progress is not the merge's: it yields its own per finished file.
    if (event.kind === 'problem') untimed.push(event)
  }
}

/** The time of a history file's first line that has one (ISO 8601); empty when none has (then it is read first: it may only hold problems). */
async function firstTime(file: string): Promise<string> {
  try {
    for await (const read of jsonLines(file)) {
      const at = 'value' in read ? timestamp(fields(read.value)?.timestamp) : undefined
      if (at !== undefined) return at
    }
  } catch {
    // A file that cannot be read says so when its events are read.
  }
  return ''
}
