import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AgentStatus } from '@agent-tracker/core'
import { STATUS_EXPORT_MARKER } from './own-status-export.js'

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
    note: 'Written by agent-tracker from its central database. This file is a read-only view: edits are ignored; use /grade, /bug or the agent-tracker CLI.',
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
