/** A history's commits in topological order (parents first), by index. */
export interface HistoryGraph {
  readonly index: ReadonlyMap<string, number>
  readonly hashes: readonly string[]
  /** Parents' indices per commit; a parent outside the history is left out. */
  readonly parents: readonly (readonly number[])[]
}

/** Where a blame may stop: `skip` when no origin of interest can be in its answer, else the commits to exclude (`^hash`). */
export type BlameBoundary = { readonly skip: true } | { readonly skip: false; readonly exclude: readonly string[] }

/** More exclusions than this and the blame walks the whole history instead (a command line that long costs more than it saves). */
const MAX_EXCLUDED = 100

/** The graph of commits listed parents first (`git log --reverse --topo-order`). */
export function historyGraph(commits: Iterable<{ readonly hash: string; readonly parents: readonly string[] }>): HistoryGraph {
  const index = new Map<string, number>()
  const hashes: string[] = []
  const parents: number[][] = []
  for (const commit of commits) {
    index.set(commit.hash, hashes.length)
    hashes.push(commit.hash)
    parents.push(commit.parents.map((parent) => index.get(parent)).filter((at) => at !== undefined))
  }
  return { index, hashes, parents }
}

/**
 * Marks the commits that descend from (or are) one of `origins`, from the oldest of them up to
 * `until` (an index; default the whole history).
 */
export function descendantsOf(graph: HistoryGraph, origins: Iterable<string>, until = graph.hashes.length - 1): { readonly from: number; readonly marked: Uint8Array } {
  const marked = new Uint8Array(graph.hashes.length)
  let from = Number.POSITIVE_INFINITY
  for (const origin of origins) {
    const at = graph.index.get(origin)
    if (at === undefined || at > until) continue
    marked[at] = 1
    from = Math.min(from, at)
  }
  for (let at = from + 1; at <= until; at++) if (marked[at] === 0 && (graph.parents[at] ?? []).some((parent) => marked[parent] === 1)) marked[at] = 1
  return { from, marked }
}

/**
 * Where a blame of `revision` may stop without changing which lines it gives to any of the
 * origins whose descendants `descendants` marks: a line's origin is one of them only if every
 * commit the blame passes it through descends from that origin, so the commits outside the
 * marked set — the ancestors of the unmarked parents of marked commits — can be left out
 * (`git blame rev ^x …` gives their lines to the boundary instead of digging on). Lines the
 * full blame would give to an origin of interest, it still does. `skip` when the revision
 * descends from none of them: then the blame can name none. Undefined (blame everything) when
 * the revision is outside the graph or the boundary is too ragged.
 */
export function blameBoundary(graph: HistoryGraph, descendants: { readonly from: number; readonly marked: Uint8Array }, revision: string): BlameBoundary | undefined {
  const at = graph.index.get(revision)
  if (at === undefined) return undefined
  if (descendants.marked[at] !== 1) return { skip: true }
  // The revision's ancestors among the marked commits, walking back to the oldest origin.
  const ancestor = new Uint8Array(at + 1)
  ancestor[at] = 1
  const exclude = new Set<number>()
  for (let commit = at; commit >= descendants.from; commit--) {
    if (ancestor[commit] !== 1 || descendants.marked[commit] !== 1) continue
    for (const parent of graph.parents[commit] ?? []) {
      if (descendants.marked[parent] === 1) ancestor[parent] = 1
      else exclude.add(parent)
    }
  }
  if (exclude.size > MAX_EXCLUDED) return undefined
  return { skip: false, exclude: [...exclude].map((commit) => graph.hashes[commit] ?? '') }
}
