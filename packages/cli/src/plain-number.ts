/**
 * A whole number written in plain digits (`12`, not `0x10`, `1e1`, ` 7 ` or `12.0`), up to
 * `Number.MAX_SAFE_INTEGER`; undefined for anything else. `Number()` alone would take those forms
 * and round a number too large to hold exactly (99999999999999999999 → 1e20), and an option would
 * then repeat a figure the user never gave.
 */
export function plainWholeNumber(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined
  const parsed = Number(text)
  return Number.isSafeInteger(parsed) ? parsed : undefined
}
