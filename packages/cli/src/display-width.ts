import { createRequire } from 'node:module'

/**
 * Characters that take one column each, alone or beside one another: printable ASCII and the
 * narrow letters and signs agent-tracker's own output uses — Latin-1 and Latin Extended (not the
 * soft hyphen, which takes none), Greek (σ, μ, τ), general punctuation (– — … · ’), super- and
 * subscripts, letter-like signs, arrows and mathematical operators (→ ≤ ≥ ± ×), ⌀, box drawing,
 * blocks and shapes up to U+25FC (U+25FD and U+25FE are wide), ✓ and ✗. No combining mark,
 * variation selector, zero-width or wide character is among them, so the columns of such text
 * are its length; `display-width.test.ts` checks every one of them against string-width.
 */
const NARROW = /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u02ff\u0370-\u03ff\u2010-\u2027\u2030-\u205e\u2070-\u209f\u2100-\u22ff\u2300\u2500-\u25fc\u2713\u2717]*$/u

/** SGR colour codes (`ESC [ … m`), as picocolors writes them: they take no column. */
const COLOUR = new RegExp(`${String.fromCharCode(0x1b)}\\[[0-9;]*m`, 'g')

let exact: ((text: string) => number) | undefined

/**
 * The columns `text` takes in a terminal: CJK characters and emoji take two, colour codes none.
 * string-width is exact but costs tens of milliseconds to load (it builds a grapheme segmenter and
 * large Unicode patterns when imported), so it is loaded only for the first text with a character
 * outside {@link NARROW}: most commands never pay for it — `recommend` and `report` print en
 * dashes, middle dots and σ in every table.
 */
export function displayWidth(text: string): number {
  const plain = text.includes('\x1b') ? text.replace(COLOUR, '') : text
  if (NARROW.test(plain) && !plain.includes('\x1b')) return plain.length
  exact ??= (createRequire(import.meta.url)('string-width') as { default: (text: string) => number }).default
  return exact(text)
}
