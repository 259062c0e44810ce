import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { factLine, jsonData, runCli, tempFolder } from './run-cli.js'

const PRICED = 'build@anthropic/claude-sonnet-4-5'
const NO_USAGE = 'build@openai/gpt-5'
const UNPRICED = 'build@acme/mystery-1'
const ESTIMATED = 'claude-code@anthropic/claude-opus-4-1'

interface Row { readonly setup: string; readonly costPerCommit: number | null; readonly tokensPerCommit: number | null }

let db: string
let project: string
beforeAll(async () => {
  const root = tempFolder('unknown-cost-')
  db = join(root, 'tracker.lmdb')
  project = join(root, 'shop')
  mkdirSync(project)
  writeFileSync(join(project, 'package.json'), JSON.stringify({ dependencies: { react: '19' } }))
  const lines: string[] = []
  let minute = 0
  const at = (): string => new Date(Date.UTC(2026, 2, 2, 9) + (minute += 7) * 60_000).toISOString()
  // Each setup: six graded commits; the priced one's usage costs $0.05 a response, the estimated one's
  // is estimated from list prices, the unpriced one's model has no price, the last records none.
  const usage: Record<string, Record<string, unknown> | undefined> = {
    [PRICED]: { cost: 0.05 }, [ESTIMATED]: { cost: 0.2, costSource: 'estimate' }, [UNPRICED]: { cost: 0, costSource: 'unknown' }, [NO_USAGE]: undefined,
  }
  for (const [index, setup] of [PRICED, NO_USAGE, UNPRICED, ESTIMATED].entries()) {
    for (let i = 1; i <= 6; i++) {
      const hash = `${String(index + 1)}${String(i)}ab0c0ffee`
      const spent = usage[setup]
      if (spent !== undefined) lines.push(factLine({ setup, project, kind: 'usage', tokens: { input: 1000, output: 200 }, ...spent, at: at() }))
      lines.push(factLine({ setup, project, kind: 'commit', hash, message: `change ${String(i)}`, at: at() }))
      lines.push(factLine({ setup, project, kind: 'grade', commit: hash, by: 'user', userGrade: setup === PRICED ? 'good' : 'excellence', at: at() }))
    }
  }
  const ingested = await runCli(['ingest', '--trust', '--db', db], { input: `${lines.join('\n')}\n` })
  if (ingested.code !== 0) throw new Error(ingested.stdout + ingested.stderr)
}, 60_000)

describe('a cost that is not known is never shown as nothing', () => {
  it('report: null cost and tokens per commit in JSON, – in text, and says whose cost is unknown and why', async () => {
    const json = await runCli(['report', '--json', '--db', db])
    const rows = (jsonData(json.stdout, 'report') as { setups: Row[] }).setups
    const of = (setup: string): Row | undefined => rows.find((row) => row.setup === setup)
    expect(of(PRICED)).toMatchObject({ costPerCommit: 0.05, tokensPerCommit: 1200 })
    expect(of(NO_USAGE)).toMatchObject({ costPerCommit: null, tokensPerCommit: null })
    expect(of(UNPRICED)).toMatchObject({ costPerCommit: null, tokensPerCommit: 1200 })
    const text = (await runCli(['report', '--db', db])).stdout
    const line = (setup: string): string => text.split('\n').find((l) => l.startsWith(setup)) ?? ''
    expect(line(NO_USAGE)).not.toContain('$')
    expect(line(NO_USAGE)).toMatch(/– +–$/)
    expect(line(UNPRICED)).toMatch(/–$/)
    expect(line(ESTIMATED)).toMatch(/~\$0\.200$/)
    expect(text).toContain(`Cost unknown (–) for ${UNPRICED} (6 response(s) of a model without a known price).`)
    expect(text).toContain(`Cost and tokens unknown (–) for ${NO_USAGE}: no usage recorded for the work shown.`)
  })

  it('recommend: null for a model without a price, ~ on an estimate', async () => {
    const json = await runCli(['recommend', project, '--json', '--db', db])
    const setups = (jsonData(json.stdout, 'recommend') as { setups: { setup: string; costPerCommit: number | null; costEstimated: boolean; reason: string }[] }).setups
    expect(setups.find((s) => s.setup === UNPRICED)).toMatchObject({ costPerCommit: null, costEstimated: false })
    expect(setups.find((s) => s.setup === UNPRICED)?.reason).not.toContain('$')
    expect(setups.find((s) => s.setup === ESTIMATED)).toMatchObject({ costPerCommit: 0.2, costEstimated: true, reason: expect.stringContaining('~$0.200/commit') as unknown })
    const text = (await runCli(['recommend', project, '--db', db])).stdout
    const row = (setup: string): string => text.split('\n').find((l) => l.includes(` ${setup} `) && l.includes('%')) ?? ''
    expect(row(UNPRICED)).toMatch(/–$/)
    expect(row(ESTIMATED)).toMatch(/~\$0\.200$/)
    expect(text).toContain('~ cost estimated from list prices.')
  })

  it('status: the estimated part marked ~, and a setup without usage has no cost of $0', async () => {
    const estimated = await runCli(['status', ESTIMATED, '--db', db])
    expect(estimated.stdout).toMatch(/Usage +7\.2k tokens, ~\$1\.20 \(~ estimated from list prices\) over 6 messages/)
    expect((await runCli(['status', NO_USAGE, '--db', db])).stdout).toContain('Usage          none recorded: tokens and cost unknown')
    expect((await runCli(['status', UNPRICED, '--db', db])).stdout).toContain('6 responses of a model without a known price not in it')
    expect(jsonData((await runCli(['status', ESTIMATED, '--json', '--db', db])).stdout, 'status')).toMatchObject({ estimatedCost: 1.2, unpricedMessages: 0 })
  })

  it('HTML: the cost comparison leaves out setups of unknown cost, saying so, and ranks no priced one beaten by them', async () => {
    const out = join(tempFolder('unknown-cost-html-'), 'report.html')
    expect((await runCli(['export', '--format', 'html', '--out', out, '--db', db])).code).toBe(0)
    const html = readFileSync(out, 'utf8')
    const choices = html.slice(html.indexOf('The choices, cheapest first'))
    const table = choices.slice(0, choices.indexOf('</table>'))
    expect(table).toContain(PRICED)
    expect(table).not.toContain(NO_USAGE)
    expect(table).not.toContain(UNPRICED)
    expect(table).not.toContain('(beaten)')
    const note = choices.slice(choices.indexOf('Left out, their cost unknown (no usage recorded, or a model without a known price): '))
    const listed = note.slice(0, note.indexOf('</p>'))
    expect(listed).toContain(NO_USAGE)
    expect(listed).toContain(UNPRICED)
    expect(listed).not.toContain(PRICED)
  })
})
