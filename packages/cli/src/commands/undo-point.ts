import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { LmdbStore } from '@agent-tracker/lmdb-store'
import { openLmdbStore, restoreBackup } from '@agent-tracker/lmdb-store'

/** An undo point: the database as it was before a merge, and how far its fact log reached before and after it. */
export interface UndoPoint {
  readonly id: string
  readonly source: string
  readonly at: string
  /**
   * The database's last fact sequence number when the undo point was taken: the facts after it, up
   * to `factSeqAfter`, are the merge's. Absent in undo points of earlier releases (the backup's log
   * says it: see {@link factSeqBefore}).
   */
  readonly factSeqBefore?: number
  /** The database's last fact sequence number right after the merge: a later one means later writes. */
  readonly factSeqAfter: number
  /**
   * The id of the fact at `factSeqAfter` (absent while the log was empty, and in undo points of
   * earlier releases): the same sequence number holding another fact means the database was put
   * back or replaced since, and has been written again up to the same length.
   */
  readonly lastFactId?: string
}

/** Where the undo points of merges into the database at `path` are kept: beside it. */
export function undoFolder(path: string): string {
  return `${path}.undo`
}

/** The id of the fact at sequence number `seq` of the fact log; undefined for 0 (an empty log) or a fact not there. */
export async function factIdAt(store: LmdbStore, seq: number): Promise<string | undefined> {
  if (seq <= 0) return undefined
  for await (const logged of store.readFactLog({ after: seq - 1, limit: 1 })) return logged.seq === seq ? logged.fact.id : undefined
  return undefined
}

/**
 * Where the fact log ended before the merge of `point`, whose backup is `backup`: recorded in the
 * point, or (a point of an earlier release) read from a scratch copy of the backup, so that
 * nothing is written beside the backup itself.
 * @throws {LmdbStoreError} DATABASE_UNREADABLE when the backup cannot be read.
 */
export async function factSeqBefore(point: UndoPoint, backup: string): Promise<number> {
  if (point.factSeqBefore !== undefined) return point.factSeqBefore
  const scratch = mkdtempSync(join(tmpdir(), 'agent-tracker-undo-'))
  try {
    const copy = join(scratch, 'before.lmdb')
    restoreBackup(copy, backup)
    const store = openLmdbStore({ databasePath: copy, readOnly: true })
    try {
      return await store.lastFactSeq()
    } finally {
      await store.close()
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}
