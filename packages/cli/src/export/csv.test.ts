import type { CollectionName, CollectionRecords, SetupReportRow } from '@agent-tracker/core'
import { describe, expect, it } from 'vitest'
import { CSV_COLUMNS, REPORT_CSV_COLUMNS, csvLine, toCsv } from './csv.js'

/**
 * A record with every field given, and every field of its nested objects (a setup's state, a
 * project's profile, a rollup's grades and baseline): a field added to a record type is missing from
 * the samples below, which fails the typecheck until it is given — and then the test, until it has
 * a column. Lists, and maps keyed by any name (a setup's imports, a legacy retrospective's extra),
 * are written as JSON in one cell, and stay as they are.
 */
type Complete<T> = T extends readonly unknown[] ? T : T extends object ? (string extends keyof T ? T : { readonly [K in keyof T]-?: Complete<T[K]> }) : T

const tokens = { input: 1, output: 2, reasoning: 3, cacheRead: 4, cacheWrite: 5 }
const state = { skillPoints: 10, experience: 11, communication: 12, commits: 13, pushes: 14, bugs: 15, toolCalls: 16, toolFailures: 17, commands: 18, agentGrades: { count: 1, sum: 2 }, userGrades: { count: 3, sum: 4 }, messages: 19, tokens, cost: 0.5 }
const counters = { toolCalls: 1, toolFailures: 2, commands: 3, pushes: 4, messages: 5, tokens, cost: 0.25, estimatedCost: 0.125, unpricedMessages: 6 }
const channel = { grades: 2, counted: 1, sum: 3 }
const hash = 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0'

/** One record of each collection with every field there is. */
const SAMPLES: { readonly [C in CollectionName]: Complete<CollectionRecords[C]> } = {
  setups: { v: 1, id: 'build@anthropic/claude-sonnet-4-5', agent: 'build', provider: 'anthropic', model: 'claude-sonnet-4-5', state, firstSeenAt: '2026-03-01T00:00:00.000Z', lastSeenAt: '2026-03-02T00:00:00.000Z', haltedAt: '2026-03-01T12:00:00.000Z', reinstatedAt: '2026-03-01T13:00:00.000Z', imports: { 'merge:/home/me/old': state } },
  projects: { v: 1, path: '/home/me/shop', name: 'shop', firstSeenAt: '2026-03-01T00:00:00.000Z', lastSeenAt: '2026-03-02T00:00:00.000Z', profile: { language: 'typescript', framework: 'react', scope: 'web-app', dependencies: ['react', 'vite'], sources: ['package.json'], fingerprint: 'f00d', profiledAt: '2026-03-01T00:00:00.000Z' } },
  commits: { v: 1, project: '/home/me/shop', hash, setup: 'build@x/y', at: '2026-03-01T00:00:00.000Z', message: 'Add cart', task: 'cart', session: 's1', amends: 'b'.repeat(40), replaced: ['c'.repeat(40), 'b'.repeat(40)] },
  retrospectives: { v: 1, setup: 'build@x/y', commit: hash, project: '/home/me/shop', at: '2026-03-01T00:00:00.000Z', updatedAt: '2026-03-01T01:00:00.000Z', task: 'cart', agentGrade: 2, userGrade: 5, agentNote: 'ok', userNote: 'good', agentGradeChannel: 'agent-tool', userGradeChannel: 'slash-command', scoreBefore: 10, scoreAfter: 12, extra: { mood: 'fine' } },
  gradeEvents: { v: 1, id: 'g1', setup: 'build@x/y', project: '/home/me/shop', commit: hash, at: '2026-03-01T00:00:00.000Z', by: 'user', agentGrade: 2, userGrade: 5, channel: 'ingest', vouched: true, scoreBefore: 10, scoreAfter: 12, note: 'good' },
  bugs: { v: 1, id: 'b1', setup: 'build@x/y', project: '/home/me/shop', at: '2026-03-01T00:00:00.000Z', by: 'user', commit: hash, note: 'broke it', skillPointsAfter: 8 },
  activities: { v: 1, id: 'a1', setup: 'build@x/y', project: '/home/me/shop', at: '2026-03-01T00:00:00.000Z', session: 's1', task: 'cart', actions: 'wrote', outcome: 'done', decisions: 'none', notes: 'from the old journal' },
  usage: {
    v: 2, setup: 'build@x/y', project: '/home/me/shop', day: '2026-03-01', ...counters, commits: 7, bugs: 8,
    grades: { agent: { count: 1, sum: 2, squares: 4 }, user: { count: 1, sum: 5, squares: 25 }, userByChannel: { 'slash-command': channel, 'cli-terminal': channel, 'cli-script': channel, ingest: channel, 'agent-tool': channel, import: channel, unrecorded: channel }, communication: 1.5 },
    baseline: { ...counters, estimatedCost: 0.0625, unpricedMessages: 9 },
  },
  evidence: { v: 1, id: 'e1', setup: 'build@x/y', project: '/home/me/shop', at: '2026-03-01T00:00:00.000Z', status: 'confirmed', decidedAt: '2026-03-02T00:00:00.000Z', note: 'yes', signal: 'suspected-bug', commit: hash, source: 'd'.repeat(40), subject: 'fix: cart', files: ['cart.ts'], lines: 3, pattern: 'fix', days: 7, added: 10, surviving: 9 },
}

