import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { factLine, jsonData, runCli, tempFolder } from './run-cli.js'

const SETUP = 'build@anthropic/claude-sonnet-4-5'

let db: string
beforeAll(async () => {
  const root = tempFolder('report-disclosures-')
  db = join(root, 'tracker.lmdb')
  const project = join(root, 'shop')
  const commits = ['5a1b0c0ffee', '5a2b0c0ffee', '5a3b0c0ffee']
  const lines = commits.flatMap((hash, index) => [
    factLine({ setup: SETUP, project, kind: 'commit', hash, message: `change ${String(index)}`, at: `2026-03-0${String(index + 2)}T10:00:00.000Z` }),
    factLine({ setup: SETUP, project, kind: 'grade', commit: hash, by: 'user', userGrade: 'good', at: `2026-03-0${String(index + 2)}T11:00:00.000Z` }),
  ])
  // Git evidence from another host: a fix changed lines of the first commit.
  lines.push(factLine({ setup: SETUP, project, kind: 'evidence', signal: 'suspected-bug', commit: commits[0], source: 'f1x0000000', subject: 'fix cart rounding', files: ['cart.ts'], lines: 3, pattern: 'fix', at: '2026-03-09T10:00:00.000Z' }))
  // Without --trust, the grades came through ingest and count for nothing: the report must say so.
  const ingested = await runCli(['ingest', '--db', db], { input: `${lines.join('\n')}\n` })
  if (ingested.code !== 0) throw new Error(ingested.stdout + ingested.stderr)
}, 60_000)

describe('report --by says what plain report says beside its table', () => {
  it.each(['day', 'week', 'project', 'agent'])('--by %s lists user grades by channel and git evidence, in text and JSON', async (by) => {
    const plain = (await runCli(['report', '--db', db])).stdout
    const grouped = (await runCli(['report', '--by', by, '--db', db])).stdout
    for (const text of [plain, grouped]) {
      expect(text).toContain('User grades by channel')
      expect(text).toContain('ingest (a grade line given to agent-tracker ingest) counts only when vouched for with --trust')
      expect(text).toContain('Git evidence (all time)')
    }
    // One row per setup in the channel table, its grades added up over the groups.
    const table = grouped.slice(grouped.indexOf('User grades by channel'), grouped.indexOf('Git evidence (all time)'))
    expect(table.split('\n').filter((line) => line.startsWith(SETUP))).toEqual([expect.stringMatching(/ 3 \(0 counted\)$/) as unknown])
    const json = jsonData((await runCli(['report', '--by', by, '--json', '--db', db])).stdout, 'report') as { nonUserChannels: string[]; evidence: { setup: string }[] }
    expect(json.nonUserChannels).toEqual(['ingest'])
    expect(json.evidence.map((summary) => summary.setup)).toEqual([SETUP])
  })
})
