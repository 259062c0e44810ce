import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AgentStatus } from '@agent-tracker/core'

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

/** The legacy `.agent/status.json` shape, plus the tracker's own fields. Read-only: edits are ignored. */
export function statusExport(status: AgentStatus, now: Date = new Date()): Record<string, unknown> {
  const { state } = status
  return {
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

/**
 * Writes `.agent/status.json` as a read-only view of a setup's status — by default only where
 * the project already has an `.agent/` folder. Atomic (temporary file, then rename); never throws.
 */
export function writeStatusExport(projectDir: string, status: AgentStatus, options: { readonly force?: boolean; readonly now?: Date } = {}): StatusExportResult {
  const folder = join(projectDir, '.agent')
  const path = join(folder, 'status.json')
  try {
    const hasFolder = existsSync(folder) && statSync(folder).isDirectory()
    if (!hasFolder && options.force !== true) return { written: false, path, reason: 'the project has no .agent/ folder' }
    mkdirSync(folder, { recursive: true })
    const temporary = `${path}.${String(process.pid)}.tmp`
    writeFileSync(temporary, `${JSON.stringify(statusExport(status, options.now), null, 2)}\n`)
    renameSync(temporary, path)
    return { written: true, path }
  } catch (error) {
    return { written: false, path, reason: (error as Error).message }
  }
}

/**
 * The setup a `.agent/status.json` written by {@link writeStatusExport} names; undefined for a
 * hand-written (legacy) one or a file that cannot be read. Never throws.
 */
export function exportedStatusSetup(statusFile: string): string | undefined {
  try {
    const fields = JSON.parse(readFileSync(statusFile, 'utf8')) as { setup?: unknown; note?: unknown } | null
    return typeof fields?.setup === 'string' && typeof fields.note === 'string' && fields.note.startsWith(EXPORT_NOTE) ? fields.setup : undefined
  } catch {
    return undefined
  }
}
