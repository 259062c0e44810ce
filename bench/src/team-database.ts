import { mkdtempSync, rmSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CommitRecord, GradeEventRecord, ProjectRecord, SetupRecord, UsageRecord } from '@agent-tracker/core'
import { initialState, parseSetupId, resolveRules } from '@agent-tracker/core'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import type { PostgresStore } from '@agent-tracker/postgres-store'
import { openPostgresStore, syncToTeam } from '@agent-tracker/postgres-store'
import { insertSyntheticActivities, startPostgresServer } from '@agent-tracker/postgres-store/testing'
import type { Spread } from './stats.js'
import { round, spread, timeMs } from './stats.js'
import { mixedFacts } from './workload.js'

/** Sizes of the team benchmarks. */
export interface TeamSizes {
  /** Facts one machine syncs. */
  readonly syncFacts: number
  readonly syncRuns: number
  readonly members: number
  readonly activitiesPerMember: number
  readonly commitsPerMember: number
  readonly setups: number
  readonly projects: number
}

/** A command's figures, as the harness measures them in a fresh process. */
export interface MeasuredCommand {
  readonly ownMs: number
  readonly commandMs: number
  readonly cpuMs: number
  readonly maxRssMb: number
  readonly process: Spread
  readonly reads: string
}

/** Runs a CLI command against a database (here the team database's URL) in fresh processes. */
export type MeasureCommand = (database: string, command: readonly string[], runs: number, reads: string) => Promise<MeasuredCommand>

/** Sync throughput beside the local write of the same facts, and `report --team` over a large team database. */
export interface TeamFigures {
  readonly sizes: TeamSizes
  readonly sync: {
    readonly facts: number
    /** Syncing them to an empty team database, 1,000 facts per transaction. */
    readonly send: Spread
    readonly factsPerSecond: number
    /** Applying the same facts, 1,000 at a time, to an empty local LMDB database: the baseline. */
    readonly local: Spread
    readonly localFactsPerSecond: number
    /** send ÷ local. */
    readonly ratio: number
    /** Sending them all again (a replaced local database): every one skipped by id. */
    readonly resend: Spread
  }
  /** Eight writers at once on the same setups, with each way of keeping them apart. */
  readonly concurrency: {
    readonly writers: number
    readonly facts: number
    readonly lock: { readonly ms: number; readonly factsPerSecond: number }
    readonly serializable: { readonly ms: number; readonly factsPerSecond: number; readonly retries: number }
  }
  readonly database: { readonly activities: number; readonly commits: number; readonly rollups: number; readonly buildMs: number }
  readonly report: MeasuredCommand
  readonly memberReport: MeasuredCommand
}

const DAYS = 365
const START = Date.UTC(2025, 0, 1)

/** Starts a throwaway PostgreSQL, measures sync and builds the team database, then measures `report --team`. */
export async function teamFigures(sizes: TeamSizes, queryRuns: number, measure: MeasureCommand): Promise<TeamFigures> {
  const server = await startPostgresServer()
  const folder = mkdtempSync(join(tmpdir(), 'bench-team-'))
  try {
    const sync = await syncThroughput(server.url, folder, sizes)
    const concurrency = await concurrentWrites(server.url, sizes)
    let database: Omit<TeamFigures['database'], 'buildMs'> = { activities: 0, commits: 0, rollups: 0 }
    const buildMs = await timeMs(async () => {
      database = await buildTeamDatabase(server.url, 'bench_team', sizes)
    })
    const schema = process.env.AGENT_TRACKER_TEAM_SCHEMA
    process.env.AGENT_TRACKER_TEAM_SCHEMA = 'bench_team'
    try {
      const rollups = `the team's ${String(sizes.setups)} setups and ${String(database.rollups)} day rollups`
      const report = await measure(server.url, ['report'], queryRuns, rollups)
      const memberReport = await measure(server.url, ['report', '--member', 'member-1'], queryRuns, "one member's setups and day rollups")
      return { sizes, sync, concurrency, database: { ...database, buildMs: round(buildMs) }, report, memberReport }
    } finally {
      if (schema === undefined) delete process.env.AGENT_TRACKER_TEAM_SCHEMA
      else process.env.AGENT_TRACKER_TEAM_SCHEMA = schema
    }
  } finally {
    rmSync(folder, { recursive: true, force: true })
    await server.destroy()
  }
}

async function syncThroughput(url: string, folder: string, sizes: TeamSizes): Promise<TeamFigures['sync']> {
  const facts = mixedFacts(sizes.syncFacts)
  const local: number[] = []
  const send: number[] = []
  const resend: number[] = []
  for (let runIndex = 0; runIndex < sizes.syncRuns; runIndex++) {
    // Taking turns: the local write, then the sync of what it wrote, then the resend.
    const store = openLmdbStore({ databasePath: join(folder, `machine-${String(runIndex)}.lmdb`) })
    local.push(await timeMs(async () => {
      for (let i = 0; i < facts.length; i += 1000) await store.applyFacts(facts.slice(i, i + 1000))
    }))
    const team: PostgresStore = await openPostgresStore({ url, schema: `bench_sync_${String(runIndex)}` })
    const source = { source: `${hostname()}:bench-${String(runIndex)}`, member: 'bench', machine: hostname(), batchSize: 1000 }
    send.push(await timeMs(() => syncToTeam(store, team, source)))
    await team.resetSource(source.source)
    resend.push(await timeMs(() => syncToTeam(store, team, source)))
    await team.close()
    await store.close()
  }
  const sendSpread = spread(send)
  const localSpread = spread(local)
  return {
    facts: facts.length,
    send: sendSpread,
    factsPerSecond: Math.round(facts.length / (sendSpread.median / 1000)),
    local: localSpread,
    localFactsPerSecond: Math.round(facts.length / (localSpread.median / 1000)),
    ratio: round(sendSpread.median / localSpread.median),
    resend: spread(resend),
  }
}

