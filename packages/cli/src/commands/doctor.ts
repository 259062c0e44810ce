import { accessSync, constants, existsSync, statSync, statfsSync } from 'node:fs'
import { dirname, relative } from 'node:path'
import type { CommitNamingCollection, DanglingCommitReference, DanglingCommits, MigrationRecord, RollupCheck, ScoreCheck } from '@agent-tracker/core'
import { SCHEMA_VERSION, checkRecords } from '@agent-tracker/core'
import type { DeepCheck, LmdbStore, RollupRepair } from '@agent-tracker/lmdb-store'
import { checkDataFile, clearDamage, damageMark, deepCheck, describeDatabaseFormat, folderHoldsOtherFiles, formatBytes, isDataFileAbsent, locateDataFile, lockAccessProblem, markDamaged, readStoredSchema, recogniseDatabase } from '@agent-tracker/lmdb-store'
import type { FolderLegacyStatus } from '@agent-tracker/migrate'
import { folderLegacyStatus } from '@agent-tracker/migrate'
import { DATABASE_PATH_VARIABLE, PROTECTED_FILES_VARIABLE, ProtectedFileIndex, locateDatabase, resolveProtectedFiles } from '@agent-tracker/node-host'
import { InvalidPluginOptionError, readPluginOptions } from '@agent-tracker/node-host/opencode-options'
import { waitingFacts } from '@agent-tracker/node-host/pending-facts'
import { CliError, EXIT } from '../cli-error.js'
import { DAMAGE_FIX, describeFailure, notOursAdvice } from '../describe-failure.js'
import type { CommandContext } from '../context.js'
import { plural, shortHash, when } from '../format.js'
import { WORKING_FOLDER, absolutePath } from '../io.js'
import { parseSizeLimit } from '../parse-size.js'
import { agentSessionOfIo } from '../trust.js'
import { claudeCodeHealth } from '../hooks/claude-code-health.js'
import { shellWord } from '../hooks/shell-quote.js'
import { PREDECESSOR_PLUGIN_NAME, findPlugin, openCodeConfigFiles, pluginDatabase } from '../opencode-config.js'
import { describeImportedHistory, importedHistory } from '../imported-history.js'
import { TEAM_URL_VARIABLE, openTeamStore, teamSettings } from '../team.js'
import { CLI_VERSION } from '../version.js'
import { isFolder, projectOf } from './lookups.js'

/**
 * `--salvage` copies what is readable into a new database and checks nothing else: a check, a
 * repair or a folder given beside it would be passed over without a word, so they are refused.
 * The new database is checked afterwards, by its own path.
 */
function refuseWithSalvage(folder: string | undefined, options: { check?: boolean; deep?: boolean; salvage?: string; repair?: boolean }): void {
  if (options.salvage === undefined) return
  if (options.salvage.trim() === '' || options.salvage.startsWith('-')) {
    throw new CliError('USAGE', `--salvage takes the path of the new database to copy into (e.g. --salvage ~/tracker-salvaged.lmdb), not ${options.salvage.trim() === '' ? 'an empty one' : `the option ${options.salvage}`}.`, EXIT.usage)
  }
  const others = [options.check === true ? '--check' : undefined, options.deep === true ? '--deep' : undefined, options.repair === true ? '--repair' : undefined, folder === undefined ? undefined : `the folder ${folder}`].filter((given) => given !== undefined)
  if (others.length === 0) return
  throw new CliError('USAGE', `--salvage runs on its own, so ${others.join(', ')} would be passed over: run doctor --salvage ${options.salvage} alone, then check the new database with agent-tracker doctor --check --db ${options.salvage}.`, EXIT.usage)
}

/** How a check came out: fine, a finding to look at (nothing broken), or a problem. */
type Level = 'ok' | 'finding' | 'problem'

interface Check {
  readonly name: string
  /** False for a problem; a finding is ok. */
  readonly ok: boolean
  readonly level: Level
  readonly detail: string
}

/** An upgrade of the database's schema that opening it made: from the stored schema, to this release's. */
interface Upgrade {
  readonly from: number
  readonly to: number
}

/** Below this much free disk space, a write that makes the database grow may fail. */
const LOW_DISK_BYTES = 1024 * 1024

function check(name: string, level: Level, detail: string): Check {
  return { name, ok: level !== 'problem', level, detail }
}

/** Drift lines `doctor --check` prints at most (JSON output lists every one). */
const DRIFT_SHOWN = 20

/** Commits named by records without a commit record that `doctor --check` prints at most (JSON output lists them all, up to 10,000). */
const DANGLING_SHOWN = 20

/**
 * `doctor [folder]`: where the database is, what it is, how full, which schema, who reads it,
 * what legacy data waits in the folder, whether OpenCode loads the plugin there (and into which
 * database), whether Claude Code's hooks are installed and would run, which files the
 * guard protects in the folder, and whether grades given here would count; with `check`, also
 * recomputes the day rollups from the records and the fact log and reports drift, and names the
 * records that name a commit no commit record holds; with `repair`, rewrites what drifted.
 */
