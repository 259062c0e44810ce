import type { Fact } from '../facts/facts.js'
import type { Mutable } from '../mutable.js'
import type { PlanOverlay } from './plan-overlay.js'
import type { ProjectProfile } from '../projects/project-profile.js'
import type { ProjectRecord } from '../store/records.js'

/** Plans the fact's project record: new, or widened to the fact's time when it falls outside. */
export function touchProject(overlay: PlanOverlay, fact: Fact): void {
  const slot = overlay.slot('projects', fact.project)
  const known = slot.record
  if (known !== undefined && known.firstSeenAt <= fact.at && known.lastSeenAt >= fact.at) return
  if (known === undefined) {
    overlay.put(slot, { v: 1, path: fact.project, name: projectName(fact.project), firstSeenAt: fact.at, lastSeenAt: fact.at })
    return
  }
  const project: Mutable<ProjectRecord> = slot.planned ? known : { ...known }
  project.firstSeenAt = fact.at < known.firstSeenAt ? fact.at : known.firstSeenAt
  project.lastSeenAt = fact.at > known.lastSeenAt ? fact.at : known.lastSeenAt
  overlay.put(slot, project)
}

/** A project record carrying `profile`: the known record updated, or a new one seen now. */
export function withProfile(known: ProjectRecord | undefined, path: string, profile: ProjectProfile): ProjectRecord {
  return known === undefined
    ? { v: 1, path, name: projectName(path), firstSeenAt: profile.profiledAt, lastSeenAt: profile.profiledAt, profile }
    : { ...known, profile }
}

/** The last segment of a path, for display. */
export function projectName(path: string): string {
  const segments = path.split(/[\\/]+/).filter((segment) => segment !== '')
  return segments.at(-1) ?? path
}
