/** Secret files tool calls may not touch: `.env` and `.env.*`, except these templates. */
export const ALLOWED_ENV_FILES: ReadonlySet<string> = new Set(['.env.example', '.env.sample', '.env.template', '.env.dist'])

/** True for a path whose file name is `.env` or `.env.<something>` other than a template. */
export function isSecretEnvFile(path: string): boolean {
  const name = path.replace(/["'`]/g, '').split(/[\\/]/).at(-1) ?? ''
  return (name === '.env' || name.startsWith('.env.')) && !ALLOWED_ENV_FILES.has(name)
}

/**
 * The secret file a tool call would touch, or undefined. Every string argument is checked (paths
 * of read, edit, write, grep, …); for bash, every word of the command line (`cat .env`,
 * `source ./.env.local`, `cp .env /tmp`).
 */
export function secretFileIn(tool: string, args: unknown): string | undefined {
  for (const value of stringsOf(args)) {
    const words = tool === 'bash' ? value.split(/[\s;&|<>()=]+/) : [value]
    const hit = words.find((word) => word !== '' && isSecretEnvFile(word))
    if (hit !== undefined) return hit
  }
  return undefined
}

function stringsOf(value: unknown, depth = 0): string[] {
  if (typeof value === 'string') return [value]
  if (depth > 3 || typeof value !== 'object' || value === null) return []
  return Object.values(value).flatMap((inner) => stringsOf(inner, depth + 1))
}
