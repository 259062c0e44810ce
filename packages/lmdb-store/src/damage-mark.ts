import { existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { locateDataFile } from './data-file.js'

/** What was found wrong with a database, and when: kept beside its data file until a deep check finds it intact. */
export interface DamageMark {
  readonly at: string
  readonly problem: string
}

/** A data file's identity: its device and inode, as decimal strings (an inode may pass 2⁵³). */
interface FileIdentity {
  readonly dev: string
  readonly ino: string
}

/** The file beside the data file that remembers it was found damaged. */
export function damageMarkFile(path: string): string {
  return `${locateDataFile(path).dataFile}.damaged`
}

/**
 * Remembers that the database at `path` was found damaged: writers refuse it until {@link clearDamage}.
 * The mark names the data file it was made for (its device and inode), so that a file put in its
 * place later — a salvaged copy moved there, a backup restored by a rename — is not refused for the
 * damage of the one it replaced. It is written whole or not at all (a new file renamed over the
 * mark): on a full disk no empty mark is left. Never throws.
 */
export function markDamaged(path: string, problem: string, at: Date = new Date()): void {
  const { dataFile } = locateDataFile(path)
  const mark = damageMarkFile(path)
  const temporary = `${mark}.${String(process.pid)}.tmp`
  try {
    const file = identityOf(dataFile)
    writeFileSync(temporary, `${JSON.stringify({ at: at.toISOString(), problem, ...(file === undefined ? {} : { file }) })}\n`, { flag: 'w' })
    renameSync(temporary, mark)
  } catch {
    // A folder we cannot write to, or a full disk: the next open's own checks still run.
  } finally {
    rmSync(temporary, { force: true })
  }
}

/**
 * The damage last found in the database at `path`, if it has not been cleared and was found in the
 * file now there: a mark made for another file at this path (see {@link markDamaged}) says nothing
 * of this one. A mark of an earlier release names no file, and counts for whatever file is there.
 */
export function damageMark(path: string): DamageMark | undefined {
  try {
    const mark = JSON.parse(readFileSync(damageMarkFile(path), 'utf8')) as Partial<DamageMark> & { file?: Partial<FileIdentity> }
    if (mark.file !== undefined && !sameFile(mark.file, identityOf(locateDataFile(path).dataFile))) return undefined
    return { at: String(mark.at), problem: String(mark.problem) }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
    return { at: 'unknown', problem: 'its damage mark is unreadable' }
  }
}

/** A file's device and inode; undefined when it is not there (or cannot be looked at). */
function identityOf(file: string): FileIdentity | undefined {
  try {
    const stats = statSync(file, { bigint: true })
    return { dev: String(stats.dev), ino: String(stats.ino) }
  } catch {
    return undefined
  }
}

/**
 * Whether the marked file is the one now there: by its inode. The device is not compared — it can
 * change across a reboot or remount (btrfs subvolumes, NFS, LVM) while the file stays the one that
 * was found damaged.
 */
function sameFile(marked: Partial<FileIdentity>, now: FileIdentity | undefined): boolean {
  return String(marked.ino) === now?.ino
}

/** Forgets earlier damage, and the trails of reads that died (after a deep check found the database intact). */
export function clearDamage(path: string): void {
  rmSync(damageMarkFile(path), { force: true })
  clearReadTrails(staleReadTrails(path))
}

/**
 * Leaves a trail while this process reads the database at `path` without a supervisor: a file
 * beside the data file naming this process, removed when it exits. A trail left behind by a
 * process that is gone means that read died (a crash on a damaged page, or a kill): see
 * {@link staleReadTrails}. Never throws (a folder we cannot write to leaves no trail).
 */
export function leaveReadTrail(path: string): void {
  const trail = `${locateDataFile(path).dataFile}.reading-${String(process.pid)}`
  try {
    writeFileSync(trail, '')
    const remove = (): void => {
      rmSync(trail, { force: true })
    }
    process.once('exit', remove)
    // Stopped by the user, the read did not die on the file: no trail; the signal then does what it would have.
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(signal, () => {
        remove()
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
      })
    }
  } catch {
    // Nothing to leave: the reads just go on without the trail.
  }
}

/** The trails of reads of the database at `path` whose process is gone without removing them. */
export function staleReadTrails(path: string): string[] {
  const data = locateDataFile(path).dataFile
  const prefix = `${basename(data)}.reading-`
  try {
    return readdirSync(dirname(data)).filter((name) => name.startsWith(prefix) && !alive(Number(name.slice(prefix.length)))).map((name) => join(dirname(data), name))
  } catch {
    return []
  }
}

/**
 * Whether the database folder at `path` holds files other than agent-tracker's own side files (the
 * read trails and damage mark beside a data file not yet made): an empty folder given as the
 * database, in which a read left its trail, is still empty.
 */
export function folderHoldsOtherFiles(path: string): boolean {
  const data = basename(locateDataFile(path).dataFile)
  const trail = `${data}.reading-`
  return readdirSync(path).some((name) => !name.startsWith(trail) && name !== `${data}.damaged`)
}

/**
 * Why `path` cannot be a database, when it is a folder with other files in it and no
 * agent-tracker database (`--db ~`, `--db .`, any folder of one's own: LMDB would put its
 * `data.mdb` and `lock.mdb` among those files); undefined otherwise. What a host checks before it
 * writes a path it will open later (a hook's command line) as this store checks before it opens one.
 */
export function folderOfOtherFiles(path: string): string | undefined {
  const { dataFile, noSubdir } = locateDataFile(path)
  let others: boolean
  try {
    others = !noSubdir && !existsSync(dataFile) && folderHoldsOtherFiles(path)
  } catch {
    // A folder that cannot be listed: opening it says why, as it says for any folder it cannot use.
    return undefined
  }
  if (!others) return undefined
  return `it is a folder with other files in it and no agent-tracker database. Give a file path in it instead, e.g. ${join(path, 'agent-tracker.lmdb')}.`
}

/** Removes trails (after a supervised read got through the file). */
export function clearReadTrails(trails: readonly string[]): void {
  for (const trail of trails) rmSync(trail, { force: true })
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
