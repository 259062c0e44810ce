import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { factLine, jsonData, runCli, tempFolder } from './run-cli.js'

const SETUP = 'build@anthropic/claude-sonnet-4-5'

let db: string
beforeAll(async () => {
  const root = tempFolder('trends-zone-')
  db = join(root, 'tracker.lmdb')
  const project = join(root, 'shop')
  // Sunday 8 March 20:00 UTC is Monday 9 March 05:00 in Tokyo: another week there.
  const lines = [
    factLine({ setup: SETUP, project, kind: 'commit', hash: 'aa11bb22cc33', message: 'sunday in UTC', at: '2026-03-08T20:00:00.000Z' }),
    factLine({ setup: SETUP, project, kind: 'commit', hash: 'dd44ee55ff66', message: 'wednesday', at: '2026-03-04T10:00:00.000Z' }),
  ]
  const ingested = await runCli(['ingest', '--db', db], { input: `${lines.join('\n')}\n` })
  if (ingested.code !== 0) throw new Error(ingested.stdout + ingested.stderr)
}, 60_000)

/** The trends section of the HTML report written in that zone (by TZ or --timezone). */
async function trendsSection(args: readonly string[], env: Record<string, string> = {}): Promise<string> {
  const out = join(tempFolder('trends-zone-html-'), 'report.html')
  const run = await runCli(['export', '--format', 'html', '--out', out, '--db', db, ...args], { env })
  expect(run.code, run.stderr).toBe(0)
  const html = readFileSync(out, 'utf8')
  const start = html.indexOf('<section id="trends">')
  return html.slice(start, html.indexOf('</section>', start))
}

describe('the HTML report’s trends count weeks in the report’s time zone, as report --by week does', () => {
  it('puts a commit late on Sunday (UTC) in Monday’s week in Tokyo, and names the zone', async () => {
    for (const zoned of [await trendsSection(['--timezone', 'Asia/Tokyo']), await trendsSection([], { TZ: 'Asia/Tokyo' })]) {
      expect(zoned).toContain('Week (starting Monday, Asia/Tokyo)')
      expect(zoned).toContain(`${SETUP}, week of 2026-03-02: 1</title>`)
      expect(zoned).toContain(`${SETUP}, week of 2026-03-09: 1</title>`)
    }
    const utc = await trendsSection([])
    expect(utc).toContain('Week (starting Monday, UTC)')
    expect(utc).toContain(`${SETUP}, week of 2026-03-02: 2</title>`)
    // The same weeks as the report grouped by week.
    const byWeek = jsonData((await runCli(['report', '--by', 'week', '--timezone', 'Asia/Tokyo', '--json', '--db', db])).stdout, 'report') as { groups: { key: string }[] }
    expect(byWeek.groups.map((group) => group.key)).toEqual(['2026-03-02', '2026-03-09'])
  })
})
