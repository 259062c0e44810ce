import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { guardToolCall, protectedFiles } from '@agent-tracker/core'
import { tempFolder } from '@agent-tracker/test-folders'
import { describe, expect, it } from 'vitest'
import { ProtectedFileIndex } from './protected-file-index.js'

/** Runs git in `folder` as an agent would, with an identity of its own. */
function git(folder: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Agent', '-c', 'user.email=agent@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: folder, encoding: 'utf8' })
}

/** A git repository with a source file, a `.env` at its top and `.env.local` in `api/`; `ignore` lines go to its `.gitignore`. */
function repository(ignore: readonly string[]): string {
  const root = tempFolder('stage-')
  mkdirSync(join(root, 'src'))
  mkdirSync(join(root, 'api'))
  writeFileSync(join(root, 'src', 'app.ts'), 'export {}\n')
  writeFileSync(join(root, 'api', 'server.ts'), 'export {}\n')
  writeFileSync(join(root, '.env'), 'API_KEY=secret\n')
  writeFileSync(join(root, 'api', '.env.local'), 'API_KEY=other\n')
  writeFileSync(join(root, '.gitignore'), ignore.map((line) => `${line}\n`).join(''))
  git(root, 'init', '-q')
  return root
}

/** The guard's verdict on a shell command run in `cwd`, with the hosts' own lookup of the project. */
function verdict(root: string, command: string, cwd = root): ReturnType<typeof guardToolCall> {
  const protection = protectedFiles()
  return guardToolCall({ tool: 'bash', args: { command }, cwd }, { protectedFiles: protection, lookup: new ProtectedFileIndex(root, protection) })
}

const WHOLE_TREE = ['git add -A', 'git add --all', 'git add .', 'git add -A && git commit -m "feat: totals"', 'git -C api add .']

describe('git add of whole folders, and git commit -a, with protected files in the tree', () => {
  it('pass where git ignores the protected files: the everyday git add -A of an agent', () => {
    const root = repository(['.env', '.env.*'])
    for (const command of [...WHOLE_TREE, 'git add src', 'git commit -am "wip"', 'git add -u']) expect(verdict(root, command), command).toMatchObject({ action: 'allow' })
    // What git then stages holds no protected file.
    git(root, 'add', '-A')
    expect(git(root, 'diff', '--cached', '--name-only').split('\n').filter(Boolean).sort()).toEqual(['.gitignore', 'api/server.ts', 'src/app.ts'])
  })

  it('are refused where git would stage a protected file it does not ignore, naming it and how to go on', () => {
    const root = repository([])
    for (const command of WHOLE_TREE) {
      const answer = verdict(root, command)
      expect(answer, command).toMatchObject({ action: 'block', reason: 'secret-file' })
      expect(answer.action === 'block' ? answer.message : '', command).toMatch(/would stage (?:\.env|api\/\.env\.local|\.env\.local)/)
    }
    const blocked = verdict(root, 'git add -A')
    expect(blocked).toMatchObject({ file: '.env' })
    expect(blocked.action === 'block' ? blocked.message : '').toContain("it would stage .env and 1 other protected file (a protected file git does not ignore) with git add -A: once committed, git show, git log -p and git diff print it, and it stays in the history. Add .env to .gitignore (echo '.env' >> .gitignore), or add the other files by name (git add <file>…).")
    // A folder holding one, from a subfolder too; a folder or file holding none passes.
    expect(verdict(root, 'git add api')).toMatchObject({ action: 'block', file: 'api/.env.local' })
    expect(verdict(root, 'git add .', join(root, 'api'))).toMatchObject({ action: 'block', file: '.env.local' })
    for (const command of ['git add src', 'git add src/app.ts', 'git add -n .', 'git status', 'git commit -am "wip"', 'git add -u']) expect(verdict(root, command), command).toMatchObject({ action: 'allow' })
  })

  it('pass for a protected file git already tracks unchanged; refused once it has changes that -a, -u or a path would commit', () => {
    const root = repository([])
    git(root, 'add', '.env', 'api/.env.local', 'src/app.ts', 'api/server.ts', '.gitignore')
    git(root, 'commit', '-qm', 'first')
    for (const command of [...WHOLE_TREE, 'git commit -am "wip"', 'git add -u']) expect(verdict(root, command), command).toMatchObject({ action: 'allow' })
    writeFileSync(join(root, '.env'), 'API_KEY=changed\n')
    for (const command of ['git commit -am "wip"', 'git commit -a -m "wip"', 'git add -u', 'git add -A', 'git commit -m "wip" .']) {
      const answer = verdict(root, command)
      expect(answer, command).toMatchObject({ action: 'block', file: '.env' })
      expect(answer.action === 'block' ? answer.message : '', command).toContain('a protected file git tracks, with changes')
    }
    expect(verdict(root, 'git commit -m "wip" src')).toMatchObject({ action: 'allow' })
  })

  it('pass outside a git repository, where git add stages nothing', () => {
    const root = tempFolder('no-repository-')
    writeFileSync(join(root, '.env'), 'API_KEY=secret\n')
    expect(verdict(root, 'git add -A')).toMatchObject({ action: 'allow' })
  })
})
