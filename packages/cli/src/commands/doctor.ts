import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { SCHEMA_VERSION } from '@agent-tracker/core'
import { checkDataFile, formatBytes, locateDataFile } from '@agent-tracker/lmdb-store'
import { detectLegacy, hasLegacyData } from '@agent-tracker/migrate'
import { DATABASE_PATH_VARIABLE, locateDatabase } from '@agent-tracker/node-host'
import { EXIT, describeFailure } from '../cli-error.js'
import type { CommandContext } from '../context.js'
import { PLUGIN_NAME } from './init.js'

interface Check {
  readonly name: string
  readonly ok: boolean
  readonly detail: string
}

/** `doctor`: where the database is, how full, which schema, who reads it, what legacy data waits. */
export function doctorCommand(ctx: CommandContext): number {
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
  const file = checkDataFile(dataFile)
  if (!file.ok) {
    checks.push({ name: 'File', ok: false, detail: `${dataFile} is unreadable: ${file.problem}` })
  } else if (!file.exists) {
    checks.push({ name: 'File', ok: true, detail: 'not created yet (it is created on the first write)' })
  } else {
    checks.push({ name: 'File', ok: true, detail: `${formatBytes(statSync(dataFile).size)} on disk` })
    try {
      const info = ctx.openStore('read').info()
      const share = info.usedBytes / info.maxDatabaseSize
      checks.push({ name: 'Size', ok: share < 0.9, detail: `${formatBytes(info.usedBytes)} used of the ${formatBytes(info.maxDatabaseSize)} limit (${(share * 100).toFixed(1)}%)${share >= 0.9 ? ' — raise the limit soon (--max-size here, maxDatabaseSize in the plugin options)' : ''}` })
      checks.push({ name: 'Schema', ok: info.schemaVersion <= SCHEMA_VERSION, detail: `version ${String(info.schemaVersion)} (this release reads ${String(SCHEMA_VERSION)})` })
      checks.push({ name: 'Readers', ok: info.readers < info.maxReaders, detail: `${String(info.readers)} of ${String(info.maxReaders)} reader slots in use` })
      checks.push({ name: 'Records', ok: true, detail: Object.entries(info.records).map(([name, count]) => `${String(count)} ${name}`).join(', ') })
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
  return report(ctx, checks)
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
