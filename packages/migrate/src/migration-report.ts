import type { SetupImportResult } from '@agent-tracker/core'

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
  /** Setups the target already had whose scores the source added to: before and after. */
  readonly combined?: SetupImportResult['combined']
  /** Records an earlier import put under a placeholder setup, moved to the right one. */
  readonly moved?: { readonly from: string; readonly to: string; readonly records: number }
  /** Legacy files: the setup they were imported under. */
  readonly setup?: string
  /** The zone times written without one were read in. */
  readonly timeZone?: string
  /** What the user should know that is not a problem (e.g. records imported without a project). */
  readonly notes?: readonly string[]
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
  /**
   * The zone legacy times written without one are read in (an IANA name or an offset such as
   * `+01:00`); default the machine's. Recorded with the migration.
   */
  readonly timeZone?: string
  /**
   * The project work in a folder is recorded under (a host passes the root of the git work tree
   * holding it: see node-host's `projectRoot`); default the folder itself. Legacy files are read
   * where they are and recorded under the project of their folder; the per-project database's
   * commits and grades under the project of the folder each names.
   */
  readonly projectOf?: (folder: string) => string
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

/** Adds reports together (combined setups listed once each, with the first before and last after). */
export function combineReports(reports: readonly MigrationReport[]): MigrationReport {
  const combined = new Map<string, NonNullable<MigrationReport['combined']>[number]>()
  for (const entry of reports.flatMap((report) => report.combined ?? [])) {
    const known = combined.get(entry.id)
    combined.set(entry.id, known === undefined ? entry : { ...known, after: entry.after })
  }
  return {
    migrated: reports.reduce((sum, report) => sum + report.migrated, 0),
    skipped: reports.reduce((sum, report) => sum + report.skipped, 0),
    errors: reports.flatMap((report) => report.errors),
    ...(combined.size === 0 ? {} : { combined: [...combined.values()] }),
  }
}

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
