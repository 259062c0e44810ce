/**
 * Orders two strings by their UTF-16 code units, as `<` does: the same order on every machine.
 * `localeCompare` depends on the process's locale (and sets up ICU's collator on its first call,
 * 8–12 ms), so an order that decides what is shown first — a recommendation's best bet among
 * setups tied on score, a report's rows — could differ between two machines reading the same data.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
