import { statSync } from 'node:fs'
import { relative } from 'node:path'
import { SCHEMA_VERSION } from '@agent-tracker/core'
import { checkDataFile, formatBytes, locateDataFile } from '@agent-tracker/lmdb-store'
import { detectLegacy, hasLegacyData } from '@agent-tracker/migrate'
import { DATABASE_PATH_VARIABLE, PROTECTED_FILES_VARIABLE, ProtectedFileIndex, locateDatabase, resolveProtectedFiles } from '@agent-tracker/node-host'
import { EXIT, describeFailure } from '../cli-error.js'
import type { CommandContext } from '../context.js'
import { plural } from '../format.js'
import { agentSessionOfIo } from '../io.js'
import { findPlugin, openCodeConfigFiles } from '../opencode-config.js'

/** How a check came out: fine, a finding to look at (nothing broken), or a problem. */
type Level = 'ok' | 'finding' | 'problem'

interface Check {
  readonly name: string
  /** False for a problem; a finding is ok. */
  readonly ok: boolean
  readonly level: Level
  readonly detail: string
}

function check(name: string, level: Level, detail: string): Check {
  return { name, ok: level !== 'problem', level, detail }
}

/**
 * `doctor`: where the database is, how full, which schema, who reads it, what legacy data waits,
 * whether OpenCode loads the plugin, which files the guard protects here, and whether grades
 * given here would count.
 */
export function doctorCommand(ctx: CommandContext): number {
  const checks: Check[] = []
  let path: string
  try {
    const located = locateDatabase({ databasePath: ctx.databasePath, env: ctx.io.env, homeDir: ctx.io.homeDir })
    path = located.path
    const source = { explicit: '--db', environment: DATABASE_PATH_VARIABLE, default: 'default' }[located.origin]
    checks.push(check('Database', 'ok', `${path} (from ${source})`))
  } catch (error) {
    checks.push(check('Database', 'problem', describeFailure(error).message))
    return report(ctx, checks)
  }
  const { dataFile } = locateDataFile(path)
  const file = checkDataFile(dataFile)
  if (!file.ok) {
    checks.push(check('File', 'problem', `${dataFile} is unreadable: ${file.problem}`))
  } else if (!file.exists) {
    const start = ctx.hasCommand('import') ? 'agent-tracker init, import, or demo to try it' : 'agent-tracker init, or demo to try it'
    checks.push(check('File', 'finding', `no database yet, so nothing is recorded: it is created when the plugin records its first session (run ${start})`))
  } else {
    checks.push(check('File', 'ok', `${formatBytes(statSync(dataFile).size)} on disk`))
    try {
      const info = ctx.openStore('read').info()
      const share = info.usedBytes / info.maxDatabaseSize
      checks.push(check('Size', share < 0.9 ? 'ok' : 'problem', `${formatBytes(info.usedBytes)} used of the ${formatBytes(info.maxDatabaseSize)} limit (${(share * 100).toFixed(1)}%)${share >= 0.9 ? ' — raise the limit soon (--max-size on a writing command, maxDatabaseSize in the plugin options)' : ''}`))
      checks.push(check('Schema', info.schemaVersion <= SCHEMA_VERSION ? 'ok' : 'problem', `version ${String(info.schemaVersion)} (this release reads ${String(SCHEMA_VERSION)})`))
      checks.push(check('Readers', info.readers < info.maxReaders ? 'ok' : 'problem', `${String(info.readers)} of ${String(info.maxReaders)} reader slots in use`))
      checks.push(check('Records', 'ok', Object.entries(info.records).map(([name, count]) => `${String(count)} ${name}`).join(', ')))
    } catch (error) {
      checks.push(check('Open', 'problem', describeFailure(error).message))
    }
  }
  const legacy = detectLegacy(ctx.io.cwd)
  const found = [legacy.projectDatabase === undefined ? undefined : 'a per-project database', legacy.statusFile === undefined ? undefined : '.agent/status.json', legacy.communicationFile === undefined ? undefined : '.journal/communication.json', legacy.journalFiles.length === 0 ? undefined : plural(legacy.journalFiles.length, 'journal file')].filter((part) => part !== undefined)
  checks.push(check('Legacy', hasLegacyData(legacy) ? 'finding' : 'ok', hasLegacyData(legacy) ? `found in ${ctx.io.cwd}: ${found.join(', ')} — run agent-tracker migrate` : `none in ${ctx.io.cwd}`))
  checks.push(pluginCheck(ctx))
  checks.push(protectionCheck(ctx))
  const session = agentSessionOfIo(ctx.io)
  checks.push(check('Grades', 'ok', session === undefined ? 'given here at a terminal, they count as yours (cli-terminal)' : `this runs inside an agent session (${session.evidence}): grades given here are recorded as cli-script and do not count`))
  return report(ctx, checks)
}

