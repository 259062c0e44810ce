import { join, resolve } from 'node:path'

/**
 * Claude Code's folder for settings and commands: the user's (`$CLAUDE_CONFIG_DIR`, its first folder
 * when it lists several, else `~/.claude`), or a project's `.claude`.
 */
export function claudeCodeFolder(scope: { readonly global: true; readonly env: Readonly<Record<string, string | undefined>>; readonly homeDir: string } | { readonly global: false; readonly project: string }): string {
  if (!scope.global) return join(scope.project, '.claude')
  const configured = scope.env.CLAUDE_CONFIG_DIR?.split(',')[0]?.trim()
  return configured === undefined || configured === '' ? join(scope.homeDir, '.claude') : resolve(scope.homeDir, configured)
}
