import { execFileSync } from 'node:child_process'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { projectRoot } from './project-root.js'

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'protocol.file.allow=always', ...args], { cwd, stdio: 'ignore' })
}

/** A repository with one commit, under a home folder of its own so the real home plays no part. */
function repository(): { home: string; repo: string } {
  const home = tempFolder('project-root-home-')
  const repo = join(home, 'code', 'shop')
  mkdirSync(join(repo, 'src', 'lib'), { recursive: true })
  git(repo, 'init', '-q', '-b', 'main')
  writeFileSync(join(repo, 'README.md'), 'shop\n')
  writeFileSync(join(repo, 'src', 'lib', 'index.js'), '\n')
  git(repo, 'add', '.')
  git(repo, 'commit', '-qm', 'init')
  return { home, repo }
}

describe('projectRoot', () => {
  it('is the work tree root for the root itself and any folder below it', () => {
    const { home, repo } = repository()
    expect(projectRoot(repo, { homeDir: home })).toBe(repo)
    expect(projectRoot(join(repo, 'src'), { homeDir: home })).toBe(repo)
    expect(projectRoot(join(repo, 'src', 'lib'), { homeDir: home })).toBe(repo)
    expect(projectRoot(join(repo, 'src', 'lib', '..', '.'), { homeDir: home })).toBe(repo)
  })

  it('is the folder itself when no repository holds it', () => {
    const home = tempFolder('project-root-home-')
    const plain = join(home, 'notes', 'drafts')
    mkdirSync(plain, { recursive: true })
    expect(projectRoot(plain, { homeDir: home })).toBe(plain)
    expect(projectRoot(home, { homeDir: home })).toBe(home)
  })

  it('finds a repository outside the home folder, walking up to the file-system root', () => {
    const { repo } = repository()
    const elsewhere = tempFolder('project-root-other-home-')
    expect(projectRoot(join(repo, 'src', 'lib'), { homeDir: elsewhere })).toBe(repo)
  })

  it('takes a linked worktree (`.git` is a file) as its own project', () => {
    const { home, repo } = repository()
    const worktree = join(home, 'code', 'shop-feature')
    git(repo, 'worktree', 'add', '-q', '-b', 'feature', worktree)
    expect(projectRoot(join(worktree, 'src', 'lib'), { homeDir: home })).toBe(worktree)
    expect(projectRoot(join(repo, 'src'), { homeDir: home })).toBe(repo)
  })

  it('takes a submodule and a nested repository as their own projects', () => {
    const { home, repo } = repository()
    const library = join(home, 'code', 'lib')
    mkdirSync(join(library, 'pkg'), { recursive: true })
    git(library, 'init', '-q', '-b', 'main')
    writeFileSync(join(library, 'pkg', 'index.js'), '\n')
    git(library, 'add', '.')
    git(library, 'commit', '-qm', 'lib')
    git(repo, 'submodule', 'add', '-q', library, 'vendor/lib')
    const nested = join(repo, 'tools', 'scratch')
    mkdirSync(join(nested, 'bin'), { recursive: true })
    git(nested, 'init', '-q')
    expect(projectRoot(join(repo, 'vendor', 'lib', 'pkg'), { homeDir: home })).toBe(join(repo, 'vendor', 'lib'))
    expect(projectRoot(join(nested, 'bin'), { homeDir: home })).toBe(nested)
    expect(projectRoot(join(repo, 'tools'), { homeDir: home })).toBe(repo)
  })

  it('does not let a repository at the home folder (dotfiles) swallow the folders under it', () => {
    const home = tempFolder('project-root-home-')
    git(home, 'init', '-q')
    const scratch = join(home, 'scratch', 'idea')
    mkdirSync(scratch, { recursive: true })
    const config = join(home, '.config', 'nvim')
    mkdirSync(config, { recursive: true })
    const repo = join(home, 'code', 'shop')
    mkdirSync(join(repo, 'src'), { recursive: true })
    git(repo, 'init', '-q')
    expect(projectRoot(home, { homeDir: home })).toBe(home)
    expect(projectRoot(scratch, { homeDir: home })).toBe(scratch)
    expect(projectRoot(config, { homeDir: join(home, '.') })).toBe(config)
    expect(projectRoot(join(repo, 'src'), { homeDir: home })).toBe(repo)
  })

  it('knows a home folder reached through a link, as a host gives the physical path of its folder', () => {
    const real = tempFolder('project-root-real-')
    const home = join(real, 'me')
    const notes = join(home, 'notes')
    mkdirSync(notes, { recursive: true })
    git(home, 'init', '-q')
    const homes = join(tempFolder('project-root-link-'), 'homes')
    symlinkSync(real, homes)
    // The user's home as $HOME names it (through the link); the agent's folder as the file system has it.
    expect(projectRoot(notes, { homeDir: join(homes, 'me') })).toBe(notes)
    expect(projectRoot(home, { homeDir: join(homes, 'me') })).toBe(home)
  })

  it('keeps a folder that no longer exists as recorded, even inside a repository', () => {
    const { home, repo } = repository()
    const gone = join(repo, 'src', 'removed-long-ago')
    expect(projectRoot(gone, { homeDir: home })).toBe(gone)
  })

  it('does not take a `.git` that is neither a folder nor a file (a dangling link) as a repository', () => {
    const { home, repo } = repository()
    const inner = join(repo, 'src', 'lib')
    execFileSync('ln', ['-s', join(home, 'nowhere'), join(inner, '.git')])
    expect(projectRoot(inner, { homeDir: home })).toBe(repo)
  })
})