/**
 * Eight writers, each with its own connection, apply batches of 100 facts on the same setups at
 * once: first taking turns on the advisory lock, then as SERIALIZABLE transactions that retry
 * when they conflict (every batch changes the same setup records, so most do).
 */
async function concurrentWrites(url: string, sizes: TeamSizes): Promise<TeamFigures['concurrency']> {
  const writers = 8
  const perWriter = Math.max(100, Math.floor(sizes.syncFacts / writers / 100) * 100)
  const measure = async (concurrency: 'lock' | 'serializable'): Promise<{ ms: number; retries: number }> => {
    const stores = await Promise.all(Array.from({ length: writers }, () => openPostgresStore({ url, schema: `bench_${concurrency}`, concurrency, maxConnections: 1 })))
    try {
      const ms = await timeMs(() => Promise.all(stores.map(async (store, w) => {
        const facts = mixedFacts(perWriter, START + w * 3_600_000)
        for (let i = 0; i < facts.length; i += 100) await store.applyFacts(facts.slice(i, i + 100))
      })))
      return { ms: round(ms), retries: stores.reduce((sum, store) => sum + store.retries, 0) }
    } finally {
      await Promise.all(stores.map((store) => store.close()))
    }
  }
  const lock = await measure('lock')
  const serializable = await measure('serializable')
  const facts = writers * perWriter
  const rate = (ms: number): number => Math.round(facts / (ms / 1000))
  return { writers, facts, lock: { ms: lock.ms, factsPerSecond: rate(lock.ms) }, serializable: { ...serializable, factsPerSecond: rate(serializable.ms) } }
}

/**
 * A team database as members' syncs leave it: every member's day rollups, commits and grades in
 * the team's share and their own (through the store's import path), and their journal entries —
 * the bulk of it — written by the server directly.
 */
async function buildTeamDatabase(url: string, schema: string, sizes: TeamSizes): Promise<Omit<TeamFigures['database'], 'buildMs'>> {
  const team = await openPostgresStore({ url, schema })
  const rules = resolveRules()
  const iso = (ms: number): string => new Date(ms).toISOString()
  const setupIds = Array.from({ length: sizes.setups }, (_, i) => `agent${String(i % 5)}@provider${String(i % 7)}/model-${String(i)}`)
  const projectPaths = Array.from({ length: sizes.projects }, (_, i) => `/home/dev/code/project-${String(i)}`)
  const setups: SetupRecord[] = setupIds.map((id) => ({ v: 1, id, ...parseSetupId(id), state: initialState(rules), firstSeenAt: iso(START), lastSeenAt: iso(START + DAYS * 86_400_000) }))
  const projects: ProjectRecord[] = projectPaths.map((path, i) => ({ v: 1, path, name: `project-${String(i)}`, firstSeenAt: iso(START), lastSeenAt: iso(START + DAYS * 86_400_000) }))
  let rollups = 0
  try {
    for (let m = 0; m < sizes.members; m++) {
      const member = `member-${String(m)}`
      const usage = new Map<string, UsageRecord>()
      const commits: CommitRecord[] = []
      const gradeEvents: GradeEventRecord[] = []
      for (let i = 0; i < sizes.commitsPerMember; i++) {
        const session = Math.floor(i / 10)
        const setup = setupIds[(session * 7 + m) % setupIds.length] ?? ''
        const project = projectPaths[(session * 13 + m * 3) % projectPaths.length] ?? ''
        const dayStart = START + Math.floor((i / sizes.commitsPerMember) * DAYS) * 86_400_000
        const at = iso(dayStart + 9 * 3_600_000 + (i % 10) * 1_800_000 + m)
        const day = at.slice(0, 10)
        if (!usage.has(`${setup}|${project}|${day}`)) {
          usage.set(`${setup}|${project}|${day}`, { v: 2, setup, project, day, toolCalls: 400, toolFailures: 20, commands: 3, commits: 0, pushes: 2, messages: 60, tokens: { input: 900_000, output: 60_000, reasoning: 0, cacheRead: 450_000, cacheWrite: 0 }, cost: 4.5, bugs: 0, grades: { agent: { count: 0, sum: 0, squares: 0 }, user: { count: 0, sum: 0, squares: 0 }, userByChannel: {}, communication: 0 } })
        }
        const hash = `m${String(m)}c${String(i).padStart(7, '0')}`
        commits.push({ v: 1, project, hash, setup, at, message: `change ${String(i)}` })
        if (i % 3 !== 0) gradeEvents.push({ v: 1, id: `g-${hash}`, setup, project, commit: hash, at, by: 'user', agentGrade: 2, userGrade: ([5, 2, 1, -1] as const)[i % 4] ?? 2 })
      }
      for (const share of [team, team.forMember(member)]) {
        await share.importRecords({ setups, projects, usage: [...usage.values()] })
        await share.importRecords({ commits, gradeEvents })
        await insertSyntheticActivities({ url, schema, member: share.member, count: sizes.activitiesPerMember, setups: setupIds, projects: projectPaths, idPrefix: `${member}-a`, start: iso(START + m) })
      }
    }
    rollups = (await team.find('usage', { order: 'any' })).length
  } finally {
    await team.close()
  }
  return { activities: sizes.members * sizes.activitiesPerMember, commits: sizes.members * sizes.commitsPerMember, rollups }
}
