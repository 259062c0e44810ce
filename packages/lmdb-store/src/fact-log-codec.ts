import type { Fact } from '@agent-tracker/core'

/**
 * One batch of the fact log as stored: the facts of one write, in order, by column. The fields
 * every fact has are columns — ids, times (milliseconds after the earliest), and setup, project,
 * session and kind as positions in `strings`, which holds each of those once — and so are a tool
 * call's tool, outcome and exit code; any other fact's own fields are kept as an object in `rest`.
 *
 * Layout 2 (written now): a batch encodes as a handful of strings and byte arrays, whatever its
 * size — the ids one after another in one string, each numeric column as bytes — so encoding
 * costs a copy per column, not a value at a time (a batch of 10,000 facts: about 1 ms instead of
 * 14 ms). Layout 1 (a value per fact in every column) is still read.
 */
export type StoredFactBatch = StoredFactBatch1 | StoredFactBatch2

/** Layout 2: see {@link StoredFactBatch}. */
export interface StoredFactBatch2 {
  readonly v: 2
  readonly strings: readonly string[]
  /** Every fact's id, one after another; `idLengths` cuts them apart. */
  readonly ids: string
  /** Each id's length in UTF-16 code units ({@link packNumbers}). */
  readonly idLengths: Uint8Array
  /** Milliseconds since the epoch of the earliest fact. */
  readonly start: number
  /** Each fact's time in milliseconds after `start`. */
  readonly at: Uint8Array
  /** Positions in `strings`. */
  readonly setup: Uint8Array
  readonly project: Uint8Array
  /** Position in `strings` + 1; 0 for a fact without a session. */
  readonly session: Uint8Array
  readonly kind: Uint8Array
  /** Tool calls: the tool's position in `strings` + 1; 0 for other facts. */
  readonly tool: Uint8Array
  /** Tool calls: 1 for success, 0 for failure, +2 when an exit code follows in `exitCodes`; 4 for other facts. */
  readonly ok: Uint8Array
  /** The exit codes of the tool calls that have one, in order. */
  readonly exitCodes: readonly number[]
  /** The other facts' own fields (everything but the columns above), in order. */
  readonly rest: readonly Readonly<Record<string, unknown>>[]
}