export async function doctorCommand(ctx: CommandContext, folder?: string, options: { check?: boolean; deep?: boolean; salvage?: string; repair?: boolean } = {}): Promise<number> {
  if (ctx.teamUrl !== undefined) {
    throw new CliError('USAGE', `doctor checks this machine's database, and the team database it syncs to (${TEAM_URL_VARIABLE} or team.url): give --db a local path, and the team URL there.`, EXIT.usage)
  }
  refuseWithSalvage(folder, options)
  // The folder checked (undefined when it is the working folder, or relative to it, and that was
  // deleted under the shell): the database checks do not need it and still run.
  const project = folderToCheck(ctx, folder)
  if (folder !== undefined && project !== undefined && !isFolder(project)) {
    // A mistyped folder would otherwise pass every folder check: no legacy data, no secrets, nothing to fix.
    throw new CliError('NOT_A_FOLDER', `${project} is not a folder: doctor [folder] checks a project folder (legacy data, protected files, hooks); leave it out for the current one.`, EXIT.usage)
  }
  // A bad --max-size is the command line's mistake, said as such (exit 2), not a check of the database that failed.
  if (ctx.maxSizeOrigin === '--max-size' && ctx.maxSize !== undefined) parseSizeLimit(ctx.maxSize, ctx.maxSizeOrigin)
  const checks: Check[] = []
  /** The schemas of an upgrade that opening the database made, if it made one. */
  let upgraded: Upgrade | undefined
  // A bad AGENT_TRACKER_MAX_SIZE is the environment's: a problem to name, and the checks go on with the default limit.
  const sizeProblem = badSizeVariable(ctx)
  if (sizeProblem !== undefined) checks.push(check('Size limit', 'problem', `${sizeProblem} Every command that writes refuses to run until it is fixed or unset; the hooks and the plugin do not read it. The checks below use the default limit.`))
  let path: string
  try {
    const located = locateDatabase({ databasePath: ctx.databasePath, env: ctx.io.env, homeDir: ctx.io.homeDir, relativeTo: WORKING_FOLDER })
    path = located.path
    const source = { explicit: '--db', environment: DATABASE_PATH_VARIABLE, default: 'default' }[located.origin]
    checks.push(check('Database', 'ok', `${path} (from ${source})`))
  } catch (error) {
    checks.push(check('Database', 'problem', describeFailure(error).message))
    return report(ctx, checks, upgraded)
  }
  if (options.salvage !== undefined) return (await import('./salvage.js')).salvageCommand(ctx, path, options.salvage)
  const { dataFile, lockFile, noSubdir } = locateDataFile(path)
  if (options.deep === true) checks.push(isDataFileAbsent(dataFile) ? check('Deep check', 'finding', `there is no database at ${path} yet, so there is nothing to check`) : await deepDamageCheck(ctx, path))
  const damage = damageMark(path)
  if (damage !== undefined) checks.push(check('Damage', 'problem', `found damaged (${damage.at}): ${damage.problem}. Writes are refused until doctor --deep finds it intact: restore a backup (merge undo points are kept in ${path}.undo), or copy everything still readable into a new database with agent-tracker doctor --salvage <new-file>.`))
  const file = checkDataFile(dataFile)
  const format = recogniseDatabase(path)
  let migrations: MigrationRecord[] = []
  if (!file.ok) {
    checks.push(check('File', 'problem', `${dataFile} is unreadable: ${file.problem}. ${unreadableFix(dataFile, file)}`))
  } else if (!file.exists) {
    // demo plays into a temporary folder of its own: it makes no database here.
    const start = `it is created when the plugin records its first session (after agent-tracker init)${ctx.hasCommand('import') ? ', or by agent-tracker import, which brings in the sessions you already had' : ''}`
    const demo = ctx.hasCommand('demo') ? '; agent-tracker demo shows the tracker on a sample history in a folder of its own, without making it' : ''
    // The first write would make it: say now when that cannot work.
    const cannot = uncreatable(path, noSubdir)
    checks.push(cannot === undefined ? check('File', 'finding', `no database yet, so nothing is recorded: ${start}${demo}`) : check('File', 'problem', `no database yet, and none can be made there: ${cannot}. Point --db (or AGENT_TRACKER_DB, or the plugin's databasePath) at a file in a folder of your own.`))
  } else if (format.kind !== 'agent-tracker') {
    checks.push(check('File', 'ok', `${formatBytes(statSync(dataFile).size)} on disk`))
    const usable = format.kind === 'empty'
    checks.push(check('Format', usable ? 'ok' : 'problem', usable ? `${describeDatabaseFormat(format)}; it is set up as an agent-tracker database on the first write` : notOursAdvice(path, format)))
  } else {
    // Opening a database of an earlier schema upgrades it in place: the schema it had is read first, and the file's size after.
    const storedSchema = readStoredSchema(path)?.schemaVersion
    const fileAt = checks.push(check('File', 'ok', `${formatBytes(statSync(dataFile).size)} on disk`)) - 1
    checks.push(damage === undefined ? writableCheck(dataFile, lockFile) : check('Writable', 'problem', 'no: writes are refused while it is marked damaged (see Damage above)'))
    try {
      const store = ctx.openStore(options.repair === true ? 'write' : 'read')
      const info = store.info()
      if (storedSchema !== undefined && storedSchema < info.schemaVersion) {
        upgraded = { from: storedSchema, to: info.schemaVersion }
        checks[fileAt] = check('File', 'ok', `${formatBytes(statSync(dataFile).size)} on disk (after the upgrade below)`)
        checks.push(check('Upgrade', 'ok', `upgraded in place from schema ${String(storedSchema)}${storedSchema === 1 ? ' (written by release 0.1.0)' : ''} to schema ${String(info.schemaVersion)} as doctor opened it: every record was kept, and releases older than this one can no longer open it`))
      }
      checks.push(check('Format', 'ok', `agent-tracker database, schema version ${String(info.schemaVersion)}`))
      checks.push(sizeCheck(info.usedBytes, info.maxDatabaseSize))
      checks.push(check('Schema', info.schemaVersion <= SCHEMA_VERSION ? 'ok' : 'problem', `version ${String(info.schemaVersion)} (this release reads ${String(SCHEMA_VERSION)})`))
      checks.push(check('Readers', info.readers < info.maxReaders ? 'ok' : 'problem', `${String(info.readers)} of ${String(info.maxReaders)} reader slots in use`))
      checks.push(check('Records', 'ok', Object.entries(info.records).map(([name, count]) => `${String(count)} ${name}`).join(', ')))
      const search = store.searchIndexes()
      checks.push(options.repair === true && (search === 'behind' || search === 'building' || search === 'outdated') ? await searchRepair(ctx, store, search)
        : search === 'in step' && (options.check === true || options.repair === true) ? await searchEntriesCheck(ctx, store, options.repair === true)
        : searchCheck(store, search))
      migrations = await store.listMigrations()
      checks.push(check('Migrations', 'ok', describeMigrations(migrations)))
      if (options.repair === true) {
        checks.push(await rollupRepair(ctx, store))
        // With --check as well, the rest of the check follows, on the repaired rollups: scores and commit references.
        if (options.check === true) checks.push(...(await recordChecks(ctx, store)).slice(1))
      } else if (options.check === true) checks.push(...await recordChecks(ctx, store))
    } catch (error) {
      checks.push(check('Open', 'problem', describeFailure(error).message))
    }
  }
  const kept = keptAtExitCheck(path)
  if (kept !== undefined) checks.push(kept)
  if (project === undefined) {
    const which = folder === undefined ? 'the current folder no longer exists' : `${folder} is relative to the current folder, which no longer exists`
    checks.push(check('Folder', 'problem', `${which} (it was deleted or moved away after you entered it), so the folder's legacy data, OpenCode plugin config, Claude Code hooks and protected files were not checked: cd to a folder that exists and run agent-tracker doctor again, or give doctor a folder by its absolute path.`))
  } else {
    const root = projectOf(ctx.io, project)
    // Hosts bring in the legacy data of the folder they run in, under the project holding it.
    checks.push(legacyCheck(folderLegacyStatus(project, migrations)))
    checks.push(pluginCheck(ctx, project, path))
    const claudeCode = claudeCodeHealth(ctx.io, { folder: project, root }, path, CLI_VERSION, ctx.now())
    checks.push(check('Claude Code', claudeCode.level, claudeCode.detail))
    checks.push(protectionCheck(ctx, project))
  }
  const session = agentSessionOfIo(ctx.io)
  checks.push(check('Grades', 'ok', session === undefined ? 'given here at a terminal, they count as yours (cli-terminal)' : `this runs inside an agent session (${session.evidence}): grades given here are recorded as cli-script and do not count`))
  checks.push(...await teamChecks(ctx, path, file.ok && file.exists))
  return report(ctx, checks, upgraded)
}

