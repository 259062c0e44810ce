import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { LmdbStore } from '@agent-tracker/lmdb-store'
import { restoreBackup } from '@agent-tracker/lmdb-store'
import { CliError, EXIT } from '../cli-error.js'
import type { CommandContext } from '../context.js'
import { plural } from '../format.js'
import type { MergedFactsOnTeam } from './merge-team.js'
import { mergedFactsOnTeam } from './merge-team.js'
import type { UndoPoint } from './undo-point.js'
import { factIdAt, factSeqBefore, undoFolder } from './undo-point.js'

/** Options of `merge --undo`. */
export interface UndoMergeOptions {
  /** Undo even though the database is not as the merge left it (what was recorded since is lost). */
  readonly force?: boolean
  /** Say what the undo would do, and change nothing. */
  readonly dryRun?: boolean
}

/** Why an undo is refused without `--force`. */
interface Refusal {
  readonly code: string
  readonly message: string
}

/**
 * `merge --undo <id>`: puts back the database as it was before that merge. Refused when anything
 * was recorded after the merge (it would be lost), or when the database is no longer the one the
 * merge left (put back by an earlier undo or a restore, then written again), unless `force`.
 * Undoing a merge also removes the undo points of the merges after it: each holds a database
 * with this merge in it, which putting back would bring this merge back. The merge's facts that
 * `sync` had sent to the team database stay counted there (it keeps every fact it is sent): the
 * answer says how many. With `dryRun`, it opens the database read-only, says all this as what
 * the undo would do (and whether it would be refused without `--force`), and changes nothing.
 * @throws {CliError} NO_DATABASE when there is no database (none is made); UNKNOWN_UNDO (usage) for an id with no undo point; WRITTEN_SINCE or REPLACED_SINCE when refused.
 */
export async function undoMergeCommand(ctx: CommandContext, id: string, options: UndoMergeOptions = {}): Promise<number> {
  const dryRun = options.dryRun === true
  const store = ctx.openExistingStore('merge to undo', dryRun ? 'read' : 'write')
  const folder = undoFolder(store.path)
  const manifest = join(folder, id, 'undo.json')
  const known = (): string[] => (existsSync(folder) ? readdirSync(folder).filter((name) => existsSync(join(folder, name, 'undo.json'))).sort() : [])
  if (!/^[\w.-]+$/.test(id) || !existsSync(manifest)) {
    const points = known()
    throw new CliError('UNKNOWN_UNDO', `No merge ${id} to undo for ${store.path}. ${points.length === 0 ? 'No merge has an undo point here.' : `Undo points: ${points.join(', ')}.`}`, EXIT.usage)
  }
  const point = JSON.parse(readFileSync(manifest, 'utf8')) as UndoPoint
  const backup = join(folder, id, 'before.lmdb')
  const refusal = await notAsMerged(store, point)
  if (refusal !== undefined && options.force !== true && !dryRun) throw new CliError(refusal.code, `${refusal.message} Nothing was changed. Run again with --force to undo anyway.`)
  // Taken after this one: a later start, or the same millisecond and a later id (`…-2`).
  const later = known().filter((name) => {
    const taken = undoPointAt(folder, name)
    return name !== id && (taken > point.at || (taken === point.at && name > id))
  })
  const before = await factSeqBefore(point, backup)
  const onTeam = await mergedFactsOnTeam(ctx.io, store, { after: before, upTo: point.factSeqAfter })
  const facts = Math.max(0, point.factSeqAfter - before)
  const synced = onTeam !== undefined && 'synced' in onTeam ? { syncedToTeam: onTeam.synced } : {}
  if (dryRun) return previewUndo(ctx, { point, facts, refusal, force: options.force === true, later, onTeam, path: store.path })
  sayTeamShare(ctx, onTeam, facts, 'stay')
  await store.close()
  restoreBackup(store.path, backup)
  for (const name of [id, ...later]) rmSync(join(folder, name), { recursive: true, force: true })
  ctx.print({ undone: id, source: point.source, facts, removedUndoPoints: later, ...synced }, () =>
    [
      `Undid merge ${id} of ${point.source}: the database is as it was before it.`,
      ...(later.length === 0 ? [] : [`The undo ${later.length === 1 ? 'point' : 'points'} of the later ${later.length === 1 ? 'merge' : 'merges'} (${later.join(', ')}) ${later.length === 1 ? 'was' : 'were'} removed: ${later.length === 1 ? 'it holds' : 'they hold'} this merge, and putting ${later.length === 1 ? 'it' : 'them'} back would bring it back.`]),
      ...teamLines(onTeam, facts, 'stay'),
    ].join('\n'))
  return EXIT.ok
}

/** What a dry run of an undo found, to say. */
interface UndoPreview {
  readonly point: UndoPoint
  /** The facts the merge put in the log. */
  readonly facts: number
  readonly refusal: Refusal | undefined
  readonly force: boolean
  readonly later: readonly string[]
  readonly onTeam: MergedFactsOnTeam | undefined
  readonly path: string
}

