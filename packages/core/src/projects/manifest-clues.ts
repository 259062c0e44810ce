/** What one manifest says about a project. */
export interface ManifestClues {
  readonly language: string
  readonly framework?: string
  readonly scope?: string
  readonly dependencies: readonly string[]
  /**
   * How strongly the manifest speaks for its language: its runtime dependencies, plus 10 for a
   * framework. A package.json with only devDependencies (formatters, git hooks) counts 0.
   */
  readonly evidence: number
}

/** Framework markers by dependency name, most specific first; with the scope they imply. */
const FRAMEWORKS: readonly (readonly [dependency: string | RegExp, framework: string, scope: string])[] = [
  ['next', 'next', 'web-app'], ['nuxt', 'nuxt', 'web-app'], ['@sveltejs/kit', 'sveltekit', 'web-app'], ['@remix-run/react', 'remix', 'web-app'],
  ['@angular/core', 'angular', 'web-app'], ['astro', 'astro', 'web-app'], ['vue', 'vue', 'web-app'], ['svelte', 'svelte', 'web-app'],
  ['react-native', 'react-native', 'mobile-app'], ['electron', 'electron', 'desktop-app'], ['react', 'react', 'web-app'],
  ['@nestjs/core', 'nest', 'api'], ['hono', 'hono', 'api'], ['fastify', 'fastify', 'api'], ['express', 'express', 'api'], ['koa', 'koa', 'api'],
  ['@opencode-ai/plugin', 'opencode-plugin', 'plugin'],
  ['django', 'django', 'web-app'], ['fastapi', 'fastapi', 'api'], ['flask', 'flask', 'api'], ['streamlit', 'streamlit', 'web-app'],
  ['torch', 'pytorch', 'ml'], ['tensorflow', 'tensorflow', 'ml'], ['scikit-learn', 'scikit-learn', 'ml'],
  ['axum', 'axum', 'api'], ['actix-web', 'actix', 'api'], ['rocket', 'rocket', 'api'], ['tauri', 'tauri', 'desktop-app'], ['bevy', 'bevy', 'game'],
  ['github.com/gin-gonic/gin', 'gin', 'api'], ['github.com/labstack/echo/v4', 'echo', 'api'], ['github.com/gofiber/fiber/v2', 'fiber', 'api'],
  ['laravel/framework', 'laravel', 'web-app'], [/^symfony\/framework-bundle$/, 'symfony', 'web-app'],
  ['spring-boot-starter-web', 'spring', 'api'], [/^spring-boot/, 'spring', 'api'],
  ['rails', 'rails', 'web-app'], ['sinatra', 'sinatra', 'api'],
  ['clap', 'clap', 'cli'], ['github.com/spf13/cobra', 'cobra', 'cli'], ['click', 'click', 'cli'], ['typer', 'typer', 'cli'], ['commander', 'commander', 'cli'],
]

/** The framework and scope the dependencies point to, if any. */
export function frameworkOf(dependencies: readonly string[]): { framework: string; scope: string } | undefined {
  const names = new Set(dependencies)
  for (const [marker, framework, scope] of FRAMEWORKS) {
    const hit = typeof marker === 'string' ? names.has(marker) : dependencies.some((name) => marker.test(name))
    if (hit) return { framework, scope }
  }
  return undefined
}

/** package.json. */
export function packageJsonClues(content: string): ManifestClues | undefined {
  const manifest = parseJson(content)
  if (manifest === undefined) return undefined
  const runtime = keysOf(manifest.dependencies)
  const development = keysOf(manifest.devDependencies)
  const all = [...runtime, ...development, ...keysOf(manifest.peerDependencies)]
  const typed = all.includes('typescript') || typeof manifest.types === 'string' || typeof manifest.typings === 'string'
  const found = frameworkOf(all)
  const scope = manifest.bin !== undefined ? 'cli' : found?.scope ?? (manifest.main !== undefined || manifest.exports !== undefined ? 'library' : undefined)
  return { ...clues(typed ? 'typescript' : 'javascript', found?.framework, scope, runtime.length > 0 ? runtime : all), evidence: new Set(runtime).size + (found === undefined ? 0 : 10) }
}

/** composer.json. */
export function composerClues(content: string): ManifestClues | undefined {
  const manifest = parseJson(content)
  if (manifest === undefined) return undefined
  const dependencies = keysOf(manifest.require).filter((name) => name !== 'php' && !name.startsWith('ext-'))
  const found = frameworkOf(dependencies)
  return clues('php', found?.framework, found?.scope ?? (manifest.type === 'library' ? 'library' : undefined), dependencies)
}

/** pyproject.toml (PEP 621 or Poetry). */
export function pyprojectClues(content: string): ManifestClues {
  const dependencies = [
    ...tomlArray(content, 'project', 'dependencies'),
    ...tomlKeys(content, 'tool.poetry.dependencies').filter((name) => name !== 'python'),
  ].map(pythonName)
  const found = frameworkOf(dependencies)
  const hasScripts = tomlKeys(content, 'project.scripts').length > 0 || tomlKeys(content, 'tool.poetry.scripts').length > 0
  return clues('python', found?.framework, hasScripts && found?.scope !== 'api' ? 'cli' : found?.scope ?? 'library', dependencies)
}

