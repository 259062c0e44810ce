/** What kind of project a folder holds; every field is `unknown` when it cannot be told. */
export interface ProjectProfile {
  /** Main language, e.g. `typescript`, `python`, `rust`. */
  readonly language: string
  /** Main framework, e.g. `react`, `django`, `axum`. */
  readonly framework: string
  /** What is built: `web-app`, `api`, `cli`, `library`, `plugin`, … */
  readonly scope: string
  /** Key dependencies (normalised names), sorted. */
  readonly dependencies: readonly string[]
  /** Files the profile was read from, relative to the project. */
  readonly sources: readonly string[]
  /** Digest of the inputs; a different digest means the profile must be refreshed. */
  readonly fingerprint: string
  readonly profiledAt: string
}

/** The value of any profile field that could not be determined. */
export const UNKNOWN = 'unknown'

/**
 * Reads a project folder's profile, or returns undefined when the folder is not on this machine.
 * Hosts inject it where core needs one, since reading files is I/O.
 */
export type FolderProfiler = (path: string) => ProjectProfile | undefined
