import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** The fields of a `package.json` that say which package and release it is. */
export interface PackageManifest {
  readonly name?: unknown
  readonly version?: unknown
}

/**
 * The `package.json` of the package a file belongs to: the first readable one in the file's folder
 * or a folder above it, at most `levels` folders; undefined when there is none that near.
 */
export function nearestManifest(file: string, levels: number): PackageManifest | undefined {
  let folder = dirname(file)
  for (let depth = 0; depth < levels; depth++, folder = dirname(folder)) {
    try {
      return JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as PackageManifest
    } catch {
      // No package.json here (or none that reads): one folder up.
    }
    if (dirname(folder) === folder) return undefined
  }
  return undefined
}
