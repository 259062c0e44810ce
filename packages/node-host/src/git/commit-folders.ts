import { resolve } from 'node:path'
import type { MadeCommit } from './read-commits.js'

/**
 * The commits `withAmends` gave for `found` (in the same order), each made in another folder than
 * `workdir` marked with that folder (see `MadeCommit.folder`).
 */
export function elsewhere(found: readonly { readonly folder: string }[], commits: readonly MadeCommit[], workdir: string): MadeCommit[] {
  const here = resolve(workdir)
  return commits.map((commit, index) => {
    const folder = found[index]?.folder
    return folder === undefined || resolve(folder) === here ? commit : { ...commit, folder }
  })
}
