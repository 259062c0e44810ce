import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AgentState } from '@agent-tracker/core'
import type { LmdbStore } from '@agent-tracker/lmdb-store'
import { locateDataFile, openLmdbStore, recogniseDatabase, restoreBackup } from '@agent-tracker/lmdb-store'
import type { MergeReport, MigrationReport } from '@agent-tracker/migrate'
import { mergeDatabase, mergeSourceProblem } from '@agent-tracker/migrate'
import { locateDatabase } from '@agent-tracker/node-host/database'
import { CliError, EXIT } from '../cli-error.js'
import { isDatabaseFile } from '../database-files.js'
import type { CommandContext } from '../context.js'
import { plural, score } from '../format.js'
import { WORKING_FOLDER, absolutePath } from '../io.js'
import { parseSizeLimit } from '../parse-size.js'

/** An undo point: the database as it was before a merge, and how far its fact log reached after it. */
interface UndoPoint {
  readonly id: string
  readonly source: string
  readonly at: string
  /** The database's last fact sequence number right after the merge: a later one means later writes. */
  readonly factSeqAfter: number
  /**
   * The id of the fact at `factSeqAfter` (absent while the log was empty, and in undo points of
   * earlier releases): the same sequence number holding another fact means the database was put
   * back or replaced since, and has been written again up to the same length.
   */
  readonly lastFactId?: string
}

/** Refused items shown at most in text output (`--json` lists every one). */
const SHOWN = 20

/**
 * `merge <db>`: adds another agent-tracker database (e.g. from another machine) to this one,
 * recomputing from its facts and checking every record. Before writing it takes an undo point (a
 * compact backup) that `merge --undo <id>` restores; `--dry-run` merges into a scratch copy and
 * changes nothing.
 */
export async function mergeCommand(ctx: CommandContext, other: string, options: { dryRun?: boolean } = {}): Promise<number> {
  const timezone = ctx.timeZone
  const source = absolutePath(ctx.io, other)
  // This database's own problems come first; where there is none yet, it is made only for a source that can be merged.
  const existing = ctx.openStoreIfThere()
  // Checked before the undo point is taken: a source that cannot be merged changes nothing and leaves nothing behind.
  const problem = mergeSourceProblem(source, recogniseDatabase(source))
  if (problem !== undefined) throw new CliError('NOT_MERGEABLE', `${problem} Nothing was merged.`, EXIT.failure)
  if (existing !== undefined && (source === existing.path || isDatabaseFile(locateDataFile(source).dataFile, existing.path))) {
    throw new CliError('SAME_DATABASE', `${source} is the database being merged into (${existing.path}), by this name or another; give another one.`, EXIT.usage)
  }
  // A dry run makes no database where there is none: it merges into an empty scratch one instead.
  if (options.dryRun === true) return dryRun(ctx, existing, source, timezone)
  const store = existing ?? ctx.openStore('write')
  const at = new Date()
  const stamp = `merge-${at.toISOString().replace(/[-:]/g, '').replace('.', '-')}`
  let id = stamp
  for (let n = 2; existsSync(join(undoFolder(store.path), id)); n++) id = `${stamp}-${String(n)}`
  const folder = join(undoFolder(store.path), id)
  mkdirSync(folder, { recursive: true })
  await store.backup(join(folder, 'before.lmdb'))
  const report = await runMerge(ctx, store, source, timezone)
  const factSeqAfter = await store.lastFactSeq()
  const lastFactId = await factIdAt(store, factSeqAfter)
  const point: UndoPoint = { id, source, at: at.toISOString(), factSeqAfter, ...(lastFactId === undefined ? {} : { lastFactId }) }
  writeFileSync(join(folder, 'undo.json'), `${JSON.stringify(point, null, 2)}\n`)
  ctx.print({ source, undo: id, ...report }, () => [
    `Merged ${source}: ${plural(report.facts.applied, 'fact')} applied (${String(report.facts.repeats)} already here)${added(report, '; added ')}.`,
    ...combinedLines(report),
    ...refusals(ctx, report),
    `Undo with: agent-tracker merge --undo ${id}`,
  ].join('\n'))
  return report.errors.length > 0 ? EXIT.failure : EXIT.ok
}

/**
 * `merge --undo <id>`: puts back the database as it was before that merge. Refused when anything
 * was recorded after the merge (it would be lost), or when the database is no longer the one the
 * merge left (put back by an earlier undo or a restore, then written again), unless `force`.
 * Undoing a merge also removes the undo points of the merges after it: each holds a database
 * with this merge in it, which putting back would bring this merge back.
 */
