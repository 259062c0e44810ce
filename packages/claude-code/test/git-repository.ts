import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** A git repository with one commit of a README (and `files`), with a local identity. */
export function gitRepository(folder: string, files: Record<string, string> = {}): string {
  mkdirSync(folder, { recursive: true })
  const git = (...args: string[]): void => {
    execFileSync('git', args, { cwd: folder, stdio: 'ignore' })
  }
  git('init', '-q', '-b', 'main')
  git('config', 'user.email', 'agent@example.com')
  git('config', 'user.name', 'Agent')
  git('config', 'commit.gpgsign', 'false')
  for (const [file, content] of Object.entries({ 'README.md': '# project\n', ...files })) writeFileSync(join(folder, file), content)
  git('add', '-A')
  git('commit', '-q', '-m', 'initial')
  return folder
}

/** The HEAD commit of a repository. */
export function headOf(folder: string): string {
  return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: folder, encoding: 'utf8' }).trim()
}
