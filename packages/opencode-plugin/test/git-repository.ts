import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** Runs git in a folder, quietly. */
export function git(folder: string, ...args: string[]): void {
  execFileSync('git', args, { cwd: folder, stdio: 'ignore' })
}

/** A git repository with one commit of a README and `files` (which may replace the README). */
export function gitRepository(folder: string, files: Record<string, string> = {}): string {
  mkdirSync(folder, { recursive: true })
  git(folder, 'init', '-q', '-b', 'main')
  git(folder, 'config', 'user.email', 'agent@example.com')
  git(folder, 'config', 'user.name', 'Agent')
  git(folder, 'config', 'commit.gpgsign', 'false')
  for (const [file, content] of Object.entries({ 'README.md': '# project\n', ...files })) writeFileSync(join(folder, file), content)
  git(folder, 'add', '-A')
  git(folder, 'commit', '-q', '-m', 'initial')
  return folder
}

/** The HEAD commit of a repository. */
export function headOf(folder: string): string {
  return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: folder, encoding: 'utf8' }).trim()
}
