import type { ProjectRecord, TrackerStore } from '@agent-tracker/core'

/**
 * Gives each project the store has without a profile the profile another source holds for it
 * (another database's, the predecessor's), so `recommend` and `search` can weigh its work; a
 * profile the store has is kept (it was read here, or came first). Projects the store does not
 * have are left to the caller's import. Returns how many projects got a profile.
 * @throws whatever the store's `get` or `saveProjectProfile` throws.
 */
export async function addMissingProfiles(target: TrackerStore, projects: Iterable<ProjectRecord>): Promise<number> {
  let added = 0
  for (const project of projects) {
    if (project.profile === undefined) continue
    const stored = await target.get('projects', [project.path])
    if (stored === undefined || stored.profile !== undefined) continue
    await target.saveProjectProfile(project.path, project.profile)
    added += 1
  }
  return added
}