/**
 * Facts a tracker (the OpenCode plugin's, or the CLI's) could not write at its exit and kept in the
 * pending folder beside the database, if any: a line of their own, as they are no sign of Claude
 * Code, whose hooks keep theirs in the same folder (the Claude Code line counts only those).
 */
function keptAtExitCheck(database: string): Check | undefined {
  const kept = waitingFacts(database).keptAtExit
  if (kept.facts === 0) return undefined
  const one = kept.facts === 1
  const since = kept.since === undefined ? '' : ` (the oldest from ${kept.since.toISOString()})`
  return check('Pending', 'finding', `${plural(kept.facts, 'fact')} that an agent-tracker process (the OpenCode plugin, or the CLI) could not write at its exit${since} ${one ? 'is' : 'are'} not in the database yet — another process held its write lock, or the write failed: ${one ? 'it waits' : 'they wait'} in ${database}.pending and ${one ? 'goes' : 'go'} in with the next write of the OpenCode plugin or of a Claude Code hook, counted once`)
}

/** The folder `doctor [folder]` checks, absolute; undefined when it needs the working folder and that no longer exists. */
function folderToCheck(ctx: CommandContext, folder: string | undefined): string | undefined {
  try {
    return absolutePath(ctx.io, folder ?? '.')
  } catch (error) {
    if (error instanceof CliError && error.code === 'NO_WORKING_FOLDER') return undefined
    throw error
  }
}

/**
 * Why no database can be made at `path` (which holds none yet), if so: a folder of other files (as
 * every command refuses it), a file where one of its folders should be, or a folder this user
 * cannot write in.
 */
function uncreatable(path: string, noSubdir: boolean): string | undefined {
  if (!noSubdir && folderHoldsOtherFiles(path)) return `${path} is a folder with other files in it`
  let folder = noSubdir ? dirname(path) : path
  while (!existsSync(folder) && dirname(folder) !== folder) folder = dirname(folder)
  try {
    if (!statSync(folder).isDirectory()) return `${folder} is a file, where a folder of the path should be`
    accessSync(folder, constants.W_OK | constants.X_OK)
    return undefined
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return code === 'EROFS' ? `${folder} is on a read-only file system` : `the folder ${folder} is not writable for you (${code ?? (error as Error).message})`
  }
}

