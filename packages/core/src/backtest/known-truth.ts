/** How good a setup truly is on one kind of project. */
export interface TrueOutcome {
  /** Mean user grade its commits get (−1 bad … 5 excellence). */
  readonly meanGrade: number
  /** Chance that a commit gets a bug report. */
  readonly bugRate: number
  /** Mean dollars a commit costs; absent: cost follows the setup's token price. */
  readonly costPerCommit?: number
}

/** A setup's true outcome on a kind of project from a time on (until the next segment). */
export interface TruthSegment extends TrueOutcome {
  readonly setup: string
  readonly kind: string
  /** ISO time the segment starts. */
  readonly from: string
}

/** The truth behind a generated history: what each setup is worth on each kind of project, over time. */
export interface KnownTruth {
  /** The kind of each project, by the key its records use (its path once played into a database). */
  readonly projects: Readonly<Record<string, string>>
  /** Segments in time order per setup and kind. */
  readonly outcomes: readonly TruthSegment[]
}

/** A setup's true outcome on a project at a time; undefined when the truth does not cover them. */
export function truthAt(truth: KnownTruth, setup: string, project: string, at: string): TrueOutcome | undefined {
  const kind = truth.projects[project]
  if (kind === undefined) return undefined
  let found: TruthSegment | undefined
  for (const segment of truth.outcomes) {
    if (segment.setup === setup && segment.kind === kind && segment.from <= at && (found === undefined || segment.from >= found.from)) found = segment
  }
  return found
}

/** The same truth with projects keyed anew, e.g. by the folders a history was played into. */
export function rekeyTruth(truth: KnownTruth, keys: ReadonlyMap<string, string>): KnownTruth {
  return { ...truth, projects: Object.fromEntries(Object.entries(truth.projects).map(([project, kind]) => [keys.get(project) ?? project, kind])) }
}
