import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'

/** An upgrade's claim on a database path, held by one process at a time. */
export interface UpgradeLock {
  release(): void
}

/**
 * Claims `<database>.upgrade-lock` for this process (it holds the pid). A lock left by a process
 * that is gone (killed mid-upgrade) is taken over. Returns the pid of the live holder instead when
 * another process is upgrading. Throws only for a folder that cannot be written.
 */
export function claimUpgradeLock(database: string): UpgradeLock | { readonly heldBy: number } {
  const path = `${database}.upgrade-lock`
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx')
      writeSync(fd, String(process.pid))
      closeSync(fd)
      return { release: () => { rmSync(path, { force: true }) } }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = Number(readText(path))
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) return { heldBy: holder }
      // Left by a process that died (or by this one): take it over.
      rmSync(path, { force: true })
    }
  }
  throw new Error(`cannot claim ${path}: it keeps coming back`)
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim()
  } catch {
    return ''
  }
}
