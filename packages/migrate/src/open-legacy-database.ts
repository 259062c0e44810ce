import { checkDataFile, checkLockFile, locateDataFile } from '@agent-tracker/lmdb-store'
import type { RootDatabase } from 'lmdb'
import { open } from 'lmdb'

/** A legacy database opened read-only, or why it could not be. */
export type OpenedLegacyDatabase = { readonly ok: true; readonly root: RootDatabase } | { readonly ok: false; readonly problem: string }

/**
 * Opens a legacy LMDB file read-only (`maxDbs` for one with named sub-databases), after checking it is intact — LMDB
 * crashes the process on garbage or truncated files — so that a bad source never takes the host down.
 */
export function openLegacyDatabase(path: string, options: { readonly maxDbs?: number } = {}): OpenedLegacyDatabase {
  const { dataFile, lockFile, noSubdir } = locateDataFile(path)
  const check = checkDataFile(dataFile)
  if (!check.ok) return { ok: false, problem: `${dataFile} is unreadable: ${check.problem}` }
  if (!check.exists) return { ok: false, problem: `${dataFile} is empty` }
  const lockProblem = checkLockFile(lockFile)
  if (lockProblem !== undefined) return { ok: false, problem: `${path} is locked or unusable: ${lockProblem}` }
  try {
    return { ok: true, root: open({ path, noSubdir, readOnly: true, compression: true, overlappingSync: false, ...(options.maxDbs === undefined ? {} : { maxDbs: options.maxDbs }) }) }
  } catch (error) {
    return { ok: false, problem: `${path} cannot be opened: ${(error as Error).message}` }
  }
}
