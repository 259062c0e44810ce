import type { Fact } from '@agent-tracker/core'

/**
 * One batch of the fact log as stored: the facts of one write, in order, by column. The fields
 * every fact has are columns — ids, times (milliseconds after the first), and setup, project,
 * session and kind as positions in `strings`, which holds each of those once — and so are a tool
 * call's tool, outcome and exit code; any other fact's own fields are kept as an object in `rest`.
 * A tool call costs its id and a handful of bytes, and a batch encodes as a few arrays.
 */
export interface StoredFactBatch {
  /** Version of this layout. */
  readonly v: 1
  readonly strings: readonly string[]
  readonly id: readonly string[]
  /** Milliseconds since the epoch of the first fact. */
  readonly start: number
  /** Each fact's time, in milliseconds after `start` (negative when earlier). */
  readonly at: readonly number[]
  readonly setup: readonly number[]
  readonly project: readonly number[]
  /** −1 for a fact without a session. */
  readonly session: readonly number[]
  readonly kind: readonly number[]
  /** Tool calls: the tool's position in `strings`; −1 for other facts. */
  readonly tool: readonly number[]
  /** Tool calls: 1 for success, 0 for failure; −1 for other facts. */
  readonly ok: readonly number[]
  /** Tool calls: the exit code, or null. */
  readonly exitCode: readonly (number | null)[]
  /** Other facts: their own fields (everything but the columns above); null for tool calls. */
  readonly rest: readonly (Readonly<Record<string, unknown>> | null)[]
}

const COLUMNS: ReadonlySet<string> = new Set(['id', 'at', 'setup', 'project', 'session', 'kind'])

/** Encodes facts as one stored batch. */
export function encodeFactBatch(facts: readonly Fact[]): StoredFactBatch {
  const strings: string[] = []
  const positions = new Map<string, number>()
  /** A column's positions: a fact mostly repeats the one before it (same setup, project, session), which costs a comparison. */
  const column = (): ((text: string) => number) => {
    let last: string | undefined
    let lastPosition = -1
    return (text) => {
      if (text === last) return lastPosition
      let position = positions.get(text)
      if (position === undefined) {
        position = strings.length
        strings.push(text)
        positions.set(text, position)
      }
      last = text
      lastPosition = position
      return position
    }
  }
  const [setupOf, projectOf, sessionOf, kindOf, toolOf] = [column(), column(), column(), column(), column()]
  const msOf = timestampReader()
  const start = facts.length === 0 ? 0 : msOf(facts[0]?.at ?? '')
  const batch = { v: 1 as const, strings, id: [] as string[], start, at: [] as number[], setup: [] as number[], project: [] as number[], session: [] as number[], kind: [] as number[], tool: [] as number[], ok: [] as number[], exitCode: [] as (number | null)[], rest: [] as (Record<string, unknown> | null)[] }
  for (const fact of facts) {
    batch.id.push(fact.id)
    batch.at.push(msOf(fact.at) - start)
    batch.setup.push(setupOf(fact.setup))
    batch.project.push(projectOf(fact.project))
    batch.session.push(fact.session === undefined ? -1 : sessionOf(fact.session))
    batch.kind.push(kindOf(fact.kind))
    if (fact.kind === 'tool_call') {
      batch.tool.push(toolOf(fact.tool))
      batch.ok.push(fact.ok ? 1 : 0)
      batch.exitCode.push(fact.exitCode ?? null)
      batch.rest.push(null)
      continue
    }
    batch.tool.push(-1)
    batch.ok.push(-1)
    batch.exitCode.push(null)
    const rest: Record<string, unknown> = {}
    for (const field in fact) if (!COLUMNS.has(field)) rest[field] = (fact as unknown as Record<string, unknown>)[field]
    batch.rest.push(rest)
  }
  return batch
}

/**
 * Milliseconds of canonical UTC timestamps (`YYYY-MM-DDTHH:MM:SS.sssZ`, as facts carry them), parsed
 * once per minute: a batch's facts come seconds apart, and `Date.parse` of each was most of the
 * encoding's time. Anything else is parsed in full.
 */
function timestampReader(): (at: string) => number {
  let minute = ''
  let minuteMs = Number.NaN
  return (at) => {
    if (at.length !== 24 || at.charCodeAt(19) !== 46 || at.charCodeAt(23) !== 90) return Date.parse(at)
    if (minute === '' || !at.startsWith(minute)) {
      minute = at.slice(0, 17)
      minuteMs = Date.parse(`${minute}00.000Z`)
    }
    // Seconds and milliseconds, SS.mmm: each must be a digit.
    const s1 = at.charCodeAt(17) - 48
    const s2 = at.charCodeAt(18) - 48
    const m1 = at.charCodeAt(20) - 48
    const m2 = at.charCodeAt(21) - 48
    const m3 = at.charCodeAt(22) - 48
    if ((s1 | s2 | m1 | m2 | m3) < 0 || s1 > 9 || s2 > 9 || m1 > 9 || m2 > 9 || m3 > 9 || Number.isNaN(minuteMs)) return Date.parse(at)
    return minuteMs + (s1 * 10 + s2) * 1000 + m1 * 100 + m2 * 10 + m3
  }
}

/** Decodes a stored batch back into its facts, as they were given. */
export function decodeFactBatch(batch: StoredFactBatch): Fact[] {
  const { strings } = batch
  return batch.id.map((id, index) => {
    const fact: Record<string, unknown> = {
      id,
      at: new Date(batch.start + (batch.at[index] ?? 0)).toISOString(),
      setup: strings[batch.setup[index] ?? -1],
      project: strings[batch.project[index] ?? -1],
    }
    const session = batch.session[index] ?? -1
    if (session >= 0) fact.session = strings[session]
    const kind = strings[batch.kind[index] ?? -1]
    fact.kind = kind
    if (kind === 'tool_call') {
      fact.tool = strings[batch.tool[index] ?? -1]
      fact.ok = batch.ok[index] === 1
      const exitCode = batch.exitCode[index]
      if (exitCode !== null && exitCode !== undefined) fact.exitCode = exitCode
    } else {
      Object.assign(fact, batch.rest[index])
    }
    return fact as unknown as Fact
  })
}