/** Layout 1, as the first schema-2 databases hold it: one value per fact in every column. */
export interface StoredFactBatch1 {
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
const NOT_A_TOOL_CALL = 4
const HAS_EXIT_CODE = 2

/**
 * Encodes facts as one stored batch (layout 2). It runs inside every flush's write transaction, so
 * it allocates little per fact: the columns are typed arrays filled by index, packed without an
 * iterator, and the common case of a fact repeating the strings of the one before costs a comparison.
 */
export function encodeFactBatch(facts: readonly Fact[]): StoredFactBatch2 {
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
  const msOf = timestampReader()
  const count = facts.length
  const { ms, idLengths, setup, project, session, kind, tool, ok } = columnsFor(count)
  const ids = new Array<string>(count)
  const exitCodes: number[] = []
  const rest: Record<string, unknown>[] = []
  let start = Number.POSITIVE_INFINITY
  // The position each of these columns gave last, for the text it gave it for: a fact mostly repeats the one before.
  let lastSetup: string | undefined
  let lastProject: string | undefined
  let lastSession: string | undefined
  let lastKind: string | undefined
  let lastTool: string | undefined
  let setupAt = 0
  let projectAt = 0
  let sessionAt = 0
  let kindAt = 0
  let toolAt = 0
  for (let i = 0; i < count; i++) {
    const fact = facts[i]
    if (fact === undefined) continue
    ids[i] = fact.id
    idLengths[i] = fact.id.length
    const at = msOf(fact.at)
    ms[i] = at
    if (at < start) start = at
    if (fact.setup !== lastSetup) setupAt = positionOf((lastSetup = fact.setup))
    setup[i] = setupAt
    if (fact.project !== lastProject) projectAt = positionOf((lastProject = fact.project))
    project[i] = projectAt
    if (fact.session !== undefined && fact.session !== lastSession) sessionAt = positionOf((lastSession = fact.session))
    session[i] = fact.session === undefined ? 0 : sessionAt + 1
    if (fact.kind !== lastKind) kindAt = positionOf((lastKind = fact.kind))
    kind[i] = kindAt
    if (fact.kind === 'tool_call') {
      if (fact.tool !== lastTool) toolAt = positionOf((lastTool = fact.tool))
      tool[i] = toolAt + 1
      ok[i] = (fact.ok ? 1 : 0) + (fact.exitCode === undefined ? 0 : HAS_EXIT_CODE)
      if (fact.exitCode !== undefined) exitCodes.push(fact.exitCode)
    } else {
      ok[i] = NOT_A_TOOL_CALL
      const own: Record<string, unknown> = {}
      for (const field in fact) if (!COLUMNS.has(field)) own[field] = (fact as unknown as Record<string, unknown>)[field]
      rest.push(own)
    }
  }
  if (count === 0) start = 0
  for (let at = 0; at < count; at++) ms[at] = (ms[at] ?? 0) - start
  return {
    v: 2,
    strings,
    ids: ids.join(''),
    idLengths: packNumbers(idLengths),
    start,
    at: packNumbers(ms),
    setup: packNumbers(setup),
    project: packNumbers(project),
    session: packNumbers(session),
    kind: packNumbers(kind),
    tool: packNumbers(tool),
    ok: packNumbers(ok),
    exitCodes,
    rest,
  }
}

/** The columns of a batch being encoded, each `count` long and zero. */
interface Columns {
  /** Times after the earliest may pass 2³² ms (a batch spanning seven weeks); positions and id lengths never do. */
  readonly ms: Float64Array
  readonly idLengths: Uint32Array
  readonly setup: Uint32Array
  readonly project: Uint32Array
  readonly session: Uint32Array
  readonly kind: Uint32Array
  readonly tool: Uint32Array
  readonly ok: Uint32Array
}

/** Batches up to this many facts encode into columns kept between calls (about 0.6 MB at most). */
const KEPT_COLUMNS = 20_000

let keptTimes = new Float64Array(0)
let keptNumbers = new Uint32Array(0)

/**
 * Zeroed columns for `count` facts: for batches up to {@link KEPT_COLUMNS}, views of arrays kept
 * between calls (encoding is synchronous, and its packed copies are what the batch holds), so a
 * flush allocates no columns; larger batches get their own.
 */
function columnsFor(count: number): Columns {
  let times: Float64Array
  let numbers: Uint32Array
  if (count > KEPT_COLUMNS) {
    times = new Float64Array(count)
    numbers = new Uint32Array(7 * count)
  } else {
    if (keptTimes.length < count) {
      keptTimes = new Float64Array(Math.min(KEPT_COLUMNS, Math.max(count, 2 * keptTimes.length)))
      keptNumbers = new Uint32Array(7 * keptTimes.length)
    }
    times = keptTimes.subarray(0, count)
    numbers = keptNumbers.subarray(0, 7 * count)
    times.fill(0)
    numbers.fill(0)
  }
  const column = (index: number): Uint32Array => numbers.subarray(index * count, (index + 1) * count)
  return { ms: times, idLengths: column(0), setup: column(1), project: column(2), session: column(3), kind: column(4), tool: column(5), ok: column(6) }
}

/**
 * Non-negative integers as bytes: a first byte giving the width (1, 2 or 4 bytes, the fewest that
 * hold the largest; 8 — a float64 — above 2³²), then each value little-endian.
 * @throws {RangeError} for a value that is not a non-negative safe integer (it would not come back as given).
 */
export function packNumbers(values: ArrayLike<number>): Uint8Array {
  const count = values.length
  let max = 0
  for (let i = 0; i < count; i++) {
    // A hole is refused like any other value that is not a number.
    const value = values[i] ?? Number.NaN
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`packNumbers takes non-negative whole numbers up to 2^53, not ${String(value)}.`)
    if (value > max) max = value
  }
  const width = max <= 0xff ? 1 : max <= 0xffff ? 2 : max <= 0xffffffff ? 4 : 8
  const bytes = new Uint8Array(1 + width * count)
  bytes[0] = width
  if (width === 1) {
    bytes.set(values, 1)
  } else if (width === 8) {
    const view = new DataView(bytes.buffer, 1)
    for (let i = 0; i < count; i++) view.setFloat64(i * 8, values[i] ?? 0, true)
  } else {
    // Byte by byte, low byte first: values up to 2³² − 1, which the bit operators take whole.
    for (let i = 0, at = 1; i < count; i++) {
      let value = values[i] ?? 0
      for (let byte = 0; byte < width; byte++, at++) {
        bytes[at] = value & 0xff
        value >>>= 8
      }
    }
  }
  return bytes
}

