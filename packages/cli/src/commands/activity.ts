import type { ActivityRecord } from '@agent-tracker/core'
import { activity } from '@agent-tracker/core'
import { CliError, EXIT } from '../cli-error.js'
import type { CommandContext } from '../context.js'
import { warnIfMarkedDamaged } from '../damage-warning.js'
import { truncate, utcCell } from '../format.js'
import { moreHint, pageOf } from '../pagination.js'
import type { ProjectOfFolder } from './lookups.js'
import { givenText, projectOfFolder, requireSetup, resolveProject } from './lookups.js'
import { trackingService } from './tracking.js'

/** `activity [setup]`: lists journal entries; with `--task`, logs one for the setup in this folder. */
export async function activityCommand(ctx: CommandContext, setup: string | undefined, options: { task?: string; actions?: string; outcome?: string; decisions?: string; project?: string; limit: number }): Promise<number> {
  const loggingOnly = [options.actions === undefined ? undefined : '--actions', options.outcome === undefined ? undefined : '--outcome', options.decisions === undefined ? undefined : '--decisions'].filter((flag) => flag !== undefined)
  if (options.task === undefined && loggingOnly.length > 0) {
    throw new CliError('MISSING_TASK', `${loggingOnly.join(', ')} describe an entry to log: give its --task too (agent-tracker activity <setup> --task "…" ${loggingOnly[0] ?? ''} "…"). Without --task, activity lists entries.`, EXIT.usage)
  }
  if (options.task !== undefined) {
    const task = givenText('--task', options.task, 'what the setup worked on')
    const actions = givenText('--actions', options.actions, 'what it did')
    const outcome = givenText('--outcome', options.outcome, 'how it ended')
    const decisions = givenText('--decisions', options.decisions, 'what it decided')
    if (setup === undefined) throw new CliError('MISSING_SETUP', 'Name the setup the activity belongs to: agent-tracker activity <setup> --task "…".', EXIT.usage)
    // An entry is logged for a setup the database has: with no database, there is none, and nothing is made.
    const store = ctx.openExistingStore('setup to log an activity for')
    setup = (await requireSetup(store, setup)).setup
    const where: ProjectOfFolder = options.project === undefined ? await projectOfFolder(store, setup, ctx.io.cwd, ctx.io.homeDir) : { project: await resolveProject(store, options.project, ctx.io), source: 'known' }
    await trackingService(store).logActivity({
      setup, project: where.project, task: task ?? '',
      ...(actions === undefined ? {} : { actions }),
      ...(outcome === undefined ? {} : { outcome }),
      ...(decisions === undefined ? {} : { decisions }),
    })
    const why = where.source === 'latest' ? ` (this folder is no project: that is where ${setup} worked last; --project names another)` : ''
    ctx.print({ logged: true, setup, task, project: where.project }, () => `Logged "${task ?? ''}" for ${setup} in ${where.project}${why}.`)
    return EXIT.ok
  }
  const store = await ctx.readStore()
  if (setup !== undefined) setup = (await requireSetup(store, setup)).setup
  const project = options.project === undefined ? undefined : await resolveProject(store, options.project, ctx.io)
  const page = pageOf(await activity(store, { setup, project, limit: options.limit + 1 }), options.limit)
  // Said before the list, and in its JSON notices: a list read from a damaged file may lack entries.
  const damaged = warnIfMarkedDamaged(ctx, store, 'this list')
  ctx.print({ entries: page.entries, more: page.more }, () => {
    if (page.entries.length === 0) return 'No journal entries recorded.'
    const table = ctx.table<ActivityRecord>([
      { header: 'WHEN (UTC)', value: (a) => utcCell(a.at), priority: 8 },
      { header: 'SETUP', value: (a) => a.setup, priority: setup === undefined ? 9 : 1 },
      { header: 'TASK', value: (a) => truncate(a.task, 40), priority: 10 },
      { header: 'OUTCOME', value: (a) => truncate(a.outcome, 40), priority: 7 },
      { header: 'DECISIONS', value: (a) => truncate(a.decisions, 40), priority: 4 },
    ], page.entries)
    return page.more ? `${table}\n${ctx.colours.dim(moreHint(page, options.project === undefined ? '--project' : '', 'journal entry', 'journal entries'))}` : table
  })
  return damaged ? EXIT.failure : EXIT.ok
}
