import type { TrackerStore } from '@agent-tracker/core'
import { createMemoryStore } from '@agent-tracker/core/testing'
import { detectLegacy, hasLegacyData } from '@agent-tracker/migrate'
import type { ProjectMigration, SourceMigration } from '@agent-tracker/node-host'
import { migrateProject } from '@agent-tracker/node-host'
import { CliError, EXIT } from '../cli-error.js'
import type { CommandContext } from '../context.js'
import { plural, when } from '../format.js'
import { absolutePath } from '../io.js'
import { isFolder } from './lookups.js'
import { scoreChanges } from './merge.js'

/**
 * `migrate [dir…]`: brings each folder's legacy database and journal files into the central
 * database, under the project holding the folder (the root of its git work tree), as every host records work.
 */
export async function migrateCommand(ctx: CommandContext, dirs: readonly string[], options: { setup?: string; again?: boolean }): Promise<number> {
  const timeZone = ctx.timeZone
  const folders = (dirs.length === 0 ? ['.'] : dirs).map((dir) => absolutePath(ctx.io, dir))
  if (options.setup !== undefined && !/^[^\s@/]+(@[^\s@/]+\/\S+)?$/.test(options.setup)) {
    // A setup named here keeps the files for good (see docs/legacy-formats.md): only a whole id, as hosts record them.
    throw new CliError('INVALID_SETUP_ID', `Invalid --setup "${options.setup}": give a setup id without spaces, <agent>@<provider>/<model> (e.g. build@anthropic/claude-sonnet-4-5), or an agent's name alone when the model is not known; the files imported go to it for good.`, EXIT.usage)
  }
  const missing = folders.find((folder) => !isFolder(folder))
  if (missing !== undefined) throw new CliError('NOT_A_FOLDER', `${missing} is not a folder.`, EXIT.usage)
  // With no database yet and no legacy data in any folder, there is nothing to write: the same
  // answer comes from an empty store in memory, and no empty database is left at the path.
  const store: TrackerStore = ctx.openStoreIfThere() ?? (folders.some((folder) => hasLegacyData(detectLegacy(folder))) ? ctx.openStore('write') : createMemoryStore())
  const results: ProjectMigration[] = []
  for (const folder of folders) {
    const progress = ctx.progress(`Migrating ${folder}`)
    try {
      results.push(await migrateProject(folder, store, { setup: options.setup, again: options.again, timeZone, homeDir: ctx.io.homeDir, onProgress: (p) => { progress.update(p.processed, p.total, `${String(p.migrated)} new`) } }))
    } finally {
      progress.stop()
    }
  }
  const issues = results.flatMap((result) => result.issues)
  ctx.print({ folders: results, issues: issues.length }, () => {
    const table = ctx.table<ProjectMigration>([
      { header: 'FOLDER', value: (r) => r.folder, priority: 10 },
      { header: 'DATABASE NEW/KNOWN', value: (r) => counts(r.database), align: 'right', priority: 8 },
      { header: 'FILES NEW/KNOWN', value: (r) => counts(r.files), align: 'right', priority: 8 },
      { header: 'ISSUES', value: (r) => String(r.issues.length), align: 'right', priority: 9 },
    ], results)
    const none = results.every((r) => !r.found) ? '\nNo legacy data found (looked for ~/.config/opencode/agent-tracker.lmdb, .agent/status.json and .journal/ inside each folder).' : ''
    const before = results.some((r) => r.database.outcome === 'done-before' || r.files.outcome === 'done-before') ? '\nMigrations done before were not repeated; add --again to look for legacy data added since.' : ''
    const listed = issues.map((issue) => `  ${issue.source}${issue.position === undefined ? '' : ` (${issue.position})`}: ${issue.message}`)
    return [table + none + before, ...results.flatMap(whatHappened), ...(listed.length === 0 ? [] : ['', ctx.colours.yellow(`${plural(issues.length, 'issue')}; everything else was migrated and nothing was deleted:`), ...listed])].join('\n')
  })
  return issues.length > 0 ? EXIT.failure : EXIT.ok
}

/** Lines for what a folder's migration did beyond adding records: the project it went under, moves, scores added to setups already stored, and its notes. */
function whatHappened(result: ProjectMigration): string[] {
  const lines: string[] = []
  if (result.found && result.project !== result.folder) lines.push(`${result.folder}: recorded under ${result.project}, the repository holding it.`)
  const { moved } = result.files
  if (moved !== undefined) lines.push(`${result.folder}: moved ${plural(moved.records, 'record')} an earlier migration put under ${moved.from} to ${moved.to}.`)
  for (const source of [result.database, result.files]) {
    for (const { id, before, after } of source.combined ?? []) lines.push(`${result.folder}: ${id} was already known; its scores were added to (${scoreChanges(before, after)}).`)
    for (const note of source.notes ?? []) lines.push(`${result.folder}: ${note}`)
  }
  return lines
}

function counts(source: SourceMigration): string {
  if (source.outcome === 'none') return '–'
  if (source.outcome === 'done-before') return `done ${source.previousRun === undefined ? 'before' : when(source.previousRun.at)}`
  return `${String(source.migrated)}/${String(source.skipped)}`
}
