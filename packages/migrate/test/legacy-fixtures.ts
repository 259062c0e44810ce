import { writePredecessorProjectDatabase } from '@agent-tracker/predecessor'
import { legacyDatabasePath } from '../src/detect-legacy.js'

/** Legacy flat-database entries by key, as the predecessor wrote them. */
export type LegacyEntries = Readonly<Record<string, unknown>>

/**
 * Writes the predecessor's per-project database at `<project>/~/.config/opencode/agent-tracker.lmdb`
 * (its unexpanded `~`) with the predecessor's own lmdb release and options, in a child process.
 */
export function writeLegacyDatabase(projectDir: string, entries: LegacyEntries | Iterable<[string, unknown]>): Promise<string> {
  const path = legacyDatabasePath(projectDir)
  const pairs = Symbol.iterator in entries ? [...entries] : Object.entries(entries)
  writePredecessorProjectDatabase(path, pairs)
  return Promise.resolve(path)
}

/** The shop project's history: two agents, commits in a path with a colon, grade events (times as the Dates it stored). */
export function shopHistory(project: string): LegacyEntries {
  const at = (minute: number): Date => new Date(Date.UTC(2026, 1, 20, 10, minute))
  return {
    'agent:build': {
      id: 'build', name: 'build', model: 'anthropic/claude-sonnet-4-5', scope: 'project', skill_points: 3.0, experience_points: 12.5,
      communication_score: 71.0, total_commits: 2, total_bugs: 1, active: true, created_at: at(0), updated_at: at(50),
    },
    'agent:helper-7': {
      id: 'helper-7', name: 'helper', model: 'gpt-5', scope: 'project', skill_points: 1, experience_points: 0.4,
      communication_score: 60, total_commits: 1, total_bugs: 0, active: true, created_at: at(1), updated_at: at(2),
    },
    [`commit:${project}:a1b2c3d`]: {
      agent_id: 'build', commit_hash: 'a1b2c3d', project_path: project, task_description: 'add cart', experience_gained: 1, communication_score_change: 7, timestamp: at(10),
    },
    [`commit:${project}:e4f5a6b`]: {
      agent_id: 'build', commit_hash: 'e4f5a6b', project_path: project, task_description: 'fix totals', experience_gained: 1, communication_score_change: 2, timestamp: at(30),
    },
    [`commit:${project}:0c0ffee`]: {
      agent_id: 'helper-7', commit_hash: '0c0ffee', project_path: project, task_description: 'docs', experience_gained: 1, communication_score_change: 0, timestamp: at(40),
    },
    [`communication:build:a1b2c3d:${String(at(11).getTime())}`]: {
      agent_id: 'build', commit_hash: 'a1b2c3d', project_path: project, grade: 5, timestamp: at(11), reason: 'excellent cart',
    },
    [`communication:build:e4f5a6b:${String(at(31).getTime())}`]: {
      agent_id: 'build', commit_hash: 'e4f5a6b', project_path: project, grade: 2, timestamp: at(31),
    },
  }
}
