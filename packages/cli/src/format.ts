import { formatScore } from '@agent-tracker/core'

/** A score with one decimal, or `–` when absent. */
export function score(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : formatScore(value)
}

/** A ratio as a percentage, e.g. `12.5%`. */
export function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : `${(value * 100).toFixed(1)}%`
}

/**
 * Decimal places that show every amount of a column with one precision: 2 (cents) when every
 * non-zero amount is at least 10 cents, 3 when at least a cent, else 4.
 */
export function moneyDecimals(values: readonly (number | null | undefined)[]): number {
  const smallest = Math.min(...values.flatMap((value) => (value === null || value === undefined || value === 0 ? [] : [Math.abs(value)])))
  return smallest >= 0.1 ? 2 : smallest >= 0.01 ? 3 : 4
}

/** Dollars with the given places (see {@link moneyDecimals}; by default chosen for this amount alone), or `–`. */
export function money(value: number | null | undefined, places: number = moneyDecimals([value])): string {
  return value === null || value === undefined ? '–' : `$${value.toFixed(places)}`
}

/** A token count, shortened: `1.2k`, `3.4M`. */
export function tokens(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–'
  if (value >= 1e6) return `${(value / 1e6).toFixed(1)}M`
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)}k`
  return String(Math.round(value))
}

/** A decimal with two places, e.g. bugs per commit. */
export function decimal(value: number | null | undefined, places = 2): string {
  return value === null || value === undefined ? '–' : value.toFixed(places)
}

/** `2026-03-04 09:15` from an ISO timestamp (UTC). */
export function when(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`
}

/** The first characters of a commit hash. */
export function shortHash(hash: string): string {
  return hash.slice(0, 8)
}

/** Text cut to a width with an ellipsis. */
export function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`
}
