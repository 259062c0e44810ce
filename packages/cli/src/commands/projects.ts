import type { ProjectSummary } from '@agent-tracker/core'
import { projectList, refreshProjectProfiles } from '@agent-tracker/core'
import { profileFolder } from '@agent-tracker/node-host/hooks'
import type { CommandContext } from '../context.js'
import { plural, when } from '../format.js'

/** `projects [--refresh]`: every project seen, with its profile; `--refresh` re-reads the folders. */
export async function projectsCommand(ctx: CommandContext, options: { refresh?: boolean }): Promise<void> {
  const store = options.refresh === true ? ctx.openStore('write') : await ctx.readStore()
  const refreshed = options.refresh === true ? await refreshProjectProfiles(store, profileFolder) : []
  const rows = await projectList(store)
  ctx.print({ projects: rows, refreshed }, () => {
    if (rows.length === 0) return 'No projects recorded yet.'
    const table = ctx.table<ProjectSummary>([
      { header: 'PROJECT', value: (p) => p.name, priority: 10 },
      { header: 'LANGUAGE', value: (p) => p.profile?.language ?? '?', priority: 8 },
      { header: 'FRAMEWORK', value: (p) => p.profile?.framework ?? '?', priority: 6 },
      { header: 'SCOPE', value: (p) => p.profile?.scope ?? '?', priority: 7 },
      { header: 'COMMITS', value: (p) => String(p.commits), align: 'right', priority: 9 },
      { header: 'FIRST SEEN', value: (p) => when(p.firstSeenAt), priority: 4 },
      { header: 'LAST ACTIVE', value: (p) => when(p.lastSeenAt), priority: 5 },
      { header: 'PATH', value: (p) => p.path, priority: 3 },
    ], rows)
    const unprofiled = rows.filter((p) => p.profile === undefined).length
    const hint = unprofiled > 0 && options.refresh !== true ? `\n${unprofiled === 1 ? '1 project has' : `${String(unprofiled)} projects have`} no profile yet; run agent-tracker projects --refresh.` : ''
    return `${table}${refreshed.length > 0 ? `\nRefreshed ${plural(refreshed.length, 'profile')}.` : ''}${hint}`
  })
}
