/** Characters a short hash has at least, as git's and every listing's: 8. */
export const SHORT_HASH_DIGITS = 8

/**
 * The hashes cut to one length, the least (from `min` up) at which the different hashes among
 * them differ, so that each one shown can be told apart and given back: `00000000a1, 00000000b2`
 * rather than `00000000, 00000000`. A hash listed twice stays the same; none is cut below `min`
 * or lengthened past its own end.
 */
export function distinctShortHashes(hashes: readonly string[], min = SHORT_HASH_DIGITS): string[] {
  const different = [...new Set(hashes)]
  let length = min
  const longest = Math.max(min, ...different.map((hash) => hash.length))
  while (length < longest && new Set(different.map((hash) => hash.slice(0, length))).size < different.length) length += 1
  return hashes.map((hash) => hash.slice(0, length))
}
