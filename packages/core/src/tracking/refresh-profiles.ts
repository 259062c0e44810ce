import type { FolderProfiler } from '../projects/project-profile.js'
import type { TrackerStore } from '../store/tracker-store.js'

/**
 * Re-reads the folder of every recorded project through `profileFolder` and stores each profile
 * whose inputs changed (by fingerprint); folders not on this machine are left alone. Returns the
 * paths whose profile was stored.
 */
export async function refreshProjectProfiles(store: TrackerStore, profileFolder: FolderProfiler): Promise<string[]> {
  const refreshed: string[] = []
  for (const project of await store.find('projects')) {
    const profile = profileFolder(project.path)
    if (profile === undefined || profile.fingerprint === project.profile?.fingerprint) continue
    await store.saveProjectProfile(project.path, profile)
    refreshed.push(project.path)
  }
  return refreshed
}