/** A report row with every field given (the CSV report's rows are written at fixed columns too). */
const REPORT_ROW: Complete<SetupReportRow> = {
  setup: 'build@anthropic/claude-sonnet-4-5', agent: 'build', provider: 'anthropic', model: 'claude-sonnet-4-5', commits: 4, pushes: 2, bugs: 1, bugsPerCommit: 0.25,
  agentGrades: 3, meanAgentGrade: 2, userGrades: 2, meanUserGrade: 3.5, userGradeInterval: [2, 5], userGradesByChannel: [{ channel: 'slash-command', grades: 2, counted: 2, meanGrade: 3.5 }],
  toolCalls: 20, toolFailures: 2, toolFailureRate: 0.1, messages: 9, tokens, tokensPerCommit: 3.75, cost: 1.5, estimatedCost: 0.5, unpricedMessages: 1, costPerCommit: 0.375,
  projects: 2, experienceGained: 40, communicationGained: 1.5, skillPoints: 12, experience: 30, communication: 14, trustTier: 'Junior', communicationTier: 'Neutral', halted: false,
}

/** Every value of a sample by its dotted path: nested objects walked into, a list (or empty object) a value of its own. */
function leaves(value: object, prefix = ''): [string, unknown][] {
  return Object.entries(value).flatMap(([key, inner]: [string, unknown]): [string, unknown][] => {
    const path = `${prefix}${key}`
    return inner !== null && typeof inner === 'object' && !Array.isArray(inner) && Object.keys(inner).length > 0 ? leaves(inner, `${path}.`) : [[path, inner]]
  })
}

/** The cells of one CSV line (quoted cells unquoted). */
function cells(line: string): string[] {
  return [...line.replace(/\r\n$/, '').matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((match) => {
    const cell = match[1] ?? ''
    return cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell
  })
}

/**
 * What `columns` fail to write of `sample`: values with no column (neither their own, nor one above
 * them whose cell holds them as JSON: a list, a map), values their column writes otherwise, and
 * columns that name no field.
 */
function unwritten(columns: readonly string[], sample: object): string[] {
  const line = cells(csvLine(columns, sample))
  const fields = leaves(sample)
  const faults: string[] = []
  for (const [path, value] of fields) {
    const index = columns.findIndex((name) => path === name || path.startsWith(`${name}.`))
    const column = columns[index]
    if (column === undefined) {
      faults.push(`${path}: no column`)
      continue
    }
    const cell = line[index] ?? ''
    const written = column === path ? (typeof value === 'string' ? cell : JSON.parse(cell) as unknown) : leaves(JSON.parse(cell) as object, `${column}.`).find(([inner]) => inner === path)?.[1]
    if (JSON.stringify(written) !== JSON.stringify(value)) faults.push(`${path}: column ${column} holds ${cell}`)
  }
  for (const column of columns) if (!fields.some(([path]) => path === column || path.startsWith(`${column}.`))) faults.push(`${column}: a column of no field`)
  return faults
}

describe('toCsv', () => {
  it('writes text a spreadsheet would run as a formula with a leading quote, and numbers as they are', () => {
    const csv = toCsv([{ task: '=HYPERLINK("http://x")', note: '+1 and more', who: '@admin', minus: '-2+3', cost: -1.5, plain: 'ok, fine' }])
    expect(csv.split(/\r?\n/)[1]).toBe(`"'=HYPERLINK(""http://x"")",'+1 and more,'@admin,'-2+3,-1.5,"ok, fine"`)
  })

  it('writes fractional numbers to 12 significant digits, as JSON output does, and whole ones whole', () => {
    const csv = toCsv([{ cost: 0.1 + 0.2, sum: 70.56729000000001, count: 12345678901234, tiny: 1e-7 }])
    expect(csv.split(/\r?\n/)[1]).toBe('0.3,70.56729,12345678901234,1e-7')
  })
})

describe('the CSV tables', () => {
  it('have a column for every field of every record, each value in a cell of its own or in the JSON of the object or list holding it', () => {
    const collections = Object.keys(SAMPLES) as CollectionName[]
    expect(Object.fromEntries(collections.map((collection) => [collection, unwritten(CSV_COLUMNS[collection], SAMPLES[collection])]))).toEqual(Object.fromEntries(collections.map((collection) => [collection, []])))
  })

  it('and the report table a column for every field of a report row, those a row may lack too', () => {
    expect(unwritten(REPORT_CSV_COLUMNS, REPORT_ROW)).toEqual([])
  })
})
