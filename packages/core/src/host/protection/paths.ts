/**
 * `path` resolved against `cwd` (both POSIX; `cwd` absolute) and normalised: `.` and `..`
 * segments and repeated slashes resolved. Undefined when it cannot be known without a shell:
 * `~` paths and paths with expansions.
 */
export function resolvePath(cwd: string | undefined, path: string): string | undefined {
  if (path.startsWith('~') || path.includes('$') || path.includes('`')) return undefined
  if (!path.startsWith('/') && cwd === undefined) return undefined
  const joined = path.startsWith('/') ? path : `${cwd ?? ''}/${path}`
  const parts: string[] = []
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') parts.pop()
    else parts.push(part)
  }
  return `/${parts.join('/')}`
}

/** `path` relative to `folder` when inside it (`''` for the folder itself), else undefined. */
export function relativeTo(folder: string, path: string): string | undefined {
  if (path === folder) return ''
  const prefix = folder.endsWith('/') ? folder : `${folder}/`
  return path.startsWith(prefix) ? path.slice(prefix.length) : undefined
}

/** The last segment of a path. */
export function baseName(path: string): string {
  return path.replace(/\/+$/, '').split('/').at(-1) ?? path
}
