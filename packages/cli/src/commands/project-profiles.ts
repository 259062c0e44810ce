/** A sentence about projects left out for lack of a profile, or '' when there are none. */
export function unprofiledNote(unprofiled: readonly string[]): string {
  if (unprofiled.length === 0) return ''
  const listed = `${unprofiled.slice(0, 5).join(', ')}${unprofiled.length > 5 ? `, and ${String(unprofiled.length - 5)} more` : ''}`
  const head = unprofiled.length === 1
    ? '1 recorded project has no profile and its folder is not here, so its outcomes were left out'
    : `${String(unprofiled.length)} recorded projects have no profile and their folders are not here, so their outcomes were left out`
  return `${head}: ${listed}. Run agent-tracker projects --refresh on a machine that has them.`
}
