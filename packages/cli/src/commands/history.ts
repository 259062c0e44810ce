import type { HistoryEntry } from '@agent-tracker/core'
import { history, toTimeWindow } from '@agent-tracker/core'
import type { CommandContext } from '../context.js'
import { when } from '../format.js'
import { requireSetup, resolveProject } from './lookups.js'

/** `history <setup>`: a setup's commits, grades, bugs and journal, newest first. */
export async function historyCommand(ctx: CommandContext, setup: string, options: { project?: string; since?: string; until?: string; limit: number }): Promise<void> {
  const store = ctx.openStore('read')
  await requireSetup(store, setup)
  const project = options.project === undefined ? undefined : await resolveProject(store, options.project, ctx.io.cwd)
  const entries = await history(store, { setup, ...toTimeWindow(options), ...(project === undefined ? {} : { project }), limit: options.limit })
  ctx.print({ setup, entries }, () => {
    if (entries.length === 0) return `Nothing recorded for ${setup} in this window.`
    return ctx.table<HistoryEntry>([
      { header: 'WHEN (UTC)', value: (e) => when(e.at), priority: 9 },
      { header: 'WHAT', value: (e) => kindLabel(ctx, e.kind), priority: 8 },
      { header: 'PROJECT', value: (e) => e.project.split(/[\\/]/).at(-1) ?? e.project, priority: 4 },
      { header: 'DETAIL', value: (e) => e.summary, priority: 10 },
    ], entries)
  })
}

function kindLabel(ctx: CommandContext, kind: HistoryEntry['kind']): string {
  const c = ctx.colours
  return { commit: c.green('commit'), grade: c.cyan('grade'), bug: c.red('bug'), activity: c.dim('journal') }[kind]
}
