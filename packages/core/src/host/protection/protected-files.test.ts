import { describe, expect, it } from 'vitest'
import { DEFAULT_PROTECTION, KEY_FILE_PATTERNS, isProtectedFile, protectedFiles, protectedNameMatching } from './protected-files.js'
import { expandBraceWord } from './brace-expansion.js'

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

describe('expandBraceWord', () => {
  it.each([
    ['{.env,README.md}', ['.env', 'README.md']],
    ['a{b,c}d', ['abd', 'acd']],
    ['.e{n{v,x},y}', ['.env', '.enx', '.ey']],
    ['{a,b}{c,d}', ['ac', 'ad', 'bc', 'bd']],
    ['part{1..3}', ['part1', 'part2', 'part3']],
    ['{c..a}', ['c', 'b', 'a']],
    ['{0..10..5}', ['0', '5', '10']],
    ['{a..e..2}', ['a', 'c', 'e']],
    ['key{01..03}', ['key01', 'key02', 'key03']],
    ['{x}', ['{x}']],
    ['{x}{a,b}', ['{x}a', '{x}b']],
    ['{unclosed,', ['{unclosed,']],
    ['x{/../{.env,y}', ['x{/../.env', 'x{/../y']],
    ["{.env,'}'}", ['.env', '}']],
    ['{.env,\\}}', ['.env', '}']],
    ["'{.env,x}'", ['{.env,x}']],
  ])('expands %s as bash does', (raw, words) => {
    expect(expandBraceWord(raw)).toEqual({ words })
  })

  it('calls an expansion past 1024 words, or a very long word, too large to check', () => {
    expect(expandBraceWord('{1..100000}')).toEqual({ tooLarge: 'more than 1024 words' })
    expect(expandBraceWord('{a,b}'.repeat(11))).toEqual({ tooLarge: 'more than 1024 words' })
    expect(expandBraceWord(`cat ${'{a,b}'.repeat(3000)}`)).toEqual({ tooLarge: 'a word of 15004 characters with braces' })
    expect((expandBraceWord('{{1..300},.env}') as { words: string[] }).words.at(-1)).toBe('.env')
  })

  it('leaves a range past 2^53 as written, and reads a long nested word at once', () => {
    expect(expandBraceWord('{9007199254740992..9007199254740993}')).toEqual({ words: ['{9007199254740992..9007199254740993}'] })
    const nested = `${'{'.repeat(1365)}${'}'.repeat(1365)}`
    expect(expandBraceWord(`${nested}${'{1..1}'.repeat(227)}`)).toEqual({ words: [`${nested}${'1'.repeat(227)}`] })
  })

  it("reads $'…' and $\"…\" inside braces as bash does", () => {
    expect(expandBraceWord("{$'.env',x}")).toEqual({ words: ['.env', 'x'] })
    expect(expandBraceWord('{$".env",x}')).toEqual({ words: ['.env', 'x'] })
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
