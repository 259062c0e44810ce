import { dollars, formatScore } from '@agent-tracker/core'
import { displayWidth } from './display-width.js'

// One precision per quantity, in every table, card, chart and sentence:
//   scores (SP, XP, CS) and grades 1 decimal · what a window earned signed, 1 decimal ·
//   rates 1 decimal of a percent · bugs per commit 2 decimals · money spent 2 decimals ·
//   cost per commit 3 decimals · tokens shortened (1.2k, 3.4M).

/** A score (SP, XP, CS) with one decimal, or `–` when absent. */
export function score(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : formatScore(value)
}

/** A mean grade with one decimal, or `–`. */
export function grade(value: number | null | undefined): string {
  return score(value)
}

/** What a window earned, signed, with one decimal: `+12.3`, `−4.0`, `0.0`. */
export function gain(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–'
  const text = formatScore(Math.abs(value))
  return text === '0.0' ? text : `${value < 0 ? '−' : '+'}${text}`
}

/** A ratio as a percentage, e.g. `12.5%`. */
export function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : `${(value * 100).toFixed(1)}%`
}

/** Bugs per commit, with two decimals. */
export function perCommit(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : value.toFixed(2)
}

/** Money spent, in dollars and cents: `$12.34`; an amount that rounds to nothing, but is not nothing, `<$0.01`. */
export function money(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : dollars(value, 2)
}

/** Cost per commit, to a tenth of a cent: `$0.084`; below that, `<$0.001`. */
export function moneyPerCommit(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : dollars(value, 3)
}

/** A token count, shortened: `1.2k`, `3.4M`. */
export function tokens(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–'
  if (value >= 1e6) return `${(value / 1e6).toFixed(1)}M`
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)}k`
  return String(Math.round(value))
}

export { plural } from '@agent-tracker/core'

/** `2026-03-04 09:15` from an ISO timestamp (UTC). */
export function when(iso: string): string {
  return `${utcCell(iso)} UTC`
}

/** A time for a table cell under a header that says `(UTC)`: `2026-03-02 11:20`. */
export function utcCell(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`
}

/** The first characters of a commit hash. */
export function shortHash(hash: string): string {
  return hash.slice(0, 8)
}

/** Text cut to a display width (wide characters count two columns) with an ellipsis. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text
  let cut = ''
  for (const char of text) {
    if (displayWidth(`${cut}${char}`) > width - 1) break
    cut += char
  }
  return `${cut}…`
}
