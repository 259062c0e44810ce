import { existsSync } from 'node:fs'
import type { HostName, SetupIdentity } from '@agent-tracker/core'
import { SETUP_IDENTITIES } from '@agent-tracker/core'
import type { SourceSummary } from '@agent-tracker/host-import'
import { givenLocation, historyLocations, importHistory, isHostImportError } from '@agent-tracker/host-import'
import type { LmdbStore } from '@agent-tracker/lmdb-store'
import type { EvidenceScan } from '@agent-tracker/node-host'
import { isNodeHostError } from '@agent-tracker/node-host'
import { CliError, EXIT } from '../cli-error.js'
import { IMPORT_SOURCES } from './import-sources.js'
import type { CommandContext } from '../context.js'
import { money, plural, tokens } from '../format.js'
import { absolutePath } from '../io.js'
import { scanOrSkip } from './evidence.js'
import { isFolder } from './lookups.js'


const NAMES: Record<HostName, string> = { opencode: 'OpenCode', 'claude-code': 'Claude Code', codex: 'Codex' }

/** Options of `import`. */
export interface ImportCommandOptions {
  readonly since?: string
  readonly dryRun?: boolean
  readonly from?: string
  readonly identity?: string
  /** false (`--no-evidence`): do not read the imported projects' git histories for evidence. */
  readonly evidence?: boolean
}

/**
 * `import [source]`: brings the history agent hosts keep on disk into the tracker — OpenCode's
 * database and older storage, Claude Code's transcripts, Codex's rollouts — as live tracking would
 * have recorded it, so rerunning it, or running it over sessions tracked live, adds nothing.
 * Then, unless `--no-evidence` or a dry run, reads the git history of each project it imported
 * commits of for evidence (as `agent-tracker evidence` does). Exit 1 only when nothing could be read.
 */
export async function importCommand(ctx: CommandContext, source: string | undefined, options: ImportCommandOptions): Promise<number> {
  const chosen = source ?? 'all'
  if (!(IMPORT_SOURCES as readonly string[]).includes(chosen)) {
    throw new CliError('INVALID_SOURCE', `Unknown source "${chosen}": accepted are ${IMPORT_SOURCES.join(', ')}.`, EXIT.usage)
  }
  if (options.from !== undefined && chosen === 'all') {
    throw new CliError('INVALID_SOURCE', '--from names one source\'s history: give the source too, e.g. agent-tracker import claude-code --from ~/backup/projects.', EXIT.usage)
  }
  if (options.from !== undefined && !existsSync(absolutePath(ctx.io, options.from))) {
    // Said as what it is: a path that is not there, rather than a history that was looked for and not found.
    throw new CliError('INVALID_OPTION', `--from ${options.from}: ${absolutePath(ctx.io, options.from)} does not exist. Give the folder or file that holds ${NAMES[chosen as HostName]}'s history.`, EXIT.usage)
  }
  const identity = identityOf(options.identity)
  const { since } = ctx.window({ since: options.since })
  const found = historyLocations({ env: ctx.io.env, homeDir: ctx.io.homeDir })
  const hosts = chosen === 'all' ? (Object.keys(NAMES) as HostName[]) : [chosen as HostName]
  const locations = hosts.map((host) => (options.from === undefined ? found[host] : givenLocation(host, absolutePath(ctx.io, options.from))))
  const present = locations.filter((location) => location.paths.length > 0)
  if (present.length === 0) {
    const searched = locations.flatMap((location) => location.searched)
    ctx.print({ dryRun: options.dryRun === true, sources: [], searched }, () => `No agent history found to import: looked in ${searched.join(', ')}.`)
    return EXIT.failure
  }
  const store = openTarget(ctx, options.dryRun === true)
  const progress = ctx.progress('Importing')
  let summaries: SourceSummary[]
  try {
    summaries = await importHistory({
      locations: present,
      store,
      dryRun: options.dryRun === true,
      ...(since === undefined ? {} : { since }),
      identity,
      now: () => ctx.now(),
      onProgress: (host, done, total) => {
        progress.update(done, total, NAMES[host])
      },
    })
  } catch (error) {
    if (isHostImportError(error, 'SQLITE_UNAVAILABLE')) {
      throw new CliError(error.code, `${error.message} Reinstall agent-tracker where better-sqlite3 can be built (npm rebuild better-sqlite3), or import the other sources: agent-tracker import claude-code, agent-tracker import codex.`, EXIT.failure, { cause: error })
    }
    throw error
  } finally {
    progress.stop()
  }
  const missing = locations.filter((location) => location.paths.length === 0)
  const evidence = store === undefined || options.dryRun === true || options.evidence === false ? undefined : await scanImported(ctx, store, summaries)
  ctx.print({ dryRun: options.dryRun === true, ...(since === undefined ? {} : { since }), sources: summaries, notFound: missing.map((location) => ({ source: location.host, searched: location.searched })), ...(evidence === undefined ? {} : { evidence }) }, () =>
    [
      ...summaries.map((summary) => describeSummary(summary, options.dryRun === true)),
      ...missing.map((location) => `${NAMES[location.host]}: nothing found (looked in ${location.searched.join(', ')}).`),
      ...(evidence === undefined ? [] : [describeEvidence(evidence)]),
    ].join('\n\n'))
  const nothingRead = summaries.every((summary) => summary.facts === 0 && summary.problemCount > 0)
  return nothingRead ? EXIT.failure : EXIT.ok
}

