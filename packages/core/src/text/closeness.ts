/** Lower case, letters and digits only: `GPT-5` and `gpt5` look the same. */
export function looseForm(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/[^\p{L}\p{N}]/gu, '')
}

/** Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)]
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min((rows[i - 1]?.[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (rows[i - 1]?.[j - 1] ?? 0) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1)
      row.push(best)
    }
    rows.push(row)
  }
  return rows[a.length]?.[b.length] ?? Math.max(a.length, b.length)
}

/** The edits a typo of this length may have: one for short words, up to three for long ones. */
function allowedEdits(length: number): number {
  return length <= 4 ? 1 : length <= 8 ? 2 : 3
}

/**
 * How close `typed` is to one of `names` (lower is closer), or undefined when it is not close:
 * the same in loose form, contained in one, containing one that makes up at least half of it,
 * or a few edits away from one.
 */
export function closeness(typed: string, names: readonly string[]): number | undefined {
  const want = looseForm(typed)
  if (want === '') return undefined
  let best: number | undefined
  for (const name of names) {
    const have = looseForm(name)
    if (have === '') continue
    const score = have === want
      ? 0
      : have.includes(want) && want.length >= 2
        ? 1 + (have.length - want.length) / 1000
        : want.includes(have) && have.length >= 3 && have.length * 2 >= want.length
          ? 2 + (want.length - have.length) / 1000
          : 3 + editDistance(want, have)
    if (score >= 3 && score - 3 > allowedEdits(want.length)) continue
    if (best === undefined || score < best) best = score
  }
  return best
}

/** The candidates close to `typed` (see {@link closeness}), closest first, then in their given order. */
export function closestMatches<T>(typed: string, candidates: readonly T[], namesOf: (candidate: T) => readonly string[]): T[] {
  return candidates
    .map((candidate, index) => ({ candidate, index, score: closeness(typed, namesOf(candidate)) }))
    .filter((entry): entry is { candidate: T; index: number; score: number } => entry.score !== undefined)
    .sort((a, b) => a.score - b.score || a.index - b.index)
    .map((entry) => entry.candidate)
}
