import { accessSync, constants, existsSync, readFileSync, statSync, statfsSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import type { MigrationRecord, RollupCheck } from '@agent-tracker/core'
import { SCHEMA_VERSION, checkRollups } from '@agent-tracker/core'
import type { DeepCheck } from '@agent-tracker/lmdb-store'
import { checkDataFile, clearDamage, damageMark, deepCheck, describeDatabaseFormat, formatBytes, locateDataFile, markDamaged, recogniseDatabase } from '@agent-tracker/lmdb-store'
import type { FolderLegacyStatus } from '@agent-tracker/migrate'
import { folderLegacyStatus } from '@agent-tracker/migrate'
import { DATABASE_PATH_VARIABLE, PROTECTED_FILES_VARIABLE, ProtectedFileIndex, locateDatabase, resolveProtectedFiles } from '@agent-tracker/node-host'
import { EXIT } from '../cli-error.js'
import { describeFailure, notOursAdvice } from '../describe-failure.js'
import type { CommandContext } from '../context.js'
import { when } from '../format.js'
import { agentSessionOfIo } from '../io.js'
import { PLUGIN_NAME } from './init.js'

interface Check {
  readonly name: string
  readonly ok: boolean
  readonly detail: string
}

/** Below this much free disk space, writes are about to fail. */
const LOW_DISK_BYTES = 1024 * 1024

/** Drift lines `doctor --check` prints at most (JSON output lists every one). */
const DRIFT_SHOWN = 20

/**
 * `doctor [folder]`: where the database is, what it is, how full, which schema, who reads it, what
 * legacy data waits, which files the guard protects in the folder, and whether grades given here would count;
 * with `check`, also recomputes the day rollups from the records and the fact log and reports drift.
 */
export async function doctorCommand(ctx: CommandContext, folder?: string, options: { check?: boolean; deep?: boolean } = {}): Promise<number> {
  const checks: Check[] = []
  let path: string
  try {
    const located = locateDatabase({ databasePath: ctx.databasePath, env: ctx.io.env, homeDir: ctx.io.homeDir })
    path = located.path
    const source = { explicit: '--db', environment: DATABASE_PATH_VARIABLE, default: 'default' }[located.origin]
    checks.push({ name: 'Database', ok: true, detail: `${path} (from ${source})` })
  } catch (error) {
    checks.push({ name: 'Database', ok: false, detail: describeFailure(error).message })
    return report(ctx, checks)
  }
  const { dataFile } = locateDataFile(path)
  if (options.deep === true) checks.push(await deepDamageCheck(ctx, path))
  const damage = damageMark(path)
  if (damage !== undefined) checks.push({ name: 'Damage', ok: false, detail: `found damaged (${damage.at}): ${damage.problem}. Writes are refused until doctor --deep finds it intact: restore a backup (merge undo points are kept in ${path}.undo), or move the file aside.` })
  const file = checkDataFile(dataFile)
  const format = recogniseDatabase(path)
  let migrations: MigrationRecord[] = []
  if (!file.ok) {
    checks.push({ name: 'File', ok: false, detail: `${dataFile} is unreadable: ${file.problem}` })
  } else if (!file.exists) {
    checks.push({ name: 'File', ok: true, detail: 'not created yet (it is created on the first write)' })
  } else if (format.kind !== 'agent-tracker') {
    checks.push({ name: 'File', ok: true, detail: `${formatBytes(statSync(dataFile).size)} on disk` })
    const usable = format.kind === 'empty'
    checks.push({ name: 'Format', ok: usable, detail: usable ? `${describeDatabaseFormat(format)}; it is set up as an agent-tracker database on the first write` : notOursAdvice(path, format) })
  } else {
    checks.push({ name: 'File', ok: true, detail: `${formatBytes(statSync(dataFile).size)} on disk` })
    checks.push(writableCheck(dataFile))
    try {
      const store = ctx.openStore('read')
      const info = store.info()
      checks.push({ name: 'Format', ok: true, detail: `agent-tracker database, schema version ${String(info.schemaVersion)}` })
      const share = info.usedBytes / info.maxDatabaseSize
      checks.push({ name: 'Size', ok: share < 0.9, detail: `${formatBytes(info.usedBytes)} used of the ${formatBytes(info.maxDatabaseSize)} limit (${(share * 100).toFixed(1)}%)${share >= 0.9 ? ' — raise the limit soon (--max-size here, maxDatabaseSize in the plugin options)' : ''}` })
      checks.push({ name: 'Schema', ok: info.schemaVersion <= SCHEMA_VERSION, detail: `version ${String(info.schemaVersion)} (this release reads ${String(SCHEMA_VERSION)})` })
      checks.push({ name: 'Readers', ok: info.readers < info.maxReaders, detail: `${String(info.readers)} of ${String(info.maxReaders)} reader slots in use` })
      checks.push({ name: 'Records', ok: true, detail: Object.entries(info.records).map(([name, count]) => `${String(count)} ${name}`).join(', ') })
      migrations = await store.listMigrations()
      checks.push({ name: 'Migrations', ok: true, detail: describeMigrations(migrations) })
      if (options.check === true) checks.push(await rollupCheck(ctx))
    } catch (error) {
      checks.push({ name: 'Open', ok: false, detail: describeFailure(error).message })
    }
  }
  const project = resolve(ctx.io.cwd, folder ?? '.')
  checks.push({ name: 'Legacy', ok: true, detail: describeLegacy(folderLegacyStatus(project, migrations)) })
  const configs = [join(ctx.io.cwd, 'opencode.json'), join(ctx.io.cwd, 'opencode.jsonc'), join(ctx.io.homeDir, '.config', 'opencode', 'opencode.json'), join(ctx.io.homeDir, '.config', 'opencode', 'opencode.jsonc')]
  const configured = configs.filter((config) => existsSync(config) && readFileSync(config, 'utf8').includes(PLUGIN_NAME))
  checks.push({ name: 'Plugin', ok: true, detail: configured.length > 0 ? `configured in ${configured.join(', ')}` : 'not configured here or globally — run agent-tracker init' })
  checks.push(protectionCheck(ctx, project))
  const session = agentSessionOfIo(ctx.io)
  checks.push({ name: 'Grades', ok: true, detail: session === undefined ? 'given here at a terminal, they count as yours (cli-terminal)' : `this runs inside an agent session (${session.evidence}): grades given here are recorded as cli-script and do not count` })
  return report(ctx, checks)
}

/** Whether writes can reach the file: its permissions, a read-only file system, a full disk. */
function writableCheck(dataFile: string): Check {
  try {
    accessSync(dataFile, constants.W_OK)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'EROFS' ? 'it is on a read-only file system' : `it is not writable (${code ?? (error as Error).message})`
    return { name: 'Writable', ok: false, detail: `${why}: nothing can be recorded. Reads still work.` }
  }
  try {
    const { bavail, bsize } = statfsSync(dirname(dataFile))
    const free = bavail * bsize
    if (free < LOW_DISK_BYTES) return { name: 'Writable', ok: false, detail: `the disk holding it has ${formatBytes(free)} free: writes will fail. Free some space.` }
    return { name: 'Writable', ok: true, detail: `yes; ${formatBytes(free)} free on its disk` }
  } catch {
    return { name: 'Writable', ok: true, detail: 'yes' }
  }
}

/** Walks every page and reads every value (in a child process); remembers the verdict for writers. */
async function deepDamageCheck(ctx: CommandContext, path: string): Promise<Check & { readonly trees?: DeepCheck['trees'] }> {
  const progress = ctx.progress('Deep check')
  const result = await deepCheck(path).finally(() => { progress.stop() })
  if (result.intact) {
    clearDamage(path)
    const entries = result.trees.reduce((sum, tree) => sum + tree.entries, 0)
    return { name: 'Deep check', ok: true, detail: `every page of ${String(result.trees.length)} trees and all ${String(entries)} entries read back`, trees: result.trees }
  }
  const damaged = result.problem === undefined ? result.trees.filter((tree) => tree.problem !== undefined).map((tree) => `${tree.name}: ${String(tree.problem)}`) : [`the file: ${result.problem}`]
  markDamaged(path, damaged.join('; '))
  const fix = 'Restore a backup (merge undo points are kept beside the database, in its .undo folder), or move the file aside and start a new one; writes to it are refused until a deep check finds it intact.'
  return { name: 'Deep check', ok: false, detail: `damage found in ${String(damaged.length)} place(s):${damaged.map((line) => `\n    ${line}`).join('')}\n    ${fix}`, trees: result.trees }
}

/** Recomputes the day rollups and names where they drifted from what the records and facts add up to. */
async function rollupCheck(ctx: CommandContext): Promise<Check & { readonly drift: RollupCheck['drift'] }> {
  const progress = ctx.progress('Checking rollups')
  const result = await checkRollups(ctx.openStore('read')).finally(() => { progress.stop() })
  const { rollups, facts, drift } = result
  const counted = `${String(rollups)} day rollups against the records and ${String(facts)} logged facts`
  if (drift.length === 0) return { name: 'Rollups', ok: true, detail: `${counted}: no drift`, drift }
  const lines = drift.slice(0, DRIFT_SHOWN).map((d) => `\n    ${d.key.join(' · ')} ${d.field}: stored ${String(d.stored)}, expected ${String(d.expected)}`)
  const more = drift.length > DRIFT_SHOWN ? `\n    … and ${String(drift.length - DRIFT_SHOWN)} more (--json lists every one)` : ''
  return { name: 'Rollups', ok: false, detail: `${counted}: ${String(drift.length)} number(s) drifted${lines.join('')}${more}`, drift }
}

/** Which files the hosts' guard protects (defaults and `AGENT_TRACKER_PROTECTED_FILES`), and which of them `folder` holds. */
function protectionCheck(ctx: CommandContext, folder: string): Check {
  try {
    const protection = resolveProtectedFiles([], ctx.io.env)
    const files = new ProtectedFileIndex(folder, protection, { maxEntries: 50_000 }).filesUnder(folder)
    const here = files === undefined ? 'too many files here to list them' : files.length === 0 ? `none in ${folder}` : `${String(files.length)} in ${folder}: ${files.slice(0, 5).map((file) => relative(folder, file)).join(', ')}${files.length > 5 ? ', …' : ''}`
    return { name: 'Secrets', ok: true, detail: `${protection.patterns.join(' ')} (more with ${PROTECTED_FILES_VARIABLE} or the plugin's protectedFiles); ${here}` }
  } catch (error) {
    return { name: 'Secrets', ok: false, detail: `${PROTECTED_FILES_VARIABLE}: ${describeFailure(error).message}` }
  }
}

/** How many migrations ran, and the zones their zone-less times were read in. */
function describeMigrations(migrations: readonly MigrationRecord[]): string {
  if (migrations.length === 0) return 'none recorded'
  const zones = [...new Set(migrations.flatMap((record) => (record.timeZone === undefined ? [] : [record.timeZone])))]
  const latest = migrations.at(-1)
  const last = latest === undefined ? '' : `; latest: ${latest.kind} of ${latest.source} on ${when(latest.at)}`
  return `${String(migrations.length)} recorded${zones.length === 0 ? '' : `; times without a zone read as ${zones.join(', ')}`}${last}`
}

/** What a folder's legacy data is, and whether it was migrated. */
function describeLegacy(status: FolderLegacyStatus): string {
  const own = status.ownStatusExport ? ' (.agent/status.json is agent-tracker\'s own export)' : ''
  if (status.sources.length === 0) return `none in ${status.folder}${own}`
  const parts = status.sources.map((source) => {
    const what = source.kind === 'project-database' ? 'its per-project database' : `${String(source.found.length)} legacy file(s)`
    const run = source.migration
    if (run === undefined) return `${what}: not migrated yet — run agent-tracker migrate ${status.folder}`
    const by = run.migratedBy === undefined ? '' : ` by ${run.migratedBy}`
    const zone = run.timeZone === undefined ? '' : `, times without a zone read as ${run.timeZone}`
    const setup = run.setup === undefined ? '' : `, under the setup ${run.setup}`
    const changed = source.changedSince.length === 0 ? '' : `; ${String(source.changedSince.length)} changed since — run agent-tracker migrate ${status.folder} to look at them again`
    const issues = run.errors === 0 ? '' : ` with ${String(run.errors)} issue(s)`
    return `${source.found.length === 0 ? `${what} (gone now)` : what}: migrated${by} on ${when(run.at)}${issues}${setup}${zone}${changed}`
  })
  return `${status.folder}${own}: ${parts.join('; ')}`
}

function report(ctx: CommandContext, checks: readonly Check[]): number {
  const healthy = checks.every((check) => check.ok)
  ctx.print({ healthy, checks }, () => {
    const c = ctx.colours
    const width = Math.max(...checks.map((check) => check.name.length))
    return [...checks.map((check) => `${check.ok ? c.green('✓') : c.red('✗')} ${check.name.padEnd(width)}  ${check.detail}`), '', healthy ? c.green('All good.') : c.red('Problems found (✗ above).')].join('\n')
  })
  return healthy ? EXIT.ok : EXIT.failure
}
