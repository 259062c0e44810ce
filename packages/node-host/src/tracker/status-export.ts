import { existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { AgentStatus } from '@agent-tracker/core'
import { STATUS_EXPORT_MARKER, isOwnStatusExport } from '@agent-tracker/migrate'
import { replaceFile } from '../files/replace-file.js'

/** Where the tracker writes `.agent/status.json`: only where an `.agent/` folder exists, always, or never. */
export type StatusExportMode = 'existing' | 'always' | 'off'

/** The first words of the note in every status file the tracker writes. */
const EXPORT_NOTE = 'Written by agent-tracker'

/** What {@link writeStatusExport} did. */
export interface StatusExportResult {
  readonly written: boolean
  readonly path: string
  /** Why nothing was written. */
  readonly reason?: string
}

/**
 * The legacy `.agent/status.json` shape, plus the tracker's own fields and the marker that tells
 * migrations it is not legacy data. Read-only: edits are ignored.
 */
export function statusExport(status: AgentStatus, now: Date = new Date()): Record<string, unknown> {
  const { state } = status
  return {
    [STATUS_EXPORT_MARKER.field]: STATUS_EXPORT_MARKER.value,
    agent_name: status.agent,
    setup: status.setup,
    skill_points: state.skillPoints,
    experience_points: state.experience,
    communication_score: state.communication,
    total_commits: state.commits,
    total_bugs: state.bugs,
    halted: status.halted,
    trust_tier: status.trustTier,
    communication_tier: status.communicationTier,
    updated_at: now.toISOString(),
    note: `${EXPORT_NOTE} from its central database. This file is a read-only view: edits are ignored; use /grade, /bug or the agent-tracker CLI.`,
  }
}

/** Options of {@link writeStatusExport}. */
export interface StatusExportOptions {
  /** Write even where the project has no `.agent/` folder. */
  readonly force?: boolean
  /**
   * A `.agent/status.json` that is not the tracker's own export (the predecessor's, or written by
   * hand) was imported: keep it as `.agent/status.legacy.json` and write the export in its place.
   * Otherwise such a file is left alone.
   */
  readonly replaceImported?: boolean
  readonly now?: Date
}

/** The name a hand-written status file is kept under once the tracker's export replaces it. */
export const LEGACY_STATUS_BACKUP = 'status.legacy.json'

/**
 * Writes `.agent/status.json` as a read-only view of a setup's status — by default only where the
 * project already has an `.agent/` folder, and only over a file that is absent or the tracker's own:
 * a hand-written one is left alone, or (once imported, see `replaceImported`) kept beside it first.
 * Atomic (temporary file, then rename); never throws.
 */
export function writeStatusExport(projectDir: string, status: AgentStatus, options: StatusExportOptions = {}): StatusExportResult {
  const folder = join(projectDir, '.agent')
  const path = join(folder, 'status.json')
  try {
    const hasFolder = existsSync(folder) && statSync(folder).isDirectory()
    if (!hasFolder && options.force !== true) return { written: false, path, reason: 'the project has no .agent/ folder' }
    if (existsSync(path) && exportedStatusSetup(path) === undefined) {
      if (options.replaceImported !== true) return { written: false, path, reason: 'a .agent/status.json the tracker did not write is there and was not imported yet; it is left alone' }
      keepAside(path, join(folder, LEGACY_STATUS_BACKUP))
    }
    mkdirSync(folder, { recursive: true })
    replaceFile(path, `${JSON.stringify(statusExport(status, options.now), null, 2)}\n`)
    return { written: true, path }
  } catch (error) {
    return { written: false, path, reason: (error as Error).message }
  }
}

/** Moves a hand-written status file to `backup` (or `backup` with a number, when that is taken). */
function keepAside(path: string, backup: string): void {
  let target = backup
  for (let n = 1; existsSync(target); n++) target = backup.replace(/\.json$/, `.${String(n)}.json`)
  renameSync(path, target)
}

/**
 * The setup a `.agent/status.json` written by {@link writeStatusExport} names; undefined for a
 * hand-written (legacy) one or a file that cannot be read. Never throws.
 */
export function exportedStatusSetup(statusFile: string): string | undefined {
  try {
    const fields = JSON.parse(readFileSync(statusFile, 'utf8')) as { setup?: unknown } | null
    return isOwnStatusExport(fields) && typeof fields?.setup === 'string' ? fields.setup : undefined
  } catch {
    return undefined
  }
}
