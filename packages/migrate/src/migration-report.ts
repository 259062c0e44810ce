/** A problem with one source, entry or file; the rest still migrates. */
export interface MigrationIssue {
  /** The file or database the problem is in. */
  readonly source: string
  /** Where in it: a key, `entry 3 (line 14)`, `line 7`. */
  readonly position?: string
  readonly message: string
}

/** What a migration did. Migrations never throw; every problem is an issue here. */
export interface MigrationReport {
  /**
   * Records written to the target, of every collection (setups, commits, retrospectives, grade
   * events, activities, …); the project records a migration derives from them are not counted.
   */
  readonly migrated: number
  /** Records the target already had (left untouched), counted the same way. */
  readonly skipped: number
  readonly errors: readonly MigrationIssue[]
}

/** Progress of a long migration. */
export interface MigrationProgress {
  readonly source: string
  /** Source entries read so far. */
  readonly processed: number
  /** Source entries in all, when known. */
  readonly total?: number
  readonly migrated: number
  readonly skipped: number
}

/** Options shared by every migration. */
export interface MigrationOptions {
  /** Called after every chunk of records. */
  readonly onProgress?: (progress: MigrationProgress) => void
  /** The current time, for migration records; default now. */
  readonly now?: () => Date
}

/** A report with nothing done. */
export const EMPTY_REPORT: MigrationReport = { migrated: 0, skipped: 0, errors: [] }

/**
 * Runs a migration so that it cannot throw: anything escaping it (a failing clock, a source
 * that cannot even be checked) becomes one issue about `source`.
 */
export async function neverThrowing(source: string, migrate: () => Promise<MigrationReport>): Promise<MigrationReport> {
  try {
    return await migrate()
  } catch (error) {
    return { ...EMPTY_REPORT, errors: [{ source, message: `migration failed: ${messageOf(error)}` }] }
  }
}

/** Adds reports together. */
export function combineReports(reports: readonly MigrationReport[]): MigrationReport {
  return {
    migrated: reports.reduce((sum, report) => sum + report.migrated, 0),
    skipped: reports.reduce((sum, report) => sum + report.skipped, 0),
    errors: reports.flatMap((report) => report.errors),
  }
}

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
