import { describe, expect, it } from 'vitest'
import { DEFAULT_PROTECTION, KEY_FILE_PATTERNS, isProtectedFile, protectedFiles, protectedNameMatching } from './protected-files.js'
import { expandBraces } from './bash-reads.js'

describe('protected files', () => {
  it.each(['.env', '/app/.env', '.env.local', 'config/.env.production', "'.env'", 'C:\\app\\.env', '.env.dist', '.env.example.bak'])('protects %s by default', (path) => {
    expect(isProtectedFile(DEFAULT_PROTECTION, path)).toBe(true)
  })

  it.each(['.env.example', '/app/.env.sample', '.env.template', 'env.ts', '.envrc', 'my.env.md', 'docs/environment.md', 'server.pem'])('lets %s through by default', (path) => {
    expect(isProtectedFile(DEFAULT_PROTECTION, path)).toBe(false)
  })

  it('takes more patterns, later ones winning, ! un-protecting, and path patterns at any depth', () => {
    const protection = protectedFiles([...KEY_FILE_PATTERNS, '!.env.test', 'config/secrets.json'])
    expect(['server.pem', '/home/me/.ssh/id_rsa', 'id_ed25519', 'tls.key', '/p/config/secrets.json', 'config/secrets.json'].filter((path) => isProtectedFile(protection, path))).toHaveLength(6)
    expect(['id_rsa.pub', '.env.test', 'secrets.json', 'other/config.json'].filter((path) => isProtectedFile(protection, path))).toEqual([])
  })

  it('names a bad pattern and what is accepted', () => {
    expect(() => protectedFiles(['*.pem', ''])).toThrow('Invalid protected file pattern "": give a file name or path glob such as "*.pem" or "config/secrets.json", or "!name" to un-protect one.')
    expect(() => protectedFiles([42])).toThrow('Invalid protected file pattern 42')
  })

  it.each(['.env*', '.e?v', '.[e]nv', '.env.{local,example}', '{.env,x}', '.env.[!e]*', '.*', '**/.env*', '/p/.e*', '.env.ex*', '.env.exa[a-z]ple.*'])('sees that the shell glob %s could stand for a protected name', (pattern) => {
    expect(protectedNameMatching(DEFAULT_PROTECTION, pattern, false)).toBeDefined()
  })

  it.each(['*', '**/*', '*.txt', '*env*', '?env', '[.]env', '.env.example', '.env.{example,sample}', '.env.exampl[e]', '.e', '.git*', 'src/**/*.ts', '.', '..', ''])('sees that the shell glob %j cannot (a shell wildcard never matches a leading dot)', (pattern) => {
    expect(protectedNameMatching(DEFAULT_PROTECTION, pattern, false)).toBeUndefined()
  })

  it('reads globs as ripgrep does when told: there * matches .env', () => {
    expect(protectedNameMatching(DEFAULT_PROTECTION, '*', true)).toBe('.env')
    expect(protectedNameMatching(DEFAULT_PROTECTION, '*env*', true)).toBe('.env')
    expect(protectedNameMatching(DEFAULT_PROTECTION, '*.ts', true)).toBe('.env.ts')
    expect(protectedNameMatching(DEFAULT_PROTECTION, '[a-z]*.ts', true)).toBeUndefined()
    expect(protectedNameMatching(protectedFiles(['*.pem']), '*', false)).toBe('p.pem')
  })
})

describe('expandBraces', () => {
  it.each([
    ['{.env,README.md}', ['.env', 'README.md']],
    ['a{b,c}d', ['abd', 'acd']],
    ['.e{n{v,x},y}', ['.env', '.enx', '.ey']],
    ['part{1..3}', ['part1', 'part2', 'part3']],
    ['{c..a}', ['c', 'b', 'a']],
    ['{0..10..5}', ['0', '5', '10']],
    ['{x}', ['{x}']],
    ['{x}{a,b}', ['{x}a', '{x}b']],
    ['{unclosed,', ['{unclosed,']],
  ])('expands %s as the shell does', (text, words) => {
    expect(expandBraces(text)).toEqual(words)
  })

  it('stops at 256 words', () => {
    expect(expandBraces('{1..100000}')).toHaveLength(256)
  })
})

describe('protected patterns with a hyphen', () => {
  it('are taken, and match their files (a regular expression of them threw)', () => {
    const protection = protectedFiles(['key-01.json', 'service-account*.json', 'x[a-c-]y'])
    expect(isProtectedFile(protection, 'config/key-01.json')).toBe(true)
    expect(isProtectedFile(protection, 'service-account.prod.json')).toBe(true)
    expect(isProtectedFile(protection, 'x-y')).toBe(true)
    expect(isProtectedFile(protection, 'key-02.json')).toBe(false)
  })
})