/** requirements.txt. */
export function requirementsClues(content: string): ManifestClues {
  const dependencies = content
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('-'))
    .map(pythonName)
  const found = frameworkOf(dependencies)
  return clues('python', found?.framework, found?.scope, dependencies)
}

/** Cargo.toml. */
export function cargoClues(content: string): ManifestClues {
  const dependencies = tomlKeys(content, 'dependencies').map((name) => name.toLowerCase())
  const found = frameworkOf(dependencies)
  const scope = found?.scope ?? (/^\[\[bin\]\]/m.test(content) ? 'cli' : /^\[lib\]/m.test(content) ? 'library' : undefined)
  return clues('rust', found?.framework, scope, dependencies)
}

/** go.mod. */
export function goModClues(content: string): ManifestClues {
  const dependencies: string[] = []
  let inBlock = false
  for (const raw of content.split(/\r?\n/)) {
    const line = raw.replace(/\/\/.*/, '').trim()
    if (/^require\s*\($/.test(line)) inBlock = true
    else if (inBlock && line === ')') inBlock = false
    else if (inBlock && line !== '') dependencies.push(line.split(/\s+/)[0] ?? '')
    else if (line.startsWith('require ')) dependencies.push(line.split(/\s+/)[1] ?? '')
  }
  const found = frameworkOf(dependencies)
  return clues('go', found?.framework, found?.scope, dependencies.filter((name) => name !== ''))
}

/** pom.xml. */
export function pomClues(content: string): ManifestClues {
  const dependencies = [...content.matchAll(/<artifactId>\s*([^<\s]+)\s*<\/artifactId>/g)].map((match) => (match[1] ?? '').toLowerCase()).slice(1)
  const found = frameworkOf(dependencies)
  return clues(/kotlin/i.test(content) ? 'kotlin' : 'java', found?.framework, found?.scope, dependencies)
}

/** build.gradle or build.gradle.kts. */
export function gradleClues(content: string, kotlinScript: boolean): ManifestClues {
  const dependencies = [...content.matchAll(/(?:implementation|api|compileOnly|runtimeOnly)\s*\(?\s*["']([^"':]+):([^"':]+)/g)].map((match) => (match[2] ?? '').toLowerCase())
  const found = frameworkOf(dependencies)
  const kotlin = kotlinScript || /kotlin\(|org\.jetbrains\.kotlin/.test(content)
  return clues(kotlin ? 'kotlin' : 'java', found?.framework, found?.scope ?? (content.includes('com.android.application') ? 'mobile-app' : undefined), dependencies)
}

/** Gemfile. */
export function gemfileClues(content: string): ManifestClues {
  const dependencies = [...content.matchAll(/^\s*gem\s+["']([^"']+)["']/gm)].map((match) => (match[1] ?? '').toLowerCase())
  const found = frameworkOf(dependencies)
  return clues('ruby', found?.framework, found?.scope, dependencies)
}

function clues(language: string, framework: string | undefined, scope: string | undefined, dependencies: readonly string[]): ManifestClues {
  const unique = [...new Set(dependencies)].sort()
  return { language, ...(framework === undefined ? {} : { framework }), ...(scope === undefined ? {} : { scope }), dependencies: unique, evidence: unique.length + (framework === undefined ? 0 : 10) }
}

function pythonName(requirement: string): string {
  return (requirement.split(/[\s<>=!~;[(@]/)[0] ?? '').toLowerCase().replaceAll('_', '-')
}

function parseJson(content: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(content)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

function keysOf(value: unknown): string[] {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value) : []
}

/** The lines of one `[table]` of a TOML file (enough TOML for manifests; never throws). */
function tomlTable(content: string, table: string): string[] {
  const lines = content.split(/\r?\n/)
  const start = lines.findIndex((line) => line.trim() === `[${table}]`)
  if (start === -1) return []
  const end = lines.findIndex((line, index) => index > start && /^\s*\[/.test(line))
  return lines.slice(start + 1, end === -1 ? undefined : end)
}

function tomlKeys(content: string, table: string): string[] {
  return tomlTable(content, table)
    .map((line) => /^\s*["']?([A-Za-z0-9_.-]+)["']?\s*=/.exec(line)?.[1])
    .filter((key): key is string => key !== undefined)
}

function tomlArray(content: string, table: string, key: string): string[] {
  const body = tomlTable(content, table).join('\n')
  const start = new RegExp(`^\\s*${key}\\s*=\\s*\\[`, 'm').exec(body)
  if (start === null) return []
  const items: string[] = []
  let quote: string | undefined
  let current = ''
  for (const char of body.slice(start.index + start[0].length)) {
    if (quote !== undefined) {
      if (char === quote) {
        items.push(current)
        current = ''
        quote = undefined
      } else {
        current += char
      }
    } else if (char === '"' || char === "'") {
      quote = char
    } else if (char === ']') {
      break
    }
  }
  return items
}