/** Whether writes can reach the file: its permissions and its lock file's, a read-only file system, a full disk. */
function writableCheck(dataFile: string, lockFile: string): Check {
  const elsewhere = 'or point --db (or AGENT_TRACKER_DB, or the plugin\'s databasePath) at a database in a place you can write'
  try {
    accessSync(dataFile, constants.W_OK)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EROFS') return check('Writable', 'problem', `no: ${dataFile} is on a read-only file system, so nothing can be recorded; reads still work. Mount it writable, ${elsewhere}.`)
    return check('Writable', 'problem', `no: ${dataFile} is not writable for you (${code ?? (error as Error).message}), so nothing can be recorded; reads still work. Make it writable (chmod u+w ${shellWord(dataFile)}), ${elsewhere}.`)
  }
  const lock = lockAccessProblem(lockFile)
  if (lock !== undefined) return check('Writable', 'problem', `no: ${lock}, so nothing can be recorded; reads still work. Make it writable for you (chmod u+w on the file, or its folder), ${elsewhere}.`)
  try {
    const { bavail, bsize } = statfsSync(dirname(dataFile))
    const free = bavail * bsize
    // Writes that fit in the pages the file holds already still work: only one that makes it grow needs the disk.
    if (free < LOW_DISK_BYTES) return check('Writable', 'finding', `yes, but the disk holding ${dataFile} has only ${formatBytes(free)} free: a write that makes the database grow past that fails (writes that fit in the space it holds already still work). Free some space on that disk.`)
    return check('Writable', 'ok', `yes; ${formatBytes(free)} free on its disk`)
  } catch {
    return check('Writable', 'ok', 'yes')
  }
}

/** What `doctor` says of how full the database is against its size limit: fine below 90 %, a problem from there, and over the limit, that writes are refused now. */
function sizeCheck(used: number, limit: number): Check {
  const share = used / limit
  const usage = `${formatBytes(used)} used of the ${formatBytes(limit)} limit (${(share * 100).toFixed(1)}%)`
  const raise = '--max-size on a writing command, AGENT_TRACKER_MAX_SIZE, maxDatabaseSize in the plugin options'
  if (share >= 1) return check('Size', 'problem', `${usage} — over the limit already: every write that adds to it is refused (nothing is recorded) until you raise the limit above ${formatBytes(used)} (${raise})`)
  if (share >= 0.9) return check('Size', 'problem', `${usage} — raise the limit soon (${raise}): writes are refused once it is reached`)
  return check('Size', 'ok', usage)
}

/** What to do about a data file that cannot be read as a database: by what `checkDataFile` found. */
function unreadableFix(dataFile: string, file: { readonly problem: string; readonly damaged: boolean }): string {
  const elsewhere = 'point --db (or AGENT_TRACKER_DB) at another database'
  if (file.damaged) return `${DAMAGE_FIX} A file that was never a database: move it aside, or ${elsewhere}.`
  if (file.problem.startsWith('it cannot be read')) return `Make it readable for you (chmod u+r ${shellWord(dataFile)}), or ${elsewhere}.`
  return `Move the file aside, or ${elsewhere}.`
}

/** Walks every page and reads every value (in a child process); remembers the verdict for writers. */
async function deepDamageCheck(ctx: CommandContext, path: string): Promise<Check & { readonly trees?: DeepCheck['trees'] }> {
  const progress = ctx.progress('Deep check')
  const result = await deepCheck(path).finally(() => { progress.stop() })
  if (result.intact) {
    clearDamage(path)
    const entries = result.trees.reduce((sum, tree) => sum + tree.entries, 0)
    return { ...check('Deep check', 'ok', `every page of ${String(result.trees.length)} trees and all ${String(entries)} entries read back`), trees: result.trees }
  }
  // Not a database at all (another kind of file, a folder): nothing to mark, and nothing to salvage.
  if (result.damaged === false) return check('Deep check', 'problem', `${result.dataFile} cannot be checked: ${String(result.problem)}. Nothing was marked or changed; point --db (or AGENT_TRACKER_DB) at an agent-tracker database.`)
  const damaged = result.problem === undefined ? result.trees.filter((tree) => tree.problem !== undefined).map((tree) => `${tree.name}: ${String(tree.problem)}`) : [`the file: ${result.problem}`]
  markDamaged(path, damaged.join('; '))
  const fix = `Restore a backup (merge undo points are kept beside the database, in its .undo folder), or copy everything still readable into a new database with agent-tracker doctor --salvage <new-file> and use that; writes to it are refused until a deep check finds it intact.`
  return { ...check('Deep check', 'problem', `damage found in ${String(damaged.length)} place(s):${damaged.map((line) => `\n    ${line}`).join('')}\n    ${fix}`), trees: result.trees }
}

/** The team database: reachable, its schema, and how many of this machine's facts it has not acknowledged yet. */
async function teamChecks(ctx: CommandContext, path: string, hasData: boolean): Promise<Check[]> {
  let settings
  try {
    settings = teamSettings(ctx.io)
  } catch (error) {
    return [check('Team', 'problem', describeFailure(error).message)]
  }
  if (settings === undefined) return [check('Team', 'ok', `not configured (to share with a team: ${TEAM_URL_VARIABLE}, then agent-tracker sync)`)]
  const { LATEST_MIGRATION, redactUrl } = await import('@agent-tracker/postgres-store')
  let team
  try {
    team = await openTeamStore(settings, 'read')
  } catch (error) {
    return [check('Team', 'problem', `${redactUrl(settings.url)} (from ${settings.origin}): ${describeFailure(error).message}`)]
  }
  try {
    const checks: Check[] = [check('Team', 'ok', `${redactUrl(settings.url)} (from ${settings.origin}), schema "${team.schema}", as ${settings.member} on ${settings.machine}`)]
    const migration = await team.migration()
    checks.push(check('Team schema', migration <= LATEST_MIGRATION ? 'ok' : 'problem', `migration ${String(migration)} (this release knows ${String(LATEST_MIGRATION)})`))
    const source = (await team.syncSources()).find((s) => s.source === `${settings.machine}:${path}`)
    const store = hasData ? ctx.openStore('read') : undefined
    const local = store === undefined ? 0 : await store.lastFactSeq()
    const acknowledged = source?.acknowledged ?? 0
    const lag = Math.max(0, local - acknowledged)
    const since = source === undefined ? 'never synced' : `last sync ${source.lastSyncAt}`
    // What no fact carries is never sent: "up to date" speaks of the facts only, and says what stays here.
    const imported = store === undefined ? undefined : await importedHistory(store)
    const stays = imported === undefined ? '' : `; history imported by migrate, upgrade or merge stays on this machine, not in the team database: ${describeImportedHistory(imported)} (sync sends facts only)`
    checks.push(lag === 0
      // Said, but no finding: nothing the user could do would change it.
      ? check('Sync', 'ok', `${imported === undefined ? '' : 'facts '}up to date (${String(acknowledged)} facts acknowledged; ${since})${stays}`)
      : check('Sync', 'finding', `${plural(lag, 'fact')} not sent yet (${since}) — run agent-tracker sync${stays}`))
    return checks
  } catch (error) {
    return [check('Team', 'problem', describeFailure(error).message)]
  } finally {
    await team.close()
  }
}

