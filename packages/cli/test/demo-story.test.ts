import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { jsonData, runCli, tempFolder } from './run-cli.js'

interface DemoJson {
  agents: { status: { setup: string; communicationTier: string; halted: boolean; state: { communication: number; bugs: number; commits: number } } }[]
  report: { setups: { setup: string; meanUserGrade: number | null; bugs: number; commits: number }[] }
  recommend: Record<string, { state: string; contenders: string[]; setups: { setup: string; rank: number | null }[] }>
}

async function playDemo(): Promise<DemoJson> {
  const { code, stdout } = await runCli(['demo', '--dir', tempFolder('demo-story-'), '--json'])
  expect(code).toBe(0)
  return (jsonData(stdout, 'demo') as DemoJson)
}

describe('the demo tells a believable story', () => {
  it('spreads communication scores and bugs with quality, and plays the same history every time', { timeout: 120_000 }, async () => {
    const demo = await playDemo()
    const grade = new Map(demo.report.setups.map((row) => [row.setup, row.meanUserGrade ?? 0]))
    const tiers = demo.agents.map((row) => row.status.communicationTier)
    expect(new Set(tiers).size, `tiers ${tiers.join(', ')}`).toBeGreaterThanOrEqual(3)
    for (const { status } of demo.agents) {
      if ((grade.get(status.setup) ?? 0) < 2) expect(status.state.communication, `${status.setup} has a mean user grade ${String(grade.get(status.setup))}`).toBeLessThan(100)
    }
    const bugs = demo.agents.map((row) => row.status.state.bugs)
    expect(new Set(bugs).size, `bugs ${bugs.join(', ')}`).toBeGreaterThanOrEqual(4)
    const worst = [...demo.report.setups].sort((a, b) => (a.meanUserGrade ?? 0) - (b.meanUserGrade ?? 0))[0]
    const best = [...demo.report.setups].sort((a, b) => (b.meanUserGrade ?? 0) - (a.meanUserGrade ?? 0))[0]
    if (worst === undefined || best === undefined) throw new Error('empty report')
    expect(worst.bugs / worst.commits).toBeGreaterThan(3 * (best.bugs / best.commits))

    const again = await playDemo()
    expect(again.agents).toEqual(demo.agents)
    expect(again.report).toEqual(demo.report)
  })

  it('keeps to a folder of its own, and its history ends today', { timeout: 120_000 }, async () => {
    // A folder with a space in its name: the commands the demo suggests quote it.
    const folder = join(tempFolder('demo-dir-'), 'my demo')
    const played = await runCli(['demo', '--dir', folder])
    expect(played.code).toBe(0)
    expect(played.stdout).toContain(`  agent-tracker report --db '${folder}/agent-tracker.lmdb' --by week`)
    // The last week of the history is this week's.
    const week = jsonData((await runCli(['report', '--days', '7', '--db', `${folder}/agent-tracker.lmdb`, '--json'])).stdout, 'report') as DemoJson['report']
    expect(week.setups.reduce((sum, row) => sum + row.commits, 0)).toBeGreaterThan(0)
    // Run again into the same folder: refused, before anything is written.
    const before = (await runCli(['agents', '--db', `${folder}/agent-tracker.lmdb`, '--json'])).stdout
    const again = await runCli(['demo', '--dir', folder])
    expect(again.code).toBe(2)
    expect(again.stderr).toContain(`${folder} is not empty (an earlier demo, or files of yours). Give a new or empty folder, or remove that one first.`)
    expect((await runCli(['agents', '--db', `${folder}/agent-tracker.lmdb`, '--json'])).stdout).toBe(before)
  })
})
