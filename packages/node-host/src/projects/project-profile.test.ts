import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createMemoryStore } from '@agent-tracker/core/testing'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { profileFolder, profileProject, refreshProjectProfile } from './project-profile.js'

function folder(files: Record<string, string>): string {
  const root = tempFolder('profile-')
  for (const [name, content] of Object.entries(files)) writeFileSync(join(root, name), content)
  return root
}

describe('profileProject on fixture folders', () => {
  it.each([
    ['package.json (TypeScript, React)', { 'package.json': JSON.stringify({ dependencies: { react: '^19', 'react-dom': '^19', zod: '^4' }, devDependencies: { typescript: '^5.9', vite: '^8' } }) },
      { language: 'typescript', framework: 'react', scope: 'web-app', dependencies: ['react', 'react-dom', 'zod'] }],
    ['package.json (JavaScript CLI)', { 'package.json': JSON.stringify({ bin: { tool: 'cli.js' }, dependencies: { commander: '^14' } }) },
      { language: 'javascript', framework: 'commander', scope: 'cli', dependencies: ['commander'] }],
    ['pyproject.toml (PEP 621, FastAPI)', { 'pyproject.toml': '[project]\nname = "api"\ndependencies = [\n  "fastapi>=0.110",\n  "pydantic[email]>=2",\n  "SQLAlchemy==2.0",\n]\n\n[tool.ruff]\nline-length = 100\n' },
      { language: 'python', framework: 'fastapi', scope: 'api', dependencies: ['fastapi', 'pydantic', 'sqlalchemy'] }],
    ['pyproject.toml (Poetry, CLI)', { 'pyproject.toml': '[tool.poetry.dependencies]\npython = "^3.11"\ntyper = "^0.12"\nrich = "*"\n\n[tool.poetry.scripts]\nmytool = "mytool.main:app"\n' },
      { language: 'python', framework: 'typer', scope: 'cli', dependencies: ['rich', 'typer'] }],
    ['requirements.txt (Django)', { 'requirements.txt': '# web\nDjango==5.0  # LTS\npsycopg[binary]>=3\n-r dev.txt\n' },
      { language: 'python', framework: 'django', scope: 'web-app', dependencies: ['django', 'psycopg'] }],
    ['Cargo.toml (axum)', { 'Cargo.toml': '[package]\nname = "svc"\n\n[dependencies]\naxum = "0.8"\ntokio = { version = "1", features = ["full"] }\nserde = "1"\n' },
      { language: 'rust', framework: 'axum', scope: 'api', dependencies: ['axum', 'serde', 'tokio'] }],
    ['go.mod (cobra)', { 'go.mod': 'module example.com/tool\n\ngo 1.23\n\nrequire (\n\tgithub.com/spf13/cobra v1.8.0 // cli\n\tgolang.org/x/sync v0.7.0\n)\n' },
      { language: 'go', framework: 'cobra', scope: 'cli', dependencies: ['github.com/spf13/cobra', 'golang.org/x/sync'] }],
    ['composer.json (Laravel)', { 'composer.json': JSON.stringify({ require: { php: '^8.3', 'laravel/framework': '^11', 'ext-json': '*' } }) },
      { language: 'php', framework: 'laravel', scope: 'web-app', dependencies: ['laravel/framework'] }],
    ['pom.xml (Spring Boot)', { 'pom.xml': '<project><artifactId>shop</artifactId><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>' },
      { language: 'java', framework: 'spring', scope: 'api', dependencies: ['spring-boot-starter-web'] }],
    ['build.gradle.kts (Kotlin)', { 'build.gradle.kts': 'plugins { kotlin("jvm") }\ndependencies {\n  implementation("io.ktor:ktor-server-core:3.0.0")\n}\n' },
      { language: 'kotlin', framework: 'unknown', scope: 'unknown', dependencies: ['ktor-server-core'] }],
    ['Gemfile (Rails)', { Gemfile: "source 'https://rubygems.org'\ngem 'rails', '~> 8.0'\ngem \"pg\"\n" },
      { language: 'ruby', framework: 'rails', scope: 'web-app', dependencies: ['pg', 'rails'] }],
  ])('classifies %s', (_, files, expected) => {
    expect(profileProject(folder(files))).toMatchObject(expected)
  })

  it('lets AGENTS.md fields win over what the manifests suggest', () => {
    const root = folder({
      'AGENTS.md': '# Agents\n\n- **Language**: TypeScript\n- **Framework**: Next.js\nScope: Web App\n',
      'package.json': JSON.stringify({ dependencies: { express: '^5' } }),
    })
    expect(profileProject(root)).toMatchObject({ language: 'typescript', framework: 'next', scope: 'web-app', sources: ['AGENTS.md', 'package.json'] })
  })

  it('never crashes on malformed files: unknown stays unknown', () => {
    const root = folder({ 'package.json': '{ "dependencies": { "react": ', 'Cargo.toml': '[[[not toml' })
    mkdirSync(join(root, 'go.mod'))
    expect(profileProject(root)).toMatchObject({ language: 'rust', framework: 'unknown', scope: 'unknown', dependencies: [] })
    expect(profileProject(tempFolder())).toMatchObject({ language: 'unknown', framework: 'unknown', scope: 'unknown', sources: [] })
  })

  it('changes its fingerprint when AGENTS.md or a manifest changes, and only then', () => {
    const root = folder({ 'package.json': '{"dependencies":{"react":"1"}}' })
    const first = profileProject(root).fingerprint
    writeFileSync(join(root, 'README.md'), 'unrelated')
    expect(profileProject(root).fingerprint).toBe(first)
    writeFileSync(join(root, 'AGENTS.md'), 'Scope: library')
    const second = profileProject(root).fingerprint
    expect(second).not.toBe(first)
    writeFileSync(join(root, 'package.json'), '{"dependencies":{"react":"2"}}')
    expect(profileProject(root).fingerprint).not.toBe(second)
  })
})

describe('profiles of folders that may not be here', () => {
  it('profiles a folder on this machine, and nothing for a missing path or a file', () => {
    const root = folder({ 'go.mod': 'module x\n\nrequire github.com/spf13/cobra v1.8.0\n' })
    expect(profileFolder(root)).toMatchObject({ language: 'go', framework: 'cobra' })
    expect(profileFolder(join(root, 'missing'))).toBeUndefined()
    expect(profileFolder(join(root, 'go.mod'))).toBeUndefined()
  })

  it('stores a profile only when AGENTS.md or a manifest changed', async () => {
    const root = folder({ 'package.json': '{"dependencies":{"react":"1"}}' })
    const store = createMemoryStore()
    expect(await refreshProjectProfile(store, root)).toMatchObject({ framework: 'react' })
    expect(await refreshProjectProfile(store, root)).toBeUndefined()
    writeFileSync(join(root, 'AGENTS.md'), 'Scope: library')
    expect(await refreshProjectProfile(store, root)).toMatchObject({ scope: 'library' })
    expect((await store.get('projects', [root]))?.profile?.scope).toBe('library')
    expect(await refreshProjectProfile(store, join(root, 'missing'))).toBeUndefined()
  })
})