/** Which files the hosts' guard protects (defaults and `AGENT_TRACKER_PROTECTED_FILES`), and which of them this folder holds. */
function protectionCheck(ctx: CommandContext): Check {
  try {
    const protection = resolveProtectedFiles([], ctx.io.env)
    const files = new ProtectedFileIndex(ctx.io.cwd, protection, { maxEntries: 50_000 }).filesUnder(ctx.io.cwd)
    const here = files === undefined ? 'too many files here to list them' : files.length === 0 ? `none in ${ctx.io.cwd}` : `${String(files.length)} in ${ctx.io.cwd}: ${files.slice(0, 5).map((file) => relative(ctx.io.cwd, file)).join(', ')}${files.length > 5 ? ', …' : ''}`
    return check('Secrets', 'ok', `${protection.patterns.join(' ')} (more with ${PROTECTED_FILES_VARIABLE} or the plugin's protectedFiles); ${here}`)
  } catch (error) {
    return check('Secrets', 'problem', `${PROTECTED_FILES_VARIABLE}: ${describeFailure(error).message}`)
  }
}

/** Whether OpenCode loads the plugin here: its global config, or this project's (up to the repository root). */
function pluginCheck(ctx: CommandContext): Check {
  const files = openCodeConfigFiles(ctx.io)
  const { configuredIn, unreadable } = findPlugin([...files.global, ...files.project])
  const broken = unreadable.map((entry) => `${entry.file} cannot be read (${entry.problem})`).join('; ')
  if (configuredIn.length > 0) return check('Plugin', unreadable.length === 0 ? 'ok' : 'finding', `configured in ${configuredIn.join(', ')}${broken === '' ? '' : `; ${broken}`}`)
  const looked = files.global.length + files.project.length === 0 ? 'no OpenCode config here or globally' : `not in ${[...files.global, ...files.project].join(', ')}`
  return check('Plugin', 'finding', `${looked}${broken === '' ? '' : `; ${broken}`} — so OpenCode records nothing: run agent-tracker init (this project) or agent-tracker init --global`)
}

/** Prints the checks; exit 1 when one found a problem (findings alone exit 0, but are never "All good"). */
function report(ctx: CommandContext, checks: readonly Check[]): number {
  const problems = checks.filter((entry) => entry.level === 'problem').length
  const findings = checks.filter((entry) => entry.level === 'finding').length
  const healthy = problems === 0 && findings === 0
  ctx.print({ healthy, problems, findings, checks }, () => {
    const c = ctx.colours
    const mark = { ok: c.green('✓'), finding: c.yellow('!'), problem: c.red('✗') }
    const width = Math.max(...checks.map((entry) => entry.name.length))
    const summary = problems > 0
      ? c.red(`${plural(problems, 'problem')} found (✗ above)${findings > 0 ? `, and ${plural(findings, 'thing')} to look at (!)` : ''}.`)
      : findings > 0 ? c.yellow(`Nothing is broken; ${plural(findings, 'thing')} to look at (! above).`) : c.green('All good.')
    return [...checks.map((entry) => `${mark[entry.level]} ${entry.name.padEnd(width)}  ${entry.detail}`), '', summary].join('\n')
  })
  return problems === 0 ? EXIT.ok : EXIT.failure
}
