import type { ProjectRecord } from '../store/records.js'
import type { FolderProfiler } from '../projects/project-profile.js'

/** Projects, each with a profile where one can be had, and the paths of those without. */
export interface ProfiledProjects {
  readonly projects: readonly ProjectRecord[]
  /** Projects with no stored profile whose folder could not be profiled either. */
  readonly unprofiled: readonly string[]
}

/**
 * Gives each project a profile for this answer: the stored one, else one read now from its folder
 * by `profileFolder`. Nothing is written, so projects fed only through other hosts (which store no
 * profile) are compared like any other wherever their folders are at hand.
 */
export function withProfiles(projects: readonly ProjectRecord[], profileFolder?: FolderProfiler): ProfiledProjects {
  const unprofiled: string[] = []
  const profiled = projects.map((project) => {
    if (project.profile !== undefined) return project
    const profile = profileFolder?.(project.path)
    if (profile === undefined) unprofiled.push(project.path)
    return profile === undefined ? project : { ...project, profile }
  })
  return { projects: profiled, unprofiled }
}
