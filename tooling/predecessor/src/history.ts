import type { PredecessorEntries } from './write-database.js'

/** How much history to make. */
export interface HistorySize {
  /** Project folders, default 3. */
  readonly projects?: number
  /** Commits per project, default 6. */
  readonly commitsPerProject?: number
}

/** Record counts of a central history, by sub-database (what an import must bring over). */
export type HistoryCounts = Readonly<Record<string, number>>

const AGENTS = [
  { id: 'build', model: 'unknown' },
  { id: 'plan', model: 'anthropic/claude-sonnet-4-5' },
  { id: 'engineer-build', model: 'openai/gpt-5' },
] as const

const HOUR = 3_600_000
const START = Date.UTC(2026, 1, 23, 15, 0)

/**
 * A central database's worth of history in the shapes the predecessor's last commit stored
 * (src/types.ts, src/tracking-service.ts, src/lmdb-database.ts): agents with float scores and Date
 * fields, commits keyed `<project>:<hash>`, grade events keyed `<agent>:<hash>:<epoch ms>`,
 * retrospectives keyed `<agent>:<hash>`, activities keyed `<agent>:<timestamp>` (one with a
 * zone-less timestamp, as an agent tool call may give it), migration records keyed by folder and
 * project profiles keyed by path. Deterministic. One project path contains `:`.
 */
export function predecessorCentralHistory(size: HistorySize = {}): PredecessorEntries {
  const projectCount = size.projects ?? 3
  const perProject = size.commitsPerProject ?? 6
  const projects = Array.from({ length: projectCount }, (_, index) => (index === 1 ? `/home/dev/work:${String(index)}/api` : `/home/dev/code/project-${String(index)}`))
  const commits: [string, unknown][] = []
  const communication: [string, unknown][] = []
  const retrospectives: [string, unknown][] = []
  const activities: [string, unknown][] = []
  const totals = new Map<string, { commits: number; xp: number; cs: number }>(AGENTS.map((agent) => [agent.id, { commits: 0, xp: 0, cs: 60 }]))
  let clock = START
  projects.forEach((project, p) => {
    for (let c = 0; c < perProject; c++) {
      clock += HOUR / 4
      const agent = AGENTS[(p + c) % AGENTS.length] ?? AGENTS[0]
      const hash = hashOf(p, c)
      const at = new Date(clock)
      const total = totals.get(agent.id) ?? { commits: 0, xp: 0, cs: 60 }
      total.commits += 1
      total.xp += 5
      commits.push([`${project}:${hash}`, { agent_id: agent.id, commit_hash: hash, project_path: project, task_description: `task ${String(c)} in ${project}`, experience_gained: 5, communication_score_change: 0, timestamp: at }])
      if (c % 2 === 0) {
        const grade = [2, 5, 1, -1][c % 4] ?? 1
        total.cs = Math.max(0, total.cs + grade)
        communication.push([`${agent.id}:${hash}:${String(clock + 60_000)}`, { agent_id: agent.id, commit_hash: hash, project_path: project, grade, timestamp: new Date(clock + 60_000), ...(c % 4 === 0 ? { reason: 'clear and complete' } : {}) }])
      }
      if (c % 3 === 0) {
        const before = total.cs
        total.cs = Math.max(0, total.cs + 2 + 5)
        total.xp += 1
        retrospectives.push([`${agent.id}:${hash}`, { commit: hash, timestamp: new Date(clock + 120_000).toISOString(), task: `review of task ${String(c)}`, agent_grade: 2, user_grade: 5, score_before: before, score_after: total.cs, agent_note: 'kept the diff small', user_note: c === 0 ? '' : 'good tests' }])
      }
      if (c % 3 === 1) {
        const stamp = c === 1 && p === 0 ? '2026-02-23T19:45:00' : new Date(clock + 180_000).toISOString()
        activities.push([`${agent.id}:${stamp}`, { timestamp: stamp, task: `task ${String(c)}`, actions: 'read the code; wrote tests', outcome: 'Success', decisions: c === 1 ? 'None.' : 'kept the old API' }])
      }
    }
  })
  const agents = AGENTS.map((agent, index) => {
    const total = totals.get(agent.id) ?? { commits: 0, xp: 0, cs: 60 }
    return [agent.id, {
      id: agent.id, name: agent.id, model: agent.model, scope: 'unknown',
      skill_points: index === 0 ? 2.7 : 1, experience_points: total.xp + 0.5, communication_score: total.cs,
      total_commits: total.commits, total_bugs: index === 0 ? 3 : 0, active: true,
      created_at: new Date(START), updated_at: new Date(clock),
    }] as [string, unknown]
  })
  const migrations: [string, unknown][] = [[projects[0] ?? '/home/dev/code/project-0', { sourcePath: projects[0], version: '0.0.1', timestamp: new Date(START + HOUR), entriesMigrated: 7 }]]
  const profiles: [string, unknown][] = projects.map((path, index) => [path, {
    path, language: index === 0 ? 'typescript' : 'python', framework: index === 0 ? 'react' : 'fastapi', scope: index === 0 ? 'web-app' : 'api',
    dependencies: index === 0 ? ['react', 'vite'] : ['fastapi'], manifestType: index === 0 ? 'package.json' : 'pyproject.toml',
    classifiedAt: new Date(START + index * HOUR).toISOString(), agentsmdHash: index === 0 ? 'a3f1c9' : '',
  }])
  return { agents, commits, communication, retrospectives, activities, migrations, projects: profiles }
}