/**
 * Recomputes the day rollups and names where they drifted from what the records and facts add up
 * to (a problem: `--repair` fixes it); in the same pass, names the records that name a commit no
 * commit record holds (a finding: see {@link danglingCheck}).
 */
async function recordChecks(ctx: CommandContext, store: LmdbStore): Promise<[Check & { readonly drift: RollupCheck['drift'] }, Check & { readonly scores: ScoreCheck }, Check & { readonly dangling: DanglingCommits }]> {
  const progress = ctx.progress('Checking records')
  try {
    // The check reads the records, the rollups and the log one after the other, not as one snapshot:
    // facts written meanwhile (a session, a hook, an import) make them differ for a moment. A
    // difference seen while the log grew is checked again; still moving, it is said to be so.
    for (let attempt = 1; ; attempt++) {
      const before = await store.lastFactSeq()
      const { rollups, dangling } = await checkRecords(store)
      const written = (await store.lastFactSeq()) - before
      const differs = rollups.drift.length > 0 || rollups.scores.drift.length > 0
      if (!differs || written === 0 || attempt === RECHECKS) {
        const busy = differs && written > 0 ? written : undefined
        return [rollupCheck(rollups, busy), scoreCheck(rollups.scores, busy), danglingCheck(dangling)]
      }
    }
  } finally {
    progress.stop()
  }
}

/** How often `--check` reads everything when facts are written while it reads and it finds differences. */
const RECHECKS = 3

/** What a difference seen while facts were being written is: not a fault, until a check of a still database finds it. */
function busyNote(written: number): string {
  return `\n    ${plural(written, 'fact was', 'facts were')} written while this check read, so these may be only that: run agent-tracker doctor --check again when no session or import is writing.`
}

/**
 * The differences a check found, as `--check` shows them under its line: the first
 * {@link DRIFT_SHOWN}, one indented line each, and how many more `--json` lists.
 */
function driftLines<T>(drift: readonly T[], describe: (difference: T) => string): string {
  const lines = drift.slice(0, DRIFT_SHOWN).map((difference) => `\n    ${describe(difference)}`).join('')
  const more = drift.length > DRIFT_SHOWN ? `\n    … and ${String(drift.length - DRIFT_SHOWN)} more (--json lists every one)` : ''
  return `${lines}${more}`
}

/** A check's differences seen while facts were written: a finding, to check again (see {@link busyNote}). */
function differedWhileWritten(counted: string, differences: number, listed: string, written: number): string {
  return `${counted}: ${String(differences)} number(s) differed${listed}${busyNote(written)}`
}

/**
 * Each setup's scores (what the leaderboard, the status card and the halt read) against what its
 * records and logged facts add up to. The two are kept by different code on every write, so a
 * difference is a fault of agent-tracker's, not of the data: a problem, to report.
 */
function scoreCheck(scores: ScoreCheck, busy?: number): Check & { readonly scores: ScoreCheck } {
  const { checked, imported, drift } = scores
  const apart = imported === 0 ? '' : `${plural(imported, 'setup')} with scores imported from other databases or legacy files, which may come without their records, not compared`
  if (checked === 0) return { ...check('Scores', 'ok', imported === 0 ? 'no setups yet' : apart), scores }
  const counted = `${plural(checked, "setup's scores", "setups' scores")} against what their records and facts add up to${apart === '' ? '' : ` (${apart})`}`
  if (drift.length === 0) return { ...check('Scores', 'ok', `${counted}: they agree`), scores }
  const listed = driftLines(drift, (d) => `${d.setup} ${d.field}: scores say ${String(d.stored)}, records and facts ${String(d.expected)}`)
  if (busy !== undefined) return { ...check('Scores', 'finding', differedWhileWritten(counted, drift.length, listed, busy)), scores }
  const fix = '\n    The records, rollups and reports are as the records and facts say; the scores count otherwise. Records merged in from a database whose own scores never counted them do this, and so does a merge stopped before it finished (run the same merge again: it adds nothing twice, and finishes what it began); anything else is a fault of agent-tracker\'s: please report it with the output of agent-tracker doctor --check --json.'
  return { ...check('Scores', 'problem', `${counted}: ${String(drift.length)} number(s) differ${listed}${fix}`), scores }
}

