import { accessSync, constants, existsSync, readFileSync, statSync, statfsSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import type { RollupCheck } from '@agent-tracker/core'
import { SCHEMA_VERSION, checkRollups } from '@agent-tracker/core'
import type { DeepCheck } from '@agent-tracker/lmdb-store'
import { checkDataFile, clearDamage, damageMark, deepCheck, formatBytes, locateDataFile, markDamaged } from '@agent-tracker/lmdb-store'
import { detectLegacy, hasLegacyData } from '@agent-tracker/migrate'
import { DATABASE_PATH_VARIABLE, PROTECTED_FILES_VARIABLE, ProtectedFileIndex, locateDatabase, resolveProtectedFiles } from '@agent-tracker/node-host'
import { EXIT } from '../cli-error.js'
import { describeFailure } from '../describe-failure.js'
import type { CommandContext } from '../context.js'
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
 * `doctor`: where the database is, how full, which schema, who reads it, what legacy data waits,
 * which files the guard protects here, and whether grades given here would count; with `check`,
 * also recomputes the day rollups from the records and the fact log and reports drift.
 */
export async function doctorCommand(ctx: CommandContext, options: { check?: boolean; deep?: boolean } = {}): Promise<number> {
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
  if (!file.ok) {
    checks.push({ name: 'File', ok: false, detail: `${dataFile} is unreadable: ${file.problem}` })
  } else if (!file.exists) {
    checks.push({ name: 'File', ok: true, detail: 'not created yet (it is created on the first write)' })
  } else {
    checks.push({ name: 'File', ok: true, detail: `${formatBytes(statSync(dataFile).size)} on disk` })
    checks.push(writableCheck(dataFile))
    try {
      const info = ctx.openStore('read').info()
      const share = info.usedBytes / info.maxDatabaseSize
      checks.push({ name: 'Size', ok: share < 0.9, detail: `${formatBytes(info.usedBytes)} used of the ${formatBytes(info.maxDatabaseSize)} limit (${(share * 100).toFixed(1)}%)${share >= 0.9 ? ' — raise the limit soon (--max-size here, maxDatabaseSize in the plugin options)' : ''}` })
      checks.push({ name: 'Schema', ok: info.schemaVersion <= SCHEMA_VERSION, detail: `version ${String(info.schemaVersion)} (this release reads ${String(SCHEMA_VERSION)})` })
      checks.push({ name: 'Readers', ok: info.readers < info.maxReaders, detail: `${String(info.readers)} of ${String(info.maxReaders)} reader slots in use` })
      checks.push({ name: 'Records', ok: true, detail: Object.entries(info.records).map(([name, count]) => `${String(count)} ${name}`).join(', ') })
      if (options.check === true) checks.push(await rollupCheck(ctx))
    } catch (error) {
      checks.push({ name: 'Open', ok: false, detail: describeFailure(error).message })
    }
  }
  const legacy = detectLegacy(ctx.io.cwd)
  const found = [legacy.projectDatabase === undefined ? undefined : 'a per-project database', legacy.statusFile === undefined ? undefined : '.agent/status.json', legacy.communicationFile === undefined ? undefined : '.journal/communication.json', legacy.journalFiles.length === 0 ? undefined : `${String(legacy.journalFiles.length)} journal file(s)`].filter((part) => part !== undefined)
  checks.push({ name: 'Legacy', ok: true, detail: hasLegacyData(legacy) ? `found in ${ctx.io.cwd}: ${found.join(', ')} — run agent-tracker migrate` : `none in ${ctx.io.cwd}` })
  const configs = [join(ctx.io.cwd, 'opencode.json'), join(ctx.io.cwd, 'opencode.jsonc'), join(ctx.io.homeDir, '.config', 'opencode', 'opencode.json'), join(ctx.io.homeDir, '.config', 'opencode', 'opencode.jsonc')]
  const configured = configs.filter((config) => existsSync(config) && readFileSync(config, 'utf8').includes(PLUGIN_NAME))
  checks.push({ name: 'Plugin', ok: true, detail: configured.length > 0 ? `configured in ${configured.join(', ')}` : 'not configured here or globally — run agent-tracker init' })
  checks.push(protectionCheck(ctx))
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

/** Which files the hosts' guard protects (defaults and `AGENT_TRACKER_PROTECTED_FILES`), and which of them this folder holds. */
function protectionCheck(ctx: CommandContext): Check {
  try {
    const protection = resolveProtectedFiles([], ctx.io.env)
    const files = new ProtectedFileIndex(ctx.io.cwd, protection, { maxEntries: 50_000 }).filesUnder(ctx.io.cwd)
    const here = files === undefined ? 'too many files here to list them' : files.length === 0 ? `none in ${ctx.io.cwd}` : `${String(files.length)} in ${ctx.io.cwd}: ${files.slice(0, 5).map((file) => relative(ctx.io.cwd, file)).join(', ')}${files.length > 5 ? ', …' : ''}`
    return { name: 'Secrets', ok: true, detail: `${protection.patterns.join(' ')} (more with ${PROTECTED_FILES_VARIABLE} or the plugin's protectedFiles); ${here}` }
  } catch (error) {
    return { name: 'Secrets', ok: false, detail: `${PROTECTED_FILES_VARIABLE}: ${describeFailure(error).message}` }
  }
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
