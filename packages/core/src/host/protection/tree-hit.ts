import { relativeTo, resolvePath, baseName } from './paths.js'
import type { ProtectedFiles } from './protected-files.js'
import { isProtectedFile } from './protected-files.js'
import { commonNames } from './name-globs.js'
import type { GuardContext } from './secret-access.js'
import type { TreeRead } from './tree-reads.js'

/** The first protected file a tree read reaches; `known` false when the folder was not looked into (the pattern it may hold is given). */
export function treeHit(read: TreeRead, cwd: string | undefined, context: GuardContext): { tree: string; file: string; known: boolean } | undefined {
  for (const tree of read.trees) {
    const folder = resolvePath(cwd, tree)
    const files = folder === undefined ? undefined : context.lookup?.filesUnder(folder)
    if (files === undefined) {
      const sample = sampleNames(context.protection).find((name) => passes(read, name, name))
      if (sample !== undefined) return { tree, file: sample, known: false }
      continue
    }
    for (const file of files) {
      const relative = relativeTo(folder ?? '', file) ?? baseName(file)
      if (passes(read, relative, baseName(file))) return { tree, file: relative === '' ? baseName(file) : relative, known: true }
    }
  }
  return undefined
}

function passes(read: TreeRead, relative: string, name: string): boolean {
  if (!read.hidden && relative.split('/').some((part) => part.startsWith('.'))) return false
  if (read.include.length > 0 && !read.include.some((filter) => filter(relative, name))) return false
  if (read.opaqueFilters === true) return true
  return !read.exclude.some((filter) => filter(relative, name))
}

const SAMPLES = new WeakMap<ProtectedFiles, readonly string[]>()

/** A few names each protected pattern stands for (`.env`, `.env.local`, `key.pem`), to judge a folder not looked into. */
function sampleNames(protection: ProtectedFiles): readonly string[] {
  const known = SAMPLES.get(protection)
  if (known !== undefined) return known
  const names = new Set<string>()
  for (const pattern of protection.compiled) {
    if (!pattern.byName || pattern.negated) continue
    for (const tokens of pattern.alternatives) {
      const filled = tokens.map((token) => (token.kind === 'char' ? token : token.kind === 'star' ? { kind: 'char' as const, char: 'local' } : token))
      for (const name of [...commonNames(filled, true, tokens, 2), ...commonNames(tokens, true, tokens, 2)]) if (isProtectedFile(protection, name)) names.add(name)
    }
  }
  const list = [...names]
  SAMPLES.set(protection, list)
  return list
}
