import type { PriorArtHit } from '@agent-tracker/core'
import { gradeLabel, hasSearchTerms, priorArt } from '@agent-tracker/core'
import type { LmdbStore } from '@agent-tracker/lmdb-store'
import { profileFolder } from '@agent-tracker/node-host/hooks'
import { CliError, EXIT } from '../cli-error.js'
import type { CommandContext } from '../context.js'
import { when } from '../format.js'
import { absolutePath } from '../io.js'
import { oneLine } from '../terminal-text.js'
import { carrySearchBuildOnDetached } from '../search-build.js'
import { isFolder, projectOf, resolveProject } from './lookups.js'

/** `search <task...>`: earlier work to learn from — patterns to repeat and mistakes to avoid. */
export async function searchCommand(ctx: CommandContext, words: readonly string[], options: { project?: string; limit: number }): Promise<void> {
  const query = words.join(' ').trim()
  if (query === '') throw new CliError('MISSING_QUERY', 'Give some words describing the task, e.g. agent-tracker search "stripe webhooks".', EXIT.usage)
  // Only punctuation, emoji, single characters or common words: a search for it would find nothing, whatever was recorded.
  if (!hasSearchTerms(query)) throw new CliError('NO_SEARCH_WORDS', `${JSON.stringify(query)} has no words to search for: give words of two or more letters or digits (of any script), other than common words such as "the" or "fix", e.g. agent-tracker search "stripe webhooks".`, EXIT.usage)
  const store = await ctx.readStore()
  // A folder (a new project's too: its profile is read there), else a recorded project by path or
  // name, as --project is taken elsewhere; a mistyped one is said so, with what it is close to,
  // rather than searched with a scope no project has.
  const project = options.project === undefined || isFolder(absolutePath(ctx.io, options.project)) ? projectOf(ctx.io, options.project) : await resolveProject(store, options.project, ctx.io)
  // One more of each than shown, to know whether there are more.
  const found = await priorArt(store, { task: query, project, limit: options.limit + 1 }, { profileFolder })
  const more = { patterns: found.patterns.length > options.limit, mistakes: found.mistakes.length > options.limit }
  const result = { ...found, patterns: found.patterns.slice(0, options.limit), mistakes: found.mistakes.slice(0, options.limit), more }
  ctx.print(result, () => {
    const c = ctx.colours
    // Recorded text (titles, notes, project paths) on one line each: a line break in a note would print a forged line of the list.
    const text = (value: string): string => oneLine(value, c.isColorSupported)
    const line = (hit: PriorArtHit): string => {
      const grade = hit.grade === undefined ? '' : ` [${hit.gradedBy === 'agent' ? 'self-graded' : 'user grade'} ${gradeLabel(hit.grade)}]`
      // Another project is said to be of another scope only when the current project's scope is known.
      const where = `${text(hit.project.split(/[\\/]/).at(-1) ?? hit.project)}${hit.scope === 'same' || result.scope === 'unknown' ? '' : ' (other scope)'}`
      return `  • ${text(hit.title)}${grade} — ${hit.kind}, ${text(hit.setup)}, ${where}, ${when(hit.at)}${hit.detail === '' ? '' : `\n    ${c.dim(text(hit.detail))}`}`
    }
    const sections = [
      c.bold(`Patterns to repeat (${String(result.patterns.length)})`),
      ...(result.patterns.length === 0 ? ['  none found'] : result.patterns.map(line)),
      '',
      c.bold(`Mistakes to avoid (${String(result.mistakes.length)})`),
      ...(result.mistakes.length === 0 ? ['  none found'] : result.mistakes.map(line)),
      ...(more.patterns || more.mistakes ? ['', c.dim(`Showing the best ${String(options.limit)} of each; there are more ${more.patterns && more.mistakes ? 'of both' : more.patterns ? 'patterns' : 'mistakes'}: add --limit ${String(options.limit * 2)} (or narrow with more words or --project) to see them.`)] : []),
    ]
    return sections.join('\n')
  })
  // Said first, then the search-index build carried on in a process of its own: this search waits for nothing.
  if (store.team !== true && isLmdbStore(store)) await carrySearchBuildOnDetached(store, ctx.io)
}

function isLmdbStore(store: object): store is LmdbStore {
  return 'searchIndexBuildPending' in store
}
