/** The version of the `--json` envelope; it changes only when the envelope's own shape does. */
export const JSON_ENVELOPE_VERSION = 1

/** Something a command wants a JSON reader to know besides its answer, e.g. that there is no database yet. */
export interface JsonNotice {
  readonly code: string
  readonly message: string
}

/** What every command prints with `--json` (see docs/json-output.md). */
export type JsonEnvelope =
  | { readonly version: typeof JSON_ENVELOPE_VERSION; readonly command: string | null; readonly data: unknown; readonly notices?: readonly JsonNotice[] }
  | { readonly version: typeof JSON_ENVELOPE_VERSION; readonly command: string | null; readonly error: { readonly code: string; readonly message: string } }

/**
 * JSON text of a value, pretty-printed, with every fractional number rounded to 12 significant
 * digits: sums of floats such as 0.06375000000000003 print as 0.06375.
 */
export function toJsonText(value: unknown): string {
  return `${roundedJson(value, 2)}\n`
}

/** JSON with every fractional number rounded to 12 significant digits (see docs/json-output.md): `0.3`, not `0.30000000000000004`. */
export function roundedJson(value: unknown, indent?: number): string {
  // A replacer is called back for every key: an export of millions of records, most of them
  // without a fraction, spent about an eighth of its time there.
  return JSON.stringify(value, mayNeedRounding(value) ? roundFraction : undefined, indent)
}

/** Whether a value holds a fractional number, or anything but plain data (which the replacer then sees as JSON.stringify gives it). */
function mayNeedRounding(value: unknown): boolean {
  switch (typeof value) {
    case 'number':
      return !Number.isInteger(value)
    case 'string':
    case 'boolean':
    case 'undefined':
      return false
    case 'object': {
      if (value === null) return false
      if (Array.isArray(value)) return value.some(mayNeedRounding)
      const prototype = Object.getPrototypeOf(value) as unknown
      if (prototype !== Object.prototype && prototype !== null) return true
      for (const key in value) if (mayNeedRounding((value as Record<string, unknown>)[key])) return true
      return false
    }
    default:
      return true
  }
}

function roundFraction(_: string, inner: unknown): unknown {
  return typeof inner === 'number' && !Number.isInteger(inner) && Number.isFinite(inner) ? Number(inner.toPrecision(12)) : inner
}

/** The envelope of a command's answer. */
export function answerEnvelope(command: string | null, data: unknown, notices: readonly JsonNotice[] = []): JsonEnvelope {
  return { version: JSON_ENVELOPE_VERSION, command, data, ...(notices.length === 0 ? {} : { notices }) }
}

/** The envelope of a command's failure. */
export function errorEnvelope(command: string | null, code: string, message: string): JsonEnvelope {
  return { version: JSON_ENVELOPE_VERSION, command, error: { code, message } }
}