export async function undoMergeCommand(ctx: CommandContext, id: string, options: { force?: boolean } = {}): Promise<number> {
  const store = ctx.openStore('write')
  const folder = undoFolder(store.path)
  const manifest = join(folder, id, 'undo.json')
  const known = (): string[] => (existsSync(folder) ? readdirSync(folder).filter((name) => existsSync(join(folder, name, 'undo.json'))).sort() : [])
  if (!/^[\w.-]+$/.test(id) || !existsSync(manifest)) {
    const points = known()
    throw new CliError('UNKNOWN_UNDO', `No merge ${id} to undo for ${store.path}. ${points.length === 0 ? 'No merge has an undo point here.' : `Undo points: ${points.join(', ')}.`}`, EXIT.usage)
  }
  const point = JSON.parse(readFileSync(manifest, 'utf8')) as UndoPoint
  if (options.force !== true) {
    const problem = await notAsMerged(store, point)
    if (problem !== undefined) throw new CliError(problem.code, `${problem.message} Nothing was changed. Run again with --force to undo anyway.`)
  }
  await store.close()
  restoreBackup(store.path, join(folder, id, 'before.lmdb'))
  // Taken after this one: a later start, or the same millisecond and a later id (`…-2`).
  const later = known().filter((name) => {
    const taken = undoPointAt(folder, name)
    return name !== id && (taken > point.at || (taken === point.at && name > id))
  })
  for (const name of [id, ...later]) rmSync(join(folder, name), { recursive: true, force: true })
  ctx.print({ undone: id, source: point.source, removedUndoPoints: later }, () =>
    [
      `Undid merge ${id} of ${point.source}: the database is as it was before it.`,
      ...(later.length === 0 ? [] : [`The undo ${later.length === 1 ? 'point' : 'points'} of the later ${later.length === 1 ? 'merge' : 'merges'} (${later.join(', ')}) ${later.length === 1 ? 'was' : 'were'} removed: ${later.length === 1 ? 'it holds' : 'they hold'} this merge, and putting ${later.length === 1 ? 'it' : 'them'} back would bring it back.`]),
    ].join('\n'))
  return EXIT.ok
}