/** How many records each sub-database of a history holds. */
export function historyCounts(entries: PredecessorEntries): HistoryCounts {
  return Object.fromEntries(Object.entries(entries).map(([name, pairs]) => [name, pairs.length]))
}

/**
 * A per-project database's worth of history in the shapes of the predecessor before M3
 * (src/lmdb-database.ts at 4a83ae2): agents, commits and grade events under key prefixes.
 */
export function predecessorProjectHistory(project: string): (readonly [string, unknown])[] {
  const at = (minute: number): Date => new Date(Date.UTC(2026, 1, 20, 10, minute))
  return [
    ['agent:build', { id: 'build', name: 'build', model: 'anthropic/claude-sonnet-4-5', scope: 'project', skill_points: 3.0, experience_points: 12.5, communication_score: 71.0, total_commits: 2, total_bugs: 1, active: true, created_at: at(0), updated_at: at(50) }],
    ['agent:helper-7', { id: 'helper-7', name: 'helper', model: 'gpt-5', scope: 'project', skill_points: 1, experience_points: 0.4, communication_score: 60, total_commits: 1, total_bugs: 0, active: true, created_at: at(1), updated_at: at(2) }],
    [`commit:${project}:a1b2c3d`, { agent_id: 'build', commit_hash: 'a1b2c3d', project_path: project, task_description: 'add cart', experience_gained: 1, communication_score_change: 7, timestamp: at(10) }],
    [`commit:${project}:e4f5a6b`, { agent_id: 'build', commit_hash: 'e4f5a6b', project_path: project, task_description: 'fix totals', experience_gained: 1, communication_score_change: 2, timestamp: at(30) }],
    [`commit:${project}:0c0ffee`, { agent_id: 'helper-7', commit_hash: '0c0ffee', project_path: project, task_description: 'docs', experience_gained: 1, communication_score_change: 0, timestamp: at(40) }],
    [`communication:build:a1b2c3d:${String(at(11).getTime())}`, { agent_id: 'build', commit_hash: 'a1b2c3d', project_path: project, grade: 5, timestamp: at(11), reason: 'excellent cart' }],
    [`communication:build:e4f5a6b:${String(at(31).getTime())}`, { agent_id: 'build', commit_hash: 'e4f5a6b', project_path: project, grade: 2, timestamp: at(31) }],
  ]
}

function hashOf(project: number, commit: number): string {
  return ((project + 1) * 7_919 * 1_000 + commit * 104_729).toString(16).padStart(7, '0').slice(-7)
}