function rollupCheck(result: RollupCheck, busy?: number): Check & { readonly drift: RollupCheck['drift'] } {
  const { rollups, facts, drift, setupTotals, projectDays, outcomeDays } = result
  const kept = [
    ...(setupTotals === undefined ? [] : [`${String(setupTotals)} setup totals`]),
    ...(projectDays === undefined ? [] : [`${String(projectDays)} project days`]),
    ...(outcomeDays === undefined ? [] : [`${String(outcomeDays)} outcome days`]),
  ]
  const aside = kept.length === 0 ? '' : `, ${kept.length === 1 ? kept.join('') : `${kept.slice(0, -1).join(', ')} and ${kept.at(-1) ?? ''}`} against the rollups`
  const counted = `${String(rollups)} day rollups against the records and ${String(facts)} logged facts${aside}`
  if (drift.length === 0) return { ...check('Rollups', 'ok', `${counted}: no drift`), drift }
  const listed = driftLines(drift, (d) => `${d.key.join(' · ')} ${d.field === 'rollup' ? 'counts nothing and nothing backs it' : `${d.field}: stored ${String(d.stored)}, expected ${String(d.expected)}`}`)
  if (busy !== undefined) return { ...check('Rollups', 'finding', differedWhileWritten(counted, drift.length, listed, busy)), drift }
  const fix = '\n    agent-tracker doctor --repair rewrites them from what backs them (the records and the fact log).'
  return { ...check('Rollups', 'problem', `${counted}: ${String(drift.length)} number(s) drifted${listed}${fix}`), drift }
}

const KIND_NOUNS: Readonly<Record<CommitNamingCollection, string>> = { retrospectives: 'retrospective', gradeEvents: 'grade event', bugs: 'bug' }

/**
 * Retrospectives, grade events and bugs that name a commit no commit record of their project holds
 * (brought by an older merge without their commit, left behind by an amend in an older release,
 * or naming a short hash): one line per commit, with the recorded commit it likely is. A finding,
 * not a problem: a grade or bug counts by its setup, project and day, never through its commit,
 * so reports, scores and the rollups count it all the same; only what looks a commit up misses it.
 */
function danglingCheck(dangling: DanglingCommits): Check & { readonly dangling: DanglingCommits } {
  const { records, references, unlisted, checked } = dangling
  const total = records.retrospectives + records.gradeEvents + records.bugs
  if (total === 0) return { ...check('Commits', 'ok', `${plural(checked, 'commit reference')} of retrospectives, grade events and bugs checked: each names a commit recorded in its project`), dangling }
  const byCommit = new Map<string, DanglingCommitReference[]>()
  for (const reference of references) {
    const key = `${reference.project}\u0000${reference.setup}\u0000${reference.commit}`
    byCommit.set(key, [...(byCommit.get(key) ?? []), reference])
  }
  const lines = [...byCommit.values()].slice(0, DANGLING_SHOWN).map((named) => {
    const [first] = named
    if (first === undefined) return ''
    const counts = named.map((reference) => plural(reference.records, KIND_NOUNS[reference.kind])).join(', ')
    return `\n    ${first.project} · ${first.setup} · ${first.commit}: ${counts}${likelyText(first)}`
  })
  const hidden = byCommit.size - Math.min(byCommit.size, DANGLING_SHOWN)
  const rest = [...(hidden > 0 ? [plural(hidden, 'more commit')] : []), ...(unlisted > 0 ? [`${plural(unlisted, 'more record')} past the ${String(references.length)} references listed`] : [])]
  const more = rest.length === 0 ? '' : `\n    … and ${rest.join(', and ')} (--json lists ${unlisted > 0 ? 'the listed ones' : 'every one'})`
  const kinds = (Object.keys(KIND_NOUNS) as CommitNamingCollection[]).filter((kind) => records[kind] > 0).map((kind) => plural(records[kind], KIND_NOUNS[kind])).join(', ')
  const meaning = '\n    They still count, by setup, project and day (report, recommend, scores, the rollups), but belong to no recorded commit: grade, retro --note and bug --commit cannot name it, search shows no commit message for them, and an amend will not move them. Nothing is miscounted; nothing needs repair.'
  return { ...check('Commits', 'finding', `${kinds} ${total === 1 ? 'names' : 'name'} a commit that no commit record of ${total === 1 ? 'its' : 'their'} project holds:${lines.join('')}${more}${meaning}`), dangling }
}

function likelyText(reference: DanglingCommitReference): string {
  const likely = reference.likely
  if (likely === undefined) return ''
  switch (likely.because) {
    case 'amended': return ` — replaced by ${shortHash(likely.hash)} (git commit --amend)`
    case 'abbreviated': return ` — the short form of ${likely.hash}`
    case 'recorded-abbreviated': return ` — recorded as ${likely.hash}, its short form`
  }
}

/** Whether search reads the search indexes, or whole records (see `LmdbStore.searchIndexes`). */
function searchCheck(store: LmdbStore, state: ReturnType<LmdbStore['searchIndexes']>): Check {
  switch (state) {
    case 'in step': return check('Search', 'ok', 'the search indexes hold every retrospective, journal entry, commit and bug')
    case 'absent': return check('Search', 'finding', 'no search indexes yet (a database of schema 2, read as it is): search reads whole records until the first write of this release builds them')
    case 'building': {
      const progress = store.searchIndexBuild()
      const share = progress === undefined || progress.total === 0 ? '' : ` (${String(Math.min(99, Math.floor((100 * progress.built) / progress.total)))}%, ${String(progress.built)} of ${String(progress.total)} records)`
      return check('Search', 'finding', `the search indexes are being built${share}, as the upgrade to this release started: the OpenCode plugin, Claude Code's hooks at the end of each turn, and agent-tracker search build them in the background, a few records at a time; search reads whole records, slower, until they are done, or until agent-tracker doctor --repair builds them at once`)
    }
    case 'outdated': return check('Search', 'finding', 'the search indexes hold words as an earlier release read them: the OpenCode plugin, Claude Code\'s hooks at the end of each turn, and agent-tracker search rebuild them in the background, and until they are rebuilt search reads whole records, slower; agent-tracker doctor --repair rebuilds them at once')
    case 'behind': return check('Search', 'finding', 'the search indexes are behind the records (a process of an earlier release wrote to the database after this release upgraded it): the OpenCode plugin, Claude Code\'s hooks at the end of each turn, and agent-tracker search rebuild them in the background, and until they are rebuilt search reads whole records, slower; agent-tracker doctor --repair rebuilds them at once')
  }
}

