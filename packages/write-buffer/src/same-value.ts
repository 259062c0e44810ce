/** True when two plain data values (records as stores return them) are structurally equal. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let index = 0; index < a.length; index++) if (!sameValue(a[index], b[index])) return false
    return true
  }
  if (Array.isArray(b)) return false
  const left = a as Record<string, unknown>
  const right = b as Record<string, unknown>
  let fields = 0
  for (const field in left) {
    if (!Object.hasOwn(left, field)) continue
    if (left[field] !== undefined) fields += 1
    if (!sameValue(left[field], right[field])) return false
  }
  for (const field in right) if (Object.hasOwn(right, field) && right[field] !== undefined) fields -= 1
  return fields === 0
}
