import type { ProjectProfile } from './project-profile.js'
import { UNKNOWN } from './project-profile.js'
import type { ManifestClues } from './manifest-clues.js'
import {
  cargoClues,
  composerClues,
  gemfileClues,
  goModClues,
  gradleClues,
  packageJsonClues,
  pomClues,
  pyprojectClues,
  requirementsClues,
} from './manifest-clues.js'

/** The files a profile is read from, in order of authority (AGENTS.md first). */
export const PROFILE_FILES = [
  'AGENTS.md',
  'package.json',
  'pyproject.toml',
  'requirements.txt',
  'Cargo.toml',
  'go.mod',
  'composer.json',
  'pom.xml',
  'build.gradle.kts',
  'build.gradle',
  'Gemfile',
] as const

/** Contents of a project's profile files by name; absent files are left out. */
export type ProjectFiles = Readonly<Partial<Record<(typeof PROFILE_FILES)[number], string>>>

const READERS: Readonly<Record<Exclude<(typeof PROFILE_FILES)[number], 'AGENTS.md'>, (content: string) => ManifestClues | undefined>> = {
  'package.json': packageJsonClues,
  'pyproject.toml': pyprojectClues,
  'requirements.txt': requirementsClues,
  'Cargo.toml': cargoClues,
  'go.mod': goModClues,
  'composer.json': composerClues,
  'pom.xml': pomClues,
  'build.gradle.kts': (content) => gradleClues(content, true),
  'build.gradle': (content) => gradleClues(content, false),
  'Gemfile': gemfileClues,
}

const MAX_DEPENDENCIES = 25

/**
 * Classifies a project from its AGENTS.md and manifests: language, framework, scope and key
 * dependencies. AGENTS.md lines like `Language: TypeScript` or `- **Scope**: cli` win over what
 * manifests suggest. With manifests of several languages (a Python API with a package.json for
 * its git hooks), the one with the most evidence — a framework, runtime dependencies — leads,
 * after any of the language AGENTS.md declares. Malformed files are ignored; whatever cannot be
 * told is `unknown`.
 */
export function classifyProject(files: ProjectFiles, profiledAt: string): ProjectProfile {
  const declared = files['AGENTS.md'] === undefined ? {} : agentsMdFields(files['AGENTS.md'])
  const manifests = (Object.keys(READERS) as (keyof typeof READERS)[])
    .map((name) => {
      const content = files[name]
      return content === undefined ? undefined : READERS[name](content)
    })
    .filter((found): found is ManifestClues => found !== undefined)
    .map((clues, index) => ({ clues, index }))
    .sort((a, b) => Number(b.clues.language === declared.language) - Number(a.clues.language === declared.language) || b.clues.evidence - a.clues.evidence || a.index - b.index)
    .map(({ clues }) => clues)
  const primary = manifests[0]
  return {
    language: declared.language ?? primary?.language ?? UNKNOWN,
    framework: declared.framework ?? manifests.find((m) => m.framework !== undefined)?.framework ?? UNKNOWN,
    scope: declared.scope ?? manifests.find((m) => m.scope !== undefined)?.scope ?? UNKNOWN,
    dependencies: [...new Set(manifests.flatMap((m) => m.dependencies))].sort().slice(0, MAX_DEPENDENCIES),
    sources: PROFILE_FILES.filter((name) => files[name] !== undefined),
    fingerprint: profileFingerprint(files),
    profiledAt,
  }
}

/** A digest of the profile files; when it changes, the profile must be refreshed. */
export function profileFingerprint(files: ProjectFiles): string {
  let hash = 0x811c9dc5
  for (const name of PROFILE_FILES) {
    const content = files[name]
    if (content === undefined) continue
    for (const char of `${name}\u0000${content}\u0000`) {
      hash ^= char.codePointAt(0) ?? 0
      hash = Math.imul(hash, 0x01000193) >>> 0
    }
  }
  return hash.toString(16).padStart(8, '0')
}

const FIELD = /^\s*(?:[-*]\s+)?(?:\*\*|__)?(language|framework|scope)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*([^*_\n][^\n]*?)\s*(?:\*\*|__)?\s*$/i

function agentsMdFields(content: string): { language?: string; framework?: string; scope?: string } {
  const fields: { language?: string; framework?: string; scope?: string } = {}
  for (const line of content.split(/\r?\n/)) {
    const match = FIELD.exec(line)
    if (match?.[1] === undefined || match[2] === undefined) continue
    const key = match[1].toLowerCase() as 'language' | 'framework' | 'scope'
    fields[key] ??= normaliseName(match[2])
  }
  return fields
}

/** `Next.js` → `next`, `Web App` → `web-app`. */
export function normaliseName(value: string): string {
  return value.trim().toLowerCase().replace(/\.js$/, '').replace(/\s+/g, '-')
}