/**
 * With --check (or --repair), indexes in step are read entry by entry against their records (see
 * `LmdbStore.searchEntriesOutOfStep`): a process of an earlier release that wrote records without a
 * fact while a rebuild ran (a merge, an import) leaves entries with words cut its way, which no mark
 * shows. --repair rebuilds them.
 */
async function searchEntriesCheck(ctx: CommandContext, store: LmdbStore, repair: boolean): Promise<Check> {
  const progress = ctx.progress('Checking the search indexes')
  const stale = await store.searchEntriesOutOfStep().finally(() => { progress.stop() })
  if (stale.count === 0) return searchCheck(store, 'in step')
  const named = stale.first.map((entry) => `${entry.collection} ${entry.key.join(' ')}`).join('; ')
  const what = `the search entries of ${plural(stale.count, 'record')} hold other words than their records (${named}${stale.count > stale.first.length ? '; …' : ''}): a process of an earlier release wrote them its way (a merge or an import while the indexes were rebuilt), and search may miss those records`
  if (!repair) return check('Search', 'finding', `${what}; agent-tracker doctor --repair rebuilds the indexes`)
  const entries = await store.repairSearchIndexes()
  return check('Search', 'ok', `${what}: rebuilt, ${plural(entries, 'entry', 'entries')}`)
}

/** Rebuilds search indexes that are behind the records or still being built, in one write transaction (see `LmdbStore.repairSearchIndexes`). */
async function searchRepair(ctx: CommandContext, store: LmdbStore, state: 'behind' | 'building' | 'outdated'): Promise<Check> {
  const building = state === 'building'
  const progress = ctx.progress(building ? 'Building the search indexes' : 'Rebuilding the search indexes')
  const entries = await store.repairSearchIndexes().finally(() => { progress.stop() })
  const was = building ? 'were being built: built now' : state === 'outdated' ? 'held words as an earlier release read them: rebuilt' : 'were behind the records: rebuilt'
  return check('Search', 'ok', `the search indexes ${was}, ${plural(entries, 'entry', 'entries')}`)
}

/** Recounts the day rollups and rewrites those that drifted, in one write transaction (see `LmdbStore.repairRollups`). */
async function rollupRepair(ctx: CommandContext, store: LmdbStore): Promise<Check & { readonly repair: RollupRepair }> {
  const progress = ctx.progress('Repairing rollups')
  const repair = await store.repairRollups().finally(() => { progress.stop() })
  const counted = `${String(repair.rollups)} day rollups recounted from the records and ${String(repair.facts)} logged facts`
  const changes = [
    ...(repair.rewritten > 0 ? [`${plural(repair.rewritten, 'day rollup')} rewritten`] : []),
    ...(repair.removed > 0 ? [`${plural(repair.removed, 'day rollup')} that nothing backs removed`] : []),
    ...(repair.setupTotalsRebuilt ? ['the setup totals rebuilt'] : []),
    ...(repair.projectDaysRebuilt ? ['the project days rebuilt'] : []),
    ...(repair.outcomeDaysRebuilt ? ['the outcome days rebuilt'] : []),
  ]
  return { ...check('Rollups', 'ok', changes.length === 0 ? `${counted}: no drift, nothing to repair` : `${counted}: repaired — ${changes.join(', ')}`), repair }
}

