import { plural } from './format.js'

/** A page of a newest-first list: read one more than the limit to know whether more are there. */
export interface Page<T> {
  readonly entries: readonly T[]
  /** More entries match than the page shows. */
  readonly more: boolean
  readonly limit: number
}

/** The page of `limit` entries from a list read with `limit + 1`. */
export function pageOf<T>(entries: readonly T[], limit: number): Page<T> {
  return { entries: entries.slice(0, limit), more: entries.length > limit, limit }
}

/** The line under a page that is not the whole list: how many it shows and how to see more — a longer `--limit`, or the options `narrowers` the command has (`--since/--project`). */
export function moreHint(page: Page<unknown>, narrowers: string, noun: string, irregular?: string): string {
  // Only the ways to narrow not already taken: `activity --project shop` is told of no --project.
  const left = narrowers.split('/').filter((option) => option !== '')
  const narrow = left.length === 0 ? '' : ` (or narrow with ${left.join('/')})`
  return page.more ? `Showing the newest ${plural(page.limit, noun, irregular)}; there are more: add --limit ${String(page.limit * 2)}${narrow} to see them.` : ''
}
