import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { ProjectFiles, ProjectProfile } from '@agent-tracker/core'
import { PROFILE_FILES, classifyProject } from '@agent-tracker/core'

/** Files larger than this are not read for a profile (a manifest is never this big). */
export const MAX_PROFILE_FILE_BYTES = 512 * 1024

/**
 * Reads a project folder's AGENTS.md and manifests (package.json, pyproject.toml, Cargo.toml,
 * go.mod, …). Missing, unreadable, oversized or non-file entries are left out; never throws.
 */
export function readProjectFiles(projectDir: string): ProjectFiles {
  const files: Partial<Record<(typeof PROFILE_FILES)[number], string>> = {}
  for (const name of PROFILE_FILES) {
    const content = readSmallFile(join(projectDir, name))
    if (content !== undefined) files[name] = content
  }
  return files
}

/** Classifies a project folder (see core's `classifyProject`). Never throws. */
export function profileProject(projectDir: string, now: Date = new Date()): ProjectProfile {
  return classifyProject(readProjectFiles(projectDir), now.toISOString())
}

/**
 * Classifies a project folder, or returns undefined when no folder is at that path (a project
 * recorded on another machine): the folder profiler core's read services take. Never throws.
 */
export function profileFolder(projectDir: string, now?: Date): ProjectProfile | undefined {
  try {
    if (!statSync(projectDir).isDirectory()) return undefined
  } catch {
    return undefined
  }
  return profileProject(projectDir, now)
}

function readSmallFile(path: string): string | undefined {
  let fd: number | undefined
  try {
    fd = openSync(path, 'r')
    const stats = fstatSync(fd)
    if (!stats.isFile() || stats.size > MAX_PROFILE_FILE_BYTES) return undefined
    const buffer = Buffer.alloc(stats.size)
    const read = readSync(fd, buffer, 0, stats.size, 0)
    return buffer.subarray(0, read).toString('utf8')
  } catch {
    return undefined
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}
