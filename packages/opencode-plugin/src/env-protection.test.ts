import { describe, expect, it } from 'vitest'
import { isSecretEnvFile, secretFileIn } from './env-protection.js'

describe('env protection', () => {
  it.each(['.env', '/app/.env', '.env.local', 'config/.env.production', "'.env'", 'C:\\app\\.env'])('treats %s as secret', (path) => {
    expect(isSecretEnvFile(path)).toBe(true)
  })

  it.each(['.env.example', '/app/.env.sample', '.env.template', 'env.ts', '.envrc', 'my.env.md', 'docs/environment.md'])('lets %s through', (path) => {
    expect(isSecretEnvFile(path)).toBe(false)
  })

  it('finds secret files in any tool argument and in bash command lines', () => {
    expect(secretFileIn('read', { filePath: '/p/.env' })).toBe('/p/.env')
    expect(secretFileIn('edit', { filePath: '/p/src/app.ts', oldString: 'a', newString: 'b' })).toBeUndefined()
    expect(secretFileIn('bash', { command: 'cat .env' })).toBe('.env')
    expect(secretFileIn('bash', { command: 'source ./.env.local && npm start' })).toBe('./.env.local')
    expect(secretFileIn('bash', { command: 'grep KEY<.env' })).toBe('.env')
    expect(secretFileIn('bash', { command: 'cp .env.example .env.backup' })).toBe('.env.backup')
    expect(secretFileIn('bash', { command: 'cat .env.example' })).toBeUndefined()
    expect(secretFileIn('grep', { pattern: 'KEY', path: '/p/.env.production' })).toBe('/p/.env.production')
  })
})