/** Which files the hosts' guard protects (defaults and `AGENT_TRACKER_PROTECTED_FILES`), and which of them `folder` holds. */
function protectionCheck(ctx: CommandContext, folder: string): Check {
  try {
    const protection = resolveProtectedFiles([], ctx.io.env)
    const files = new ProtectedFileIndex(folder, protection, { maxEntries: 50_000 }).filesUnder(folder)
    const here = files === undefined ? 'too many files here to list them' : files.length === 0 ? `none in ${folder}` : `${String(files.length)} in ${folder}: ${files.slice(0, 5).map((file) => relative(folder, file)).join(', ')}${files.length > 5 ? ', …' : ''}`
    return check('Secrets', 'ok', `${protection.patterns.join(' ')} (more with ${PROTECTED_FILES_VARIABLE} or the plugin's protectedFiles); ${here}`)
  } catch (error) {
    return check('Secrets', 'problem', `${PROTECTED_FILES_VARIABLE}: ${describeFailure(error).message}`)
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

/** What a folder's legacy data is, and whether it was migrated: a finding while some waits to be migrated (again). */
function legacyCheck(status: FolderLegacyStatus): Check {
  const own = status.ownStatusExport ? ' (.agent/status.json is agent-tracker\'s own export)' : ''
  if (status.sources.length === 0) return check('Legacy', 'ok', `none in ${status.folder}${own}`)
  const parts = status.sources.map((source) => {
    const what = source.kind === 'project-database' ? 'its per-project database' : plural(source.found.length, 'legacy file')
    const run = source.migration
    if (run === undefined) return `${what}: not migrated yet — run agent-tracker migrate ${status.folder}`
    const by = run.migratedBy === undefined ? '' : ` by ${run.migratedBy}`
    const zone = run.timeZone === undefined ? '' : `, times without a zone read as ${run.timeZone}`
    const setup = run.setup === undefined ? '' : `, under the setup ${run.setup}`
    const changed = source.changedSince.length === 0 ? '' : `; ${String(source.changedSince.length)} changed since — run agent-tracker migrate ${status.folder} to look at them again`
    const issues = run.errors === 0 ? '' : ` with ${plural(run.errors, 'issue')}`
    return `${source.found.length === 0 ? `${what} (gone now)` : what}: migrated${by} on ${when(run.at)}${issues}${setup}${zone}${changed}`
  })
  const waiting = status.sources.some((source) => source.migration === undefined || source.changedSince.length > 0)
  return check('Legacy', waiting ? 'finding' : 'ok', `${status.folder}${own}: ${parts.join('; ')}`)
}

/** The `init` that edits the configs OpenCode reads for `folder`: the global ones, or the project's from the folder up. */
function initIn(ctx: CommandContext, folder: string, global: boolean): string {
  return global ? 'agent-tracker init --global' : folder === ctx.io.cwd ? 'agent-tracker init' : `agent-tracker init in ${folder}`
}

/**
 * Whether OpenCode loads the plugin for the folder: its global config, or the project configs
 * OpenCode reads there, from the folder up to its repository's root (saying which folders it looked
 * in); a finding when a config sets the plugin's `databasePath` to another database than
 * `database`, the one doctor checks (the CLI would not see what it records).
 */
function pluginCheck(ctx: CommandContext, folder: string, database: string): Check {
  const files = openCodeConfigFiles({ env: ctx.io.env, homeDir: ctx.io.homeDir, cwd: folder })
  const root = files.folders.at(-1) ?? folder
  const looked = root === folder ? `looked in ${folder}` : `looked in ${folder} up to its repository's root ${root}`
  const { configuredIn, options, unreadable, predecessorIn } = findPlugin([...files.global, ...files.project])
  const broken = [
    ...unreadable.map((entry) => `${entry.file} cannot be read (${entry.problem})`),
    // Both loaded, the predecessor writes its own format at the database path agent-tracker uses.
    ...predecessorIn.map((file) => `${file} loads the predecessor's ${PREDECESSOR_PLUGIN_NAME}, which writes its own format at the same database path: take it out: ${initIn(ctx, folder, files.global.includes(file))} does (and adds agent-tracker, if missing)`),
  ].join('; ')
  if (configuredIn.length > 0) {
    const elsewhere = options.flatMap((entry) => {
      // Options the plugin refuses make it pause tracking, with a toast and a log line in OpenCode alone.
      try {
        readPluginOptions(entry.options, ctx.io.env)
      } catch (error) {
        if (!(error instanceof InvalidPluginOptionError)) throw error
        return [`${entry.file} gives the plugin options it refuses, so it pauses tracking: ${error.message}`]
      }
      const given = JSON.stringify(entry.options.databasePath)
      try {
        const used = pluginDatabase(entry.options, ctx.io)
        return used === undefined || used === database ? [] : [`${entry.file} sets databasePath ${given}, so the plugin records into ${used}, not ${database} checked here — to read it: export ${DATABASE_PATH_VARIABLE}=${shellWord(used)} (or --db)`]
      } catch (error) {
        return [`${entry.file} sets databasePath ${given}, which the plugin refuses (${describeFailure(error).message}), so it pauses tracking`]
      }
    })
    const notes = [...elsewhere, ...(broken === '' ? [] : [broken])]
    return check('Plugin', notes.length === 0 ? 'ok' : 'finding', `configured in ${configuredIn.join(', ')} (${looked}, and globally)${notes.map((note) => `; ${note}`).join('')}`)
  }
  const none = files.global.length + files.project.length === 0 ? 'no OpenCode config' : `not in ${[...files.global, ...files.project].join(', ')}`
  return check('Plugin', 'finding', `${none} (${looked}, and globally)${broken === '' ? '' : `; ${broken}`} — so OpenCode records nothing: run agent-tracker init (this project) or agent-tracker init --global`)
}

/**
 * Prints the checks; exit 1 when one found a problem. Findings alone leave the database healthy
 * (`healthy` in JSON, exit 0, "Nothing is broken"), but are never "All good".
 */
function report(ctx: CommandContext, checks: readonly Check[], upgraded?: Upgrade): number {
  const problems = checks.filter((entry) => entry.level === 'problem').length
  const findings = checks.filter((entry) => entry.level === 'finding').length
  const healthy = problems === 0
  ctx.print({ healthy, problems, findings, ...(upgraded === undefined ? {} : { upgraded }), checks }, () => {
    const c = ctx.colours
    const mark = { ok: c.green('✓'), finding: c.yellow('!'), problem: c.red('✗') }
    const width = Math.max(...checks.map((entry) => entry.name.length))
    const summary = problems > 0
      ? c.red(`${plural(problems, 'problem')} found (✗ above)${findings > 0 ? `, and ${plural(findings, 'thing')} to look at (!)` : ''}.`)
      : findings > 0 ? c.yellow(`Nothing is broken; ${plural(findings, 'thing')} to look at (! above).`) : c.green('All good.')
    return [...checks.map((entry) => `${mark[entry.level]} ${entry.name.padEnd(width)}  ${entry.detail}`), '', summary].join('\n')
  })
  return healthy ? EXIT.ok : EXIT.failure
}

/** What is wrong with AGENT_TRACKER_MAX_SIZE (when --max-size does not stand in for it), or undefined. */
function badSizeVariable(ctx: CommandContext): string | undefined {
  if (ctx.maxSizeOrigin !== 'AGENT_TRACKER_MAX_SIZE' || ctx.maxSize === undefined) return undefined
  try {
    parseSizeLimit(ctx.maxSize, ctx.maxSizeOrigin)
    return undefined
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}
