import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { LmdbStore } from '@agent-tracker/lmdb-store'
import { restoreBackup } from '@agent-tracker/lmdb-store'
import { CliError, EXIT } from '../cli-error.js'
import type { CommandContext } from '../context.js'
import { plural } from '../format.js'
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
 * with this merge in it, which putting back would bring this merge back. With `dryRun`, it opens
 * the database read-only, says all this as what the undo would do (and whether it would be refused
 * without `--force`), and changes nothing.
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
  const facts = Math.max(0, point.factSeqAfter - before)
  if (dryRun) return previewUndo(ctx, { point, facts, refusal, force: options.force === true, later, path: store.path })
  await store.close()
  restoreBackup(store.path, backup)
  for (const name of [id, ...later]) rmSync(join(folder, name), { recursive: true, force: true })
  ctx.print({ undone: id, source: point.source, facts, removedUndoPoints: later }, () =>
    [
      `Undid merge ${id} of ${point.source}: the database is as it was before it.`,
      ...(later.length === 0 ? [] : [`The undo ${later.length === 1 ? 'point' : 'points'} of the later ${later.length === 1 ? 'merge' : 'merges'} (${later.join(', ')}) ${later.length === 1 ? 'was' : 'were'} removed: ${later.length === 1 ? 'it holds' : 'they hold'} this merge, and putting ${later.length === 1 ? 'it' : 'them'} back would bring it back.`]),
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
  readonly path: string
}

/** Says what the undo would do, changing nothing; exits 1 when the undo would be refused (as the undo itself would). */
function previewUndo(ctx: CommandContext, preview: UndoPreview): number {
  const { point, facts, refusal, force, later } = preview
  const refused = refusal !== undefined && !force ? refusal : undefined
  const data = {
    dryRun: true, undo: point.id, source: point.source, facts, wouldUndo: refused === undefined, removedUndoPoints: refused === undefined ? later : [],
    ...(refusal === undefined ? {} : { refusal }),
  }
  const lead = `Dry run, nothing was changed. Undoing merge ${point.id} of ${point.source}`
  ctx.print(data, () => [
    refused !== undefined
      ? `${lead} would be refused: ${refused.message} Run it with --force to undo anyway.`
      : `${lead} would put ${preview.path} back as it was before it: ${facts === 0 ? 'every record it added would go (it applied no fact)' : `the ${plural(facts, 'fact')} it applied, and every record it added, would go`}.`,
    ...(refusal !== undefined && force ? [`With --force it would undo it anyway: ${refusal.message}`] : []),
    ...(refused !== undefined || later.length === 0 ? [] : [`It would remove the undo ${later.length === 1 ? 'point' : 'points'} of the later ${later.length === 1 ? 'merge' : 'merges'} (${later.join(', ')}): ${later.length === 1 ? 'it holds' : 'they hold'} this merge.`]),
  ].join('\n'))
  return refused === undefined ? EXIT.ok : EXIT.failure
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
