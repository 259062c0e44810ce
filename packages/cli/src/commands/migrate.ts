import { existsSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import type { MigrationIssue, MigrationReport } from '@agent-tracker/migrate'
import { detectLegacy, hasLegacyData, importLegacyFiles, migrateProjectDatabase, profileProject } from '@agent-tracker/migrate'
import { CliError, EXIT } from '../cli-error.js'
import type { CommandContext } from '../context.js'

interface FolderResult {
  readonly folder: string
  readonly found: boolean
  readonly database: MigrationReport
  readonly files: MigrationReport
}

/** `migrate [dir…]`: brings each project's legacy database and journal files into the central database. */
export async function migrateCommand(ctx: CommandContext, dirs: readonly string[], options: { setup?: string; timezone?: string }): Promise<number> {
  const folders = (dirs.length === 0 ? ['.'] : dirs).map((dir) => resolve(ctx.io.cwd, dir))
  const missing = folders.find((folder) => !existsSync(folder) || !statSync(folder).isDirectory())
  if (missing !== undefined) throw new CliError('NOT_A_FOLDER', `${missing} is not a folder.`, EXIT.usage)
  const store = ctx.openStore('write')
  const results: FolderResult[] = []
  for (const folder of folders) {
    const legacy = detectLegacy(folder)
    const progress = ctx.progress(`Migrating ${folder}`)
    try {
      const zone = options.timezone === undefined ? {} : { timeZone: options.timezone }
      const database = await migrateProjectDatabase(folder, store, { ...zone, onProgress: (p) => { progress.update(p.processed, p.total, `${String(p.migrated)} new`) } })
      const files = await importLegacyFiles(folder, store, { ...zone, ...(options.setup === undefined ? {} : { setup: options.setup }) })
      if (hasLegacyData(legacy)) await store.saveProjectProfile(folder, profileProject(folder))
      results.push({ folder, found: hasLegacyData(legacy), database, files })
    } finally {
      progress.stop()
    }
  }
  const issues: MigrationIssue[] = results.flatMap((r) => [...r.database.errors, ...r.files.errors])
  ctx.print({ folders: results, issues: issues.length }, () => {
    const table = ctx.table<FolderResult>([
      { header: 'FOLDER', value: (r) => r.folder, priority: 10 },
      { header: 'DATABASE NEW/KNOWN', value: (r) => (r.found ? `${String(r.database.migrated)}/${String(r.database.skipped)}` : '–'), align: 'right', priority: 8 },
      { header: 'FILES NEW/KNOWN', value: (r) => (r.found ? `${String(r.files.migrated)}/${String(r.files.skipped)}` : '–'), align: 'right', priority: 8 },
      { header: 'ISSUES', value: (r) => String(r.database.errors.length + r.files.errors.length), align: 'right', priority: 9 },
    ], results)
    const none = results.every((r) => !r.found) ? '\nNo legacy data found (looked for ~/.config/opencode/agent-tracker.lmdb, .agent/status.json and .journal/ inside each folder).' : ''
    const listed = issues.map((issue) => `  ${issue.source}${issue.position === undefined ? '' : ` (${issue.position})`}: ${issue.message}`)
    return [table + none, ...(listed.length === 0 ? [] : ['', ctx.colours.yellow(`${String(issues.length)} issue(s); everything else was migrated and nothing was deleted:`), ...listed])].join('\n')
  })
  return issues.length > 0 ? EXIT.failure : EXIT.ok
}
