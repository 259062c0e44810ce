import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { ProjectFiles, ProjectProfile, TrackerStore } from '@agent-tracker/core'
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

/** The profile of a project folder, or undefined when the folder is not on this machine. Never throws. */
export function profileFolder(path: string, now?: Date): ProjectProfile | undefined {
  if (!isFolder(path)) return undefined
  return profileProject(path, now)
}

/**
 * Stores a fresh profile of the project folder when its AGENTS.md or manifests changed since the
 * stored one (or none is stored); returns the profile saved, or undefined when nothing changed or
 * the folder is not here.
 * @throws whatever the store's `get` or `saveProjectProfile` throws.
 */
export async function refreshProjectProfile(store: TrackerStore, folder: string, now?: Date): Promise<ProjectProfile | undefined> {
  const profile = profileFolder(folder, now)
  if (profile === undefined) return undefined
  const known = await store.get('projects', [folder])
  if (known?.profile?.fingerprint === profile.fingerprint) return undefined
  await store.saveProjectProfile(folder, profile)
  return profile
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
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
