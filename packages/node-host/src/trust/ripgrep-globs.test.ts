import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { rgGlob } from '@agent-tracker/core'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'

const FILES = ['.env', '.env.local', '.env.example', 'README.md', 'a.ts', '.hidden.ts', 'src/app.ts', 'src/.env', 'src/deep/b.tsx', 'src/deep/.env.production', 'config/id_rsa', 'config/server.pem', 'x.env', 'env', '.envrc', 'docs/guide.md']
const GLOBS = ['*', '*.ts', '*.{ts,tsx}', '.env*', '.env', '**/.env', 'src/*', 'src/**', 'src/**/*.ts', '**/*.pem', '?env', '.e?v*', '[.]env', '[!.]*', '[^.]*', '*env*', '*.env', 'src/deep/*', '**', '.*', '**/deep/*.{tsx,production}', 'id_rsa*', '*/*.md', '{src,docs}/**', '*.{env,envrc,md}', '[a-f]*', '**/*.e*', 'src/**/.env*', '\\.env']

/** The files ripgrep itself lists for a glob, with hidden and ignored files included. */
function ripgrepFiles(root: string, glob: string): string[] {
  try {
    return execFileSync('rg', ['--files', '--hidden', '--no-ignore', '--glob', glob], { cwd: root, encoding: 'utf8' }).split('\n').filter((line) => line !== '').sort()
  } catch (error) {
    // rg exits 1 when it lists nothing.
    if ((error as { status?: number }).status === 1) return []
    throw error
  }
}

describe('ripgrep glob semantics', () => {
  it('rgGlob picks the files the real rg binary picks, dotfiles included', () => {
    const root = tempFolder('rg-')
    for (const file of FILES) {
      mkdirSync(join(root, dirname(file)), { recursive: true })
      writeFileSync(join(root, file), 'x')
    }
    let version = ''
    try {
      version = execFileSync('rg', ['--version'], { encoding: 'utf8' })
    } catch {
      version = ''
    }
    expect(version, 'ripgrep must be installed (apt-get install ripgrep; scripts/setup.sh does it)').toMatch(/^ripgrep \d+/)
    for (const glob of GLOBS) {
      const filter = rgGlob(glob)
      const ours = FILES.filter((file) => filter(file, file.split('/').at(-1) ?? file)).sort()
      expect(ours, `--glob '${glob}'`).toEqual(ripgrepFiles(root, glob))
    }
  })
})
