/**
 * The bounds every value entering from outside is held to (ingest, merge, imports, sync). They are
 * far above anything real work produces and far below where storage or arithmetic breaks: LMDB
 * refuses keys over 1,978 bytes (stores key longer parts by a digest), a message pack nested thousands deep overflows the stack, and
 * sums of 1e308 are `Infinity`.
 */
export const LIMITS = {
  /** UTF-8 bytes of a setup id, session id or commit hash (parts of record keys; stores key long ones by a digest). */
  keyPartBytes: 4096,
  /** UTF-8 bytes of a project path (a key part; stores key long ones by a digest, the record keeps it whole). */
  projectBytes: 16 * 1024,
  /** UTF-8 bytes of a fact id. */
  idBytes: 1000,
  /** Nesting of objects and arrays inside a fact's or record's free-form `extra`. */
  depth: 16,
  /** Items of a list in a record (the files of a piece of git evidence). */
  listItems: 10_000,
  /** UTF-8 bytes of any free text (notes, messages, tasks). */
  textBytes: 256 * 1024,
  /** Tokens one message may report, per kind. */
  tokensPerMessage: 1e9,
  /** Cost one message may report. */
  costPerMessage: 1e6,
  /** Cost summed over a setup's life or a day. */
  cost: 1e9,
  /** Any stored counter (commits, tool calls, tokens summed over a setup's life). */
  counter: 1e15,
  /** Skill points a setup may hold: each level needs ten times more experience than the last. */
  skillPoints: 10_000,
} as const

/** UTF-8 length of a string, without allocating a buffer. */
export function utf8Bytes(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit < 0x80) bytes += 1
    else if (unit < 0x800) bytes += 2
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      bytes += 4
      i += 1
    } else bytes += 3
  }
  return bytes
}

/** How deep objects and arrays nest in a value (a scalar is 0), stopping once past `limit`. */
export function nestingDepth(value: unknown, limit: number = LIMITS.depth): number {
  if (typeof value !== 'object' || value === null) return 0
  if (limit < 0) return 1
  let deepest = 0
  for (const item of Object.values(value as Record<string, unknown>)) {
    const depth = nestingDepth(item, limit - 1)
    if (depth > deepest) deepest = depth
    if (deepest > limit) break
  }
  return deepest + 1
}
