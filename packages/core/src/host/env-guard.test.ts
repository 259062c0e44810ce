import { describe, expect, it } from 'vitest'
import { couldMatchSecretEnvFile, isSecretEnvFile, secretFileIn } from './env-guard.js'

describe('env protection', () => {
  it.each(['.env', '/app/.env', '.env.local', 'config/.env.production', "'.env'", 'C:\\app\\.env', '.env.template', '.env.dist', '.env.example.bak'])('treats %s as secret', (path) => {
    expect(isSecretEnvFile(path)).toBe(true)
  })

  it.each(['.env.example', '/app/.env.sample', 'env.ts', '.envrc', 'my.env.md', 'docs/environment.md'])('lets %s through', (path) => {
    expect(isSecretEnvFile(path)).toBe(false)
  })

  it.each(['.env*', '.e?v', '.[e]nv', '.env.{local,example}', '{.env,x}', '.env.[!e]*', '.*', '**/.env*', '/p/.e*', '.env.ex*', "'.env'*"])('sees that the glob %s could match a secret env file', (pattern) => {
    expect(couldMatchSecretEnvFile(pattern)).toBe(true)
  })

  it.each(['*', '**/*', '*.txt', '*env*', '?env', '[.]env', '.env.example', '.env.{example,sample}', '.env.exampl[e]', '.e', '.git*', 'src/**/*.ts', '.', '..', ''])('sees that the glob %j cannot match a secret env file (a wildcard never matches a leading dot)', (pattern) => {
    expect(couldMatchSecretEnvFile(pattern)).toBe(false)
  })

  it('checks every word of a bash command line', () => {
    expect(secretFileIn('bash', { command: 'cat .env' })).toBe('.env')
    expect(secretFileIn('bash', { command: 'cat .env*' })).toBe('.env*')
    expect(secretFileIn('bash', { command: 'cat .e?v' })).toBe('.e?v')
    expect(secretFileIn('bash', { command: 'source ./.env.local && npm start' })).toBe('./.env.local')
    expect(secretFileIn('bash', { command: 'grep KEY<.env' })).toBe('.env')
    expect(secretFileIn('bash', { command: 'docker run --env-file=.env app' })).toBe('.env')
    expect(secretFileIn('bash', { command: 'cp .env.example .env.backup' })).toBe('.env.backup')
    expect(secretFileIn('bash', { command: 'cat .env.example' })).toBeUndefined()
    expect(secretFileIn('bash', { command: 'ls *.txt && git add . && cat src/*.ts' })).toBeUndefined()
  })

  it('checks only the file paths of read, edit and write, not the text they carry', () => {
    expect(secretFileIn('read', { filePath: '/p/.env' })).toBe('/p/.env')
    expect(secretFileIn('write', { filePath: '/p/.env.local', content: 'A=1' })).toBe('/p/.env.local')
    expect(secretFileIn('edit', { filePath: '/p/src/app.ts', oldString: 'a', newString: "load('config/.env')" })).toBeUndefined()
    expect(secretFileIn('write', { filePath: '/p/README.md', content: 'Copy .env.example to .env' })).toBeUndefined()
    expect(secretFileIn('multiedit', { filePath: '/p/.env', edits: [{ oldString: 'a', newString: 'b' }] })).toBe('/p/.env')
    expect(secretFileIn('read', { filePath: '/p/.env.example' })).toBeUndefined()
  })

  it('checks glob patterns, grep file filters and paths, but not what grep searches for', () => {
    expect(secretFileIn('glob', { pattern: '**/.env*' })).toBe('**/.env*')
    expect(secretFileIn('glob', { pattern: '*', path: '/p/.env' })).toBe('/p/.env')
    expect(secretFileIn('glob', { pattern: '**/*.ts' })).toBeUndefined()
    expect(secretFileIn('grep', { pattern: 'KEY', path: '/p/.env.production' })).toBe('/p/.env.production')
    expect(secretFileIn('grep', { pattern: 'KEY', include: '.env*' })).toBe('.env*')
    expect(secretFileIn('grep', { pattern: String.raw`\.env`, include: '*.ts' })).toBeUndefined()
    expect(secretFileIn('task', { prompt: 'check that .env is in .gitignore', description: 'x' })).toBeUndefined()
  })

  it("reads other hosts' tools alike: names in any case, Claude Code's file_path and grep glob", () => {
    expect(secretFileIn('Bash', { command: 'cat .env', description: 'x' })).toBe('.env')
    expect(secretFileIn('Read', { file_path: '/p/.env.local' })).toBe('/p/.env.local')
    expect(secretFileIn('Grep', { pattern: 'KEY', glob: '.env*' })).toBe('.env*')
    expect(secretFileIn('Grep', { pattern: 'KEY', glob: '*.ts', path: '/p/src' })).toBeUndefined()
    expect(secretFileIn('Glob', { pattern: '**/.env' })).toBe('**/.env')
  })

  it('checks the files a patch touches, and path-like arguments of other tools', () => {
    expect(secretFileIn('apply_patch', { patchText: '*** Begin Patch\n*** Update File: config/.env\n@@\n-A=1\n+A=2\n*** End Patch' })).toBe('config/.env')
    expect(secretFileIn('apply_patch', { patchText: '*** Begin Patch\n*** Add File: notes.md\n+mention .env here\n*** End Patch' })).toBeUndefined()
    expect(secretFileIn('mcp_fs_read', { path: '/p/.env' })).toBe('/p/.env')
    expect(secretFileIn('mcp_fs_read', { files: ['/p/a.ts', '/p/.env.local'] })).toBe('/p/.env.local')
    expect(secretFileIn('mcp_search', { query: '.env' })).toBeUndefined()
  })
})