/** Why the database is not as merge `point` left it (facts recorded since, or put back or replaced since), or undefined when it is. */
async function notAsMerged(store: LmdbStore, point: UndoPoint): Promise<{ readonly code: string; readonly message: string } | undefined> {
  const seq = await store.lastFactSeq()
  if (seq > point.factSeqAfter) {
    const since = seq - point.factSeqAfter
    return { code: 'WRITTEN_SINCE', message: `${plural(since, 'fact')} ${since === 1 ? 'was' : 'were'} recorded after merge ${point.id}; undoing it would lose them too.` }
  }
  const replaced = seq < point.factSeqAfter || (point.lastFactId !== undefined && (await factIdAt(store, seq)) !== point.lastFactId)
  if (!replaced) return undefined
  return { code: 'REPLACED_SINCE', message: `The database is not the one merge ${point.id} left: it was put back (by an earlier undo or a restore) or replaced since${seq < point.factSeqAfter ? `, and its fact log now ends at ${String(seq)}, before the merge's ${String(point.factSeqAfter)}` : ', and written again'}; putting back what it held before the merge would lose what was recorded since, and could bring back what was undone.` }
}

/** The id of the fact at sequence number `seq` of the fact log; undefined for 0 (an empty log) or a fact not there. */
async function factIdAt(store: LmdbStore, seq: number): Promise<string | undefined> {
  if (seq <= 0) return undefined
  for await (const logged of store.readFactLog({ after: seq - 1, limit: 1 })) return logged.seq === seq ? logged.fact.id : undefined
  return undefined
}

/** When the undo point `name` in `folder` was taken (its merge's start), or '' when unreadable. */
function undoPointAt(folder: string, name: string): string {
  try {
    return (JSON.parse(readFileSync(join(folder, name, 'undo.json'), 'utf8')) as Partial<UndoPoint>).at ?? ''
  } catch {
    return ''
  }
}

/**
 * Merges `source` into a scratch copy of `store` (an empty scratch database when there is no
 * database yet, `store` undefined) and says what the merge would do; the database, and its path
 * when there is none, are left as they are.
 */
async function dryRun(ctx: CommandContext, store: LmdbStore | undefined, source: string, timezone: string | undefined): Promise<number> {
  const scratch = mkdtempSync(join(tmpdir(), 'agent-tracker-dry-run-'))
  try {
    const copyPath = join(scratch, 'copy.lmdb')
    if (store !== undefined) await store.backup(copyPath)
    const copy = openLmdbStore({ databasePath: copyPath, ...(store === undefined ? scratchSize(ctx) : { maxDatabaseSize: store.maxDatabaseSize, rules: store.rules }) })
    let report: MergeReport
    try {
      report = await runMerge(ctx, copy, source, timezone)
    } finally {
      await copy.close()
    }
    ctx.print({ source, dryRun: true, ...report }, () => [
      `Dry run, nothing was changed. Merging ${source} would apply ${plural(report.facts.applied, 'fact')} (${String(report.facts.repeats)} already here)${added(report, ' and add ')}.`,
      ...(store === undefined ? [`There is no database at ${targetPath(ctx)} yet: the merge would make it.`] : []),
      ...combinedLines(report),
      ...refusals(ctx, report),
    ].join('\n'))
    return report.errors.length > 0 ? EXIT.failure : EXIT.ok
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

/** The size limit a scratch database for a dry run into no database yet gets: the one the merge would make it with (`--max-size`, else `AGENT_TRACKER_MAX_SIZE`, else the default). */
function scratchSize(ctx: CommandContext): { maxDatabaseSize?: number } {
  const limit = ctx.maxSize
  return limit === undefined ? {} : { maxDatabaseSize: parseSizeLimit(limit, ctx.maxSizeOrigin) }
}

/** Where the database merged into is (`--db`, else `AGENT_TRACKER_DB`, else the default), whether or not it is there. */
function targetPath(ctx: CommandContext): string {
  return locateDatabase({ databasePath: ctx.databasePath, env: ctx.io.env, homeDir: ctx.io.homeDir, relativeTo: WORKING_FOLDER }).path
}

async function runMerge(ctx: CommandContext, target: LmdbStore, source: string, timezone: string | undefined): Promise<MergeReport> {
  const progress = ctx.progress('Merging')
  try {
    return await mergeDatabase(source, target, { ...(timezone === undefined ? {} : { timeZone: timezone }), onProgress: (p) => { progress.update(p.processed, p.total) } })
  } finally {
    progress.stop()
  }
}

/**
 * What the merge adds besides the facts' effects, after `lead`, or nothing: the records the other
 * database holds without facts (a legacy import's), and the projects that got their profile from it.
 */
function added(report: MergeReport, lead: string): string {
  const extra = report.migrated - report.facts.applied
  const parts = [
    ...(extra === 0 ? [] : [`${plural(extra, 'record')} held there without facts (from a legacy import)`]),
    ...(report.profiles === 0 ? [] : [plural(report.profiles, 'project profile')]),
  ]
  return parts.length === 0 ? '' : `${lead}${parts.join(' and ')}`
}

/** The setups in both databases that the merge changed (their facts, and any parts beyond them from legacy imports, added to the ones here), and the notes of the merge. */
function combinedLines(report: MigrationReport): string[] {
  const combined = report.combined ?? []
  const lines = combined.length === 0 ? [] : [`${plural(combined.length, 'setup')} ${combined.length === 1 ? 'was' : 'were'} in both databases; ${combined.length === 1 ? 'its' : 'their'} scores here changed (before → after):`]
  for (const { id, before, after } of combined) lines.push(`  ${id}: ${scoreChanges(before, after)}`)
  return [...lines, ...(report.notes ?? [])]
}

/** The items a merge (or a salvage) refused, in text. */
export function refusals(ctx: CommandContext, report: MergeReport): string[] {
  if (report.errors.length === 0) return []
  const lines = report.errors.slice(0, SHOWN).map((e) => ctx.colours.red(`  ${e.position === undefined ? '' : `${e.position}: `}${e.message}`))
  const more = report.errors.length > SHOWN ? [`  … and ${String(report.errors.length - SHOWN)} more (--json lists every one)`] : []
  return [ctx.colours.red(`${plural(report.errors.length, 'item')} refused (nothing from them was stored):`), ...lines, ...more]
}

/** Where the undo points of merges into the database at `path` are kept: beside it. */
function undoFolder(path: string): string {
  return `${path}.undo`
}

/** The lines that say what a merge (or an import of the predecessor's database) did. */
export function describeMerge(ctx: CommandContext, source: string, report: MigrationReport): string {
  const combined = report.combined ?? []
  const lines = [`Merged ${source}: ${plural(report.migrated, 'record')} added, ${String(report.skipped)} already present.`]
  if (combined.length > 0) {
    lines.push(`${plural(combined.length, 'setup')} ${combined.length === 1 ? 'was' : 'were'} in both databases; ${combined.length === 1 ? 'its' : 'their'} scores were added together (before → after):`)
    for (const { id, before, after } of combined) lines.push(`  ${id}: ${scoreChanges(before, after)}`)
  }
  for (const note of report.notes ?? []) lines.push(note)
  for (const error of report.errors) lines.push(ctx.colours.red(`  ${error.position === undefined ? '' : `${error.position}: `}${error.message}`))
  return lines.join('\n')
}

/** `commits 3 → 5, bugs 1 → 2, …`: the counters and scores a combination changed. */
export function scoreChanges(before: AgentState, after: AgentState): string {
  const fields: [string, (state: AgentState) => number, (value: number) => string][] = [
    ['commits', (s) => s.commits, String], ['bugs', (s) => s.bugs, String], ['pushes', (s) => s.pushes, String],
    ['grades', (s) => s.agentGrades.count + s.userGrades.count, String], ['tool calls', (s) => s.toolCalls, String],
    ['SP', (s) => s.skillPoints, score], ['XP', (s) => s.experience, score], ['CS', (s) => s.communication, score],
  ]
  const changed = fields.filter(([, read]) => read(before) !== read(after)).map(([name, read, show]) => `${name} ${show(read(before))} → ${show(read(after))}`)
  return changed.length === 0 ? 'no change' : changed.join(', ')
}
