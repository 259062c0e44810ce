import { createRequire } from 'node:module'

/** Printable ASCII: one column per character. */
const PLAIN = /^[\x20-\x7e]*$/

let exact: ((text: string) => number) | undefined

/**
 * The columns `text` takes in a terminal: CJK characters and emoji take two, colour codes none.
 * string-width is exact but costs tens of milliseconds to load (it builds a grapheme segmenter and
 * large Unicode patterns when imported), so it is loaded only for the first text that is not plain
 * ASCII: most commands never pay for it.
 */
export function displayWidth(text: string): number {
  if (PLAIN.test(text)) return text.length
  exact ??= (createRequire(import.meta.url)('string-width') as { default: (text: string) => number }).default
  return exact(text)
}
