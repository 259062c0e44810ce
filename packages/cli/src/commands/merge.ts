import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AgentState } from '@agent-tracker/core'
import type { LmdbStore } from '@agent-tracker/lmdb-store'
import { locateDataFile, openLmdbStore, recogniseDatabase } from '@agent-tracker/lmdb-store'
import type { MergeReport, MigrationReport } from '@agent-tracker/migrate'
import { mergeDatabase, mergeSourceProblem } from '@agent-tracker/migrate'
import { locateDatabase } from '@agent-tracker/node-host/database'
import { CliError, EXIT } from '../cli-error.js'
import { isDatabaseFile } from '../database-files.js'
import type { CommandContext } from '../context.js'
import { plural, score } from '../format.js'
import { WORKING_FOLDER, absolutePath } from '../io.js'
import { parseSizeLimit } from '../parse-size.js'
import type { UndoPoint } from './undo-point.js'
import { factIdAt, undoFolder } from './undo-point.js'

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
  const factSeqBefore = await store.lastFactSeq()
  await store.backup(join(folder, 'before.lmdb'))
  const report = await runMerge(ctx, store, source, timezone)
  const factSeqAfter = await store.lastFactSeq()
  const lastFactId = await factIdAt(store, factSeqAfter)
  const point: UndoPoint = { id, source, at: at.toISOString(), factSeqBefore, factSeqAfter, ...(lastFactId === undefined ? {} : { lastFactId }) }
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
