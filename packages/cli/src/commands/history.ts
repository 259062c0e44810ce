import type { HistoryEntry } from '@agent-tracker/core'
import { history } from '@agent-tracker/core'
import type { CommandContext } from '../context.js'
import { utcCell } from '../format.js'
import { moreHint, pageOf } from '../pagination.js'
import type { WindowFlags } from '../time/time-window.js'
import { requireSetup, resolveProject } from './lookups.js'

/** `history <setup>`: a setup's commits, grades, bugs and journal, newest first, a page at a time. */
export async function historyCommand(ctx: CommandContext, setup: string, options: WindowFlags & { project?: string; limit: number }): Promise<void> {
  const store = await ctx.readStore()
  const window = ctx.window(options)
  // With no database yet the answer is the empty history (and the note on how to start), of the shape the docs give.
  if (!ctx.missingDatabase) setup = (await requireSetup(store, setup)).setup
  const project = options.project === undefined || ctx.missingDatabase ? undefined : await resolveProject(store, options.project, ctx.io)
  const read = await history(store, {
    setup, limit: options.limit + 1,
    ...(window.since === undefined ? {} : { since: window.since }),
    ...(window.until === undefined ? {} : { until: window.until }),
    ...(project === undefined ? {} : { project }),
  })
  const page = pageOf(read, options.limit)
  ctx.print({ setup, entries: page.entries, more: page.more }, () => {
    if (page.entries.length === 0) return `No commits, grades, bugs or journal entries recorded for ${setup}${project === undefined ? '' : ` in project ${project}`}${window.description === '' ? '' : ` in ${window.description}`}.`
    const table = ctx.table<HistoryEntry>([
      { header: 'WHEN (UTC)', value: (e) => utcCell(e.at), priority: 9 },
      { header: 'WHAT', value: (e) => kindLabel(ctx, e.kind), priority: 8 },
      { header: 'PROJECT', value: (e) => e.project.split(/[\\/]/).at(-1) ?? e.project, priority: 4 },
      { header: 'DETAIL', value: (e) => e.summary, priority: 10 },
    ], page.entries)
    const hint = moreHint(page, [window.since === undefined ? '--since' : '', project === undefined ? '--project' : ''].join('/'), 'entry', 'entries')
    return hint === '' ? table : `${table}\n${ctx.colours.dim(hint)}`
  })
}

function kindLabel(ctx: CommandContext, kind: HistoryEntry['kind']): string {
  const c = ctx.colours
  return { commit: c.green('commit'), grade: c.cyan('grade'), bug: c.red('bug'), activity: c.dim('journal') }[kind]
}