/**
 * The numbers {@link packNumbers} packed.
 * @throws {Error} for bytes no packing gives: a damaged fact-log batch.
 */
export function unpackNumbers(bytes: Uint8Array): number[] {
  const width = bytes[0] ?? 0
  if (![1, 2, 4, 8].includes(width) || (bytes.length - 1) % width !== 0) {
    throw new Error(`A fact-log batch is damaged: a column of ${String(bytes.length)} bytes with width ${String(width)} (widths are 1, 2, 4 or 8). agent-tracker doctor --deep says what else is.`)
  }
  const count = (bytes.length - 1) / width
  const view = new DataView(bytes.buffer, bytes.byteOffset + 1, bytes.length - 1)
  const values = new Array<number>(count)
  for (let i = 0; i < count; i++) {
    values[i] = width === 1 ? view.getUint8(i) : width === 2 ? view.getUint16(i * 2, true) : width === 4 ? view.getUint32(i * 4, true) : view.getFloat64(i * 8, true)
  }
  return values
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

/**
 * Decodes a stored batch back into its facts, as they were given.
 * @throws {Error} for a layout this release does not know (written by a newer one).
 */
export function decodeFactBatch(batch: StoredFactBatch): Fact[] {
  if (batch.v === 1) return decodeLayout1(batch)
  if ((batch as { v: unknown }).v !== 2) throw new Error(`A fact-log batch has layout ${String((batch as { v: unknown }).v)}; this release reads layouts 1 and 2. Update agent-tracker to read it.`)
  const { strings } = batch
  const at = unpackNumbers(batch.at)
  const [idLengths, setup, project, session, kind, tool, ok] = [unpackNumbers(batch.idLengths), unpackNumbers(batch.setup), unpackNumbers(batch.project), unpackNumbers(batch.session), unpackNumbers(batch.kind), unpackNumbers(batch.tool), unpackNumbers(batch.ok)]
  const facts: Fact[] = []
  let idStart = 0
  let exitCode = 0
  let own = 0
  for (let index = 0; index < at.length; index++) {
    const idEnd = idStart + (idLengths[index] ?? 0)
    const fact: Record<string, unknown> = {
      id: batch.ids.slice(idStart, idEnd),
      at: new Date(batch.start + (at[index] ?? 0)).toISOString(),
      setup: strings[setup[index] ?? -1],
      project: strings[project[index] ?? -1],
    }
    idStart = idEnd
    const sessionPosition = session[index] ?? 0
    if (sessionPosition > 0) fact.session = strings[sessionPosition - 1]
    fact.kind = strings[kind[index] ?? -1]
    const outcome = ok[index] ?? NOT_A_TOOL_CALL
    if (outcome === NOT_A_TOOL_CALL) {
      Object.assign(fact, batch.rest[own++])
    } else {
      fact.tool = strings[(tool[index] ?? 0) - 1]
      fact.ok = (outcome & 1) === 1
      if ((outcome & HAS_EXIT_CODE) !== 0) fact.exitCode = batch.exitCodes[exitCode++]
    }
    facts.push(fact as unknown as Fact)
  }
  return facts
}

function decodeLayout1(batch: StoredFactBatch1): Fact[] {
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
