import type { ProjectSummary } from '@agent-tracker/core'
import { projectList, refreshProjectProfiles } from '@agent-tracker/core'
import { profileFolder } from '@agent-tracker/node-host/hooks'
import type { CommandContext } from '../context.js'
import { plural, utcCell } from '../format.js'
import { isFolder } from './lookups.js'

/** `projects [--refresh]`: every project seen, with its profile; `--refresh` re-reads the folders. */
export async function projectsCommand(ctx: CommandContext, options: { refresh?: boolean }): Promise<void> {
  const store = options.refresh === true ? ctx.openStore('write') : await ctx.readStore()
  const refreshed = options.refresh === true ? await refreshProjectProfiles(store, profileFolder) : []
  const rows = await projectList(store)
  // A project without a profile whose folder is not on this machine (moved, deleted, another
  // machine's) cannot be profiled here: said, and left out of the hint to refresh.
  const unprofiled = rows.filter((p) => p.profile === undefined)
  const gone = unprofiled.filter((p) => !isFolder(p.path)).map((p) => p.path)
  const data = { projects: rows, refreshed, ...(options.refresh === true ? { notHere: gone } : {}) }
  ctx.print(data, () => {
    if (rows.length === 0) return 'No projects recorded yet.'
    const table = ctx.table<ProjectSummary>([
      { header: 'PROJECT', value: (p) => p.name, priority: 10 },
      { header: 'LANGUAGE', value: (p) => p.profile?.language ?? '?', priority: 8 },
      { header: 'FRAMEWORK', value: (p) => p.profile?.framework ?? '?', priority: 6 },
      { header: 'SCOPE', value: (p) => p.profile?.scope ?? '?', priority: 7 },
      { header: 'COMMITS', value: (p) => String(p.commits), align: 'right', priority: 9 },
      { header: 'FIRST SEEN (UTC)', value: (p) => utcCell(p.firstSeenAt), priority: 4 },
      { header: 'LAST ACTIVE (UTC)', value: (p) => utcCell(p.lastSeenAt), priority: 5 },
      { header: 'PATH', value: (p) => p.path, priority: 3 },
    ], rows)
    const readable = unprofiled.length - gone.length
    const lines = [table]
    if (refreshed.length > 0) lines.push(`Refreshed ${plural(refreshed.length, 'profile')}.`)
    if (readable > 0 && options.refresh !== true) lines.push(`${readable === 1 ? '1 project has' : `${String(readable)} projects have`} no profile yet; run agent-tracker projects --refresh.`)
    if (gone.length > 0) {
      const shown = gone.slice(0, MAX_LISTED)
      const more = gone.length > shown.length ? ` and ${String(gone.length - shown.length)} more` : ''
      lines.push(`${gone.length === 1 ? '1 project has' : `${String(gone.length)} projects have`} no profile and no folder on this machine to read one from: ${shown.join(', ')}${more}. Run agent-tracker projects --refresh on a machine that has them.`)
    }
    return lines.join('\n')
  })
}

/** Folders named at most in the note on projects whose folder is not here. */
const MAX_LISTED = 5