/** What the evidence scan after an import did: the scans, and the projects it could not read. */
interface ImportedEvidence {
  readonly scans: readonly EvidenceScan[]
  /** Folders that are gone, or no git repository. */
  readonly skipped: readonly { readonly project: string; readonly reason: string }[]
}

/** Reads each imported project's git history for evidence; a project that cannot be read is skipped, with why. Ctrl-C stops cleanly. */
async function scanImported(ctx: CommandContext, store: LmdbStore, summaries: readonly SourceSummary[]): Promise<ImportedEvidence> {
  const projects = [...new Set(summaries.flatMap((summary) => summary.projects))].sort()
  const scans: EvidenceScan[] = []
  const skipped: { project: string; reason: string }[] = []
  const controller = new AbortController()
  const cancel = (): void => {
    controller.abort()
  }
  process.once('SIGINT', cancel)
  const progress = ctx.progress('Evidence from git')
  try {
    for (const [index, project] of projects.entries()) {
      if (!isFolder(project)) {
        skipped.push({ project, reason: 'the folder is not there' })
        continue
      }
      progress.update(index, projects.length, project)
      try {
        const scan = await scanOrSkip(store, project, { signal: controller.signal })
        if ('reason' in scan) skipped.push({ project, reason: scan.reason })
        else scans.push(scan)
      } catch (error) {
        if (isNodeHostError(error, 'CANCELLED')) break
        throw error
      }
    }
  } finally {
    progress.stop()
    process.removeListener('SIGINT', cancel)
  }
  return { scans, skipped }
}

function describeEvidence(evidence: ImportedEvidence): string {
  const sum = (pick: (scan: EvidenceScan) => number): number => evidence.scans.reduce((total, scan) => total + pick(scan), 0)
  const lines = [`Evidence from git: ${plural(evidence.scans.length, 'project')} read, ${plural(sum((s) => s.commitsRead), 'commit')} (${plural(sum((s) => s.tracked), 'tracked agent commit')}); ${plural(sum((s) => s.suspectedBugs), 'suspected bug')}, ${plural(sum((s) => s.reverts), 'revert')}, ${plural(sum((s) => s.survival), 'survival measurement')}; ${plural(sum((s) => s.recorded), 'new fact')}.`]
  for (const skip of evidence.skipped) lines.push(`  ${skip.project}: skipped, ${skip.reason}.`)
  if (sum((s) => s.suspectedBugs) > 0) lines.push('  agent-tracker evidence --list shows them; agent-tracker bug lists the suspected bugs waiting for your verdict.')
  return lines.join('\n')
}

function identityOf(value: string | undefined): SetupIdentity {
  if (value === undefined) return 'agent+model'
  if ((SETUP_IDENTITIES as readonly string[]).includes(value)) return value as SetupIdentity
  throw new CliError('INVALID_OPTION', `Invalid --identity "${value}": accepted are ${SETUP_IDENTITIES.join(', ')}.`, EXIT.usage)
}

/** The database to import into; for a dry run, the existing one read-only (or none), so nothing is created. */
function openTarget(ctx: CommandContext, dryRun: boolean): LmdbStore | undefined {
  if (!dryRun) return ctx.openStore('write')
  return existsSync(ctx.localDatabasePath()) ? ctx.openStore('read') : undefined
}

function describeSummary(summary: SourceSummary, dryRun: boolean): string {
  const count = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`
  const estimated = summary.estimatedCost > 0 ? ` (${money(summary.estimatedCost)} of it estimated from list prices)` : ''
  const unpriced = summary.unpricedMessages > 0 ? `; ${count(summary.unpricedMessages, 'response')} of models without a known price count as $0` : ''
  const lines = [
    `${NAMES[summary.source]} (${summary.paths.join(', ')})`,
    `  ${count(summary.sessions, 'session')} · ${count(summary.setups.length, 'setup')}${summary.setups.length === 0 ? '' : `: ${summary.setups.join(', ')}`}`,
    `  ${count(summary.toolCalls, 'tool call')} (${summary.toolFailures.toLocaleString('en-US')} failed) · ${count(summary.commits, 'commit')}${summary.amends > 0 ? ` (${summary.amends.toLocaleString('en-US')} amending an earlier one)` : ''} · ${count(summary.pushes, 'push', 'pushes')}`,
    `  ${count(summary.messages, 'response')} · ${tokens(summary.tokens.input)} input, ${tokens(summary.tokens.output + summary.tokens.reasoning)} output, ${tokens(summary.tokens.cacheRead)} cache-read tokens · ${money(summary.cost)}${estimated}${unpriced}`,
    `  ${count(summary.facts, 'fact')}: ${summary.imported.toLocaleString('en-US')} ${dryRun ? 'would be new' : 'new'}, ${summary.repeats.toLocaleString('en-US')} already recorded`,
  ]
  if (summary.problemCount > 0) {
    lines.push(`  ${count(summary.problemCount, 'part', 'parts')} could not be read and ${summary.problemCount === 1 ? 'was' : 'were'} skipped:`)
    for (const problem of summary.problems) lines.push(`    ${problem.file}${problem.line === undefined ? '' : `:${String(problem.line)}`}: ${problem.reason}`)
    if (summary.problemCount > summary.problems.length) lines.push(`    … and ${(summary.problemCount - summary.problems.length).toLocaleString('en-US')} more (--json lists the first ${String(summary.problems.length)})`)
  }
  return lines.join('\n')
}