/** Says what the undo would do, changing nothing; exits 1 when the undo would be refused (as the undo itself would). */
function previewUndo(ctx: CommandContext, preview: UndoPreview): number {
  const { point, facts, refusal, force, later, onTeam } = preview
  const refused = refusal !== undefined && !force ? refusal : undefined
  sayTeamShare(ctx, onTeam, facts, 'would stay')
  const data = {
    dryRun: true, undo: point.id, source: point.source, facts, wouldUndo: refused === undefined, removedUndoPoints: refused === undefined ? later : [],
    ...(refusal === undefined ? {} : { refusal }),
    ...(onTeam !== undefined && 'synced' in onTeam ? { syncedToTeam: onTeam.synced } : {}),
  }
  const lead = `Dry run, nothing was changed. Undoing merge ${point.id} of ${point.source}`
  ctx.print(data, () => [
    refused !== undefined
      ? `${lead} would be refused: ${refused.message} Run it with --force to undo anyway.`
      : `${lead} would put ${preview.path} back as it was before it: ${facts === 0 ? 'every record it added would go (it applied no fact)' : `the ${plural(facts, 'fact')} it applied, and every record it added, would go`}.`,
    ...(refusal !== undefined && force ? [`With --force it would undo it anyway: ${refusal.message}`] : []),
    ...(refused !== undefined || later.length === 0 ? [] : [`It would remove the undo ${later.length === 1 ? 'point' : 'points'} of the later ${later.length === 1 ? 'merge' : 'merges'} (${later.join(', ')}): ${later.length === 1 ? 'it holds' : 'they hold'} this merge.`]),
    ...teamLines(onTeam, facts, 'would stay'),
  ].join('\n'))
  return refused === undefined ? EXIT.ok : EXIT.failure
}

/** The sentence on the merge's facts the team database was sent, when there are any. */
function teamShareText(onTeam: MergedFactsOnTeam | undefined, facts: number, stay: string): string | undefined {
  if (onTeam === undefined || !('synced' in onTeam) || onTeam.synced === 0) return undefined
  const which = onTeam.synced === 1 ? (facts === 1 ? 'The fact' : `1 of the ${String(facts)} facts`) : onTeam.synced === facts ? `All ${String(facts)} facts` : `${String(onTeam.synced)} of the ${String(facts)} facts`
  return `${which} this merge applied had already been synced to the team database ${onTeam.team}, and ${onTeam.synced === 1 ? 'it' : 'they'} ${stay} counted there: the team database keeps every fact it is sent, and an undo puts back only this machine's database.`
}

/** The answer's lines on the team database: what of the merge it keeps. */
function teamLines(onTeam: MergedFactsOnTeam | undefined, facts: number, stay: string): string[] {
  const text = teamShareText(onTeam, facts, stay)
  return text === undefined ? [] : [text]
}

/**
 * Tells a JSON reader (in the envelope's notices) what the team database keeps of the merge, which
 * people read in the answer; and says, to both, when the team database could not be asked.
 */
function sayTeamShare(ctx: CommandContext, onTeam: MergedFactsOnTeam | undefined, facts: number, stay: string): void {
  if (onTeam !== undefined && 'problem' in onTeam) {
    ctx.warn('TEAM_NOT_ASKED', `Could not ask the team database ${onTeam.team} whether facts of this merge were synced to it: ${onTeam.problem.replace(/\.?$/, '.')} Any it was sent ${stay} counted there (it keeps every fact it is sent).`)
    return
  }
  const text = teamShareText(onTeam, facts, stay)
  if (text !== undefined) ctx.notice('MERGE_SYNCED_TO_TEAM', text)
}

/** Why the database is not as merge `point` left it (facts recorded since, or put back or replaced since), or undefined when it is. */
async function notAsMerged(store: LmdbStore, point: UndoPoint): Promise<Refusal | undefined> {
  const seq = await store.lastFactSeq()
  if (seq > point.factSeqAfter) {
    const since = seq - point.factSeqAfter
    return { code: 'WRITTEN_SINCE', message: `${plural(since, 'fact')} ${since === 1 ? 'was' : 'were'} recorded after merge ${point.id}; undoing it would lose them too.` }
  }
  const replaced = seq < point.factSeqAfter || (point.lastFactId !== undefined && (await factIdAt(store, seq)) !== point.lastFactId)
  if (!replaced) return undefined
  return { code: 'REPLACED_SINCE', message: `The database is not the one merge ${point.id} left: it was put back (by an earlier undo or a restore) or replaced since${seq < point.factSeqAfter ? `, and its fact log now ends at ${String(seq)}, before the merge's ${String(point.factSeqAfter)}` : ', and written again'}; putting back what it held before the merge would lose what was recorded since, and could bring back what was undone.` }
}

/** When the undo point `name` in `folder` was taken (its merge's start), or '' when unreadable. */
function undoPointAt(folder: string, name: string): string {
  try {
    return (JSON.parse(readFileSync(join(folder, name, 'undo.json'), 'utf8')) as Partial<UndoPoint>).at ?? ''
  } catch {
    return ''
  }
}
