import { join } from 'node:path'
import { writePredecessorProjectDatabase } from '@agent-tracker/predecessor'

/**
 * Writes the predecessor's per-project database at `<project>/~/.config/opencode/agent-tracker.lmdb`
 * (its unexpanded `~`), with the predecessor's own lmdb release and options (in a child process).
 */
export function writeLegacyDatabase(project: string, entries: Readonly<Record<string, unknown>>): Promise<string> {
  const path = join(project, '~', '.config', 'opencode', 'agent-tracker.lmdb')
  writePredecessorProjectDatabase(path, Object.entries(entries))
  return Promise.resolve(path)
}

/** A small legacy history: one agent with two commits, one graded by the user. */
export function legacyHistory(project: string): Record<string, unknown> {
  const at = (minute: number): Date => new Date(Date.UTC(2026, 1, 20, 10, minute))
  return {
    'agent:build': {
      id: 'build', name: 'build', model: 'anthropic/claude-sonnet-4-5', scope: 'project', skill_points: 3.0, experience_points: 12.5,
      communication_score: 71.0, total_commits: 2, total_bugs: 1, active: true, created_at: at(0), updated_at: at(50),
    },
    [`commit:${project}:a1b2c3d`]: { agent_id: 'build', commit_hash: 'a1b2c3d', project_path: project, task_description: 'add cart', experience_gained: 1, communication_score_change: 7, timestamp: at(10) },
    [`commit:${project}:e4f5a6b`]: { agent_id: 'build', commit_hash: 'e4f5a6b', project_path: project, task_description: 'fix totals', experience_gained: 1, communication_score_change: 2, timestamp: at(30) },
    [`communication:build:a1b2c3d:${String(at(11).getTime())}`]: { agent_id: 'build', commit_hash: 'a1b2c3d', project_path: project, grade: 5, timestamp: at(11), reason: 'excellent cart' },
  }
}
