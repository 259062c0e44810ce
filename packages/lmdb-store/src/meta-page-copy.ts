import { closeSync, constants, copyFileSync, openSync, readSync, writeSync } from 'node:fs'
import type { MetaPageDamage } from './data-file.js'

/**
 * Copies the data file `dataFile` to `target` (a new file) with its damaged meta page (see
 * `damagedMetaPage`) rebuilt from the intact one: the intact page's bytes, with the page number of
 * the one it replaces. Both meta pages of the copy then name the same transaction and the same
 * tree roots, so whichever LMDB picks (the higher transaction id; page 0 on a tie), it reads the
 * snapshot the intact page names. That snapshot is whole: LMDB reuses no page of the snapshot
 * before the newest until a later write, so it is the newest one, or the one just before it when
 * the damaged page held the newest write. The original file is only read.
 */
export function copyWithMetaPageRebuilt(dataFile: string, damage: MetaPageDamage, target: string): void {
  // A copy-on-write clone where the file system offers one; a plain copy elsewhere. Never over an existing file.
  copyFileSync(dataFile, target, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE)
  const { page: damaged, pageSize } = damage
  const intact = damaged === 0 ? 1 : 0
  const fd = openSync(target, 'r+')
  try {
    const page = Buffer.alloc(pageSize)
    readSync(fd, page, 0, pageSize, intact * pageSize)
    // The page header starts with the page's own number.
    page.writeBigUInt64LE(BigInt(damaged), 0)
    writeSync(fd, page, 0, pageSize, damaged * pageSize)
  } finally {
    closeSync(fd)
  }
}
