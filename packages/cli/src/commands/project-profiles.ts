import { existsSync, statSync } from 'node:fs'
import type { ProjectProfile, ProjectRecord } from '@agent-tracker/core'
import { profileProject } from '@agent-tracker/migrate'

/** The profile of a project folder read from its AGENTS.md and manifests, or undefined when the folder is not on this machine. */
export function readFolderProfile(path: string, now?: Date): ProjectProfile | undefined {
  if (!existsSync(path) || !statSync(path).isDirectory()) return undefined
  return profileProject(path, now)
}

/** Known projects, each with a profile where one can be had, and the paths of those without. */
export interface ProfiledProjects {
  readonly projects: readonly ProjectRecord[]
  /** Projects with no stored profile whose folder is not here either. */
  readonly unprofiled: readonly string[]
}

/**
 * Gives every known project a profile for this run: the stored one, else one read now from its
 * folder (as `projects --refresh` would store). Nothing is written; projects fed only through
 * `ingest` are thus compared like any other.
 */
export function withFolderProfiles(projects: readonly ProjectRecord[]): ProfiledProjects {
  const unprofiled: string[] = []
  const profiled = projects.map((project) => {
    if (project.profile !== undefined) return project
    const profile = readFolderProfile(project.path)
    if (profile === undefined) unprofiled.push(project.path)
    return profile === undefined ? project : { ...project, profile }
  })
  return { projects: profiled, unprofiled }
}

/** A sentence about projects left out for lack of a profile, or '' when there are none. */
export function unprofiledNote(unprofiled: readonly string[]): string {
  if (unprofiled.length === 0) return ''
  const listed = `${unprofiled.slice(0, 5).join(', ')}${unprofiled.length > 5 ? `, and ${String(unprofiled.length - 5)} more` : ''}`
  const head = unprofiled.length === 1
    ? '1 recorded project has no profile and its folder is not here, so its outcomes were left out'
    : `${String(unprofiled.length)} recorded projects have no profile and their folders are not here, so their outcomes were left out`
  return `${head}: ${listed}. Run agent-tracker projects --refresh on a machine that has them.`
}
