import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { factLine, runCli, tempFolder } from './run-cli.js'

export const SONNET = 'build@anthropic/claude-sonnet-4-5'
export const GPT = 'build@openai/gpt-5'

/** A small history, fed through `ingest`: two real project folders, two setups, grades, a bug. */
export interface Seeded {
  readonly root: string
  readonly db: string
  readonly shop: string
  readonly api: string
}

export async function seedHistory(): Promise<Seeded> {
  const root = tempFolder('seed-')
  const db = join(root, 'tracker.lmdb')
  const shop = join(root, 'shop')
  const api = join(root, 'api')
  mkdirSync(shop)
  mkdirSync(api)
  writeFileSync(join(shop, 'package.json'), JSON.stringify({ dependencies: { react: '19' }, devDependencies: { typescript: '5' } }))
  writeFileSync(join(api, 'pyproject.toml'), '[project]\ndependencies = ["fastapi", "pydantic"]\n')
  const lines: string[] = []
  let minute = 0
  const at = (): string => new Date(Date.UTC(2026, 2, 2, 9) + (minute += 7) * 60_000).toISOString()
  for (let i = 1; i <= 6; i++) {
    const base = { setup: SONNET, project: shop, session: 'ses_a' }
    lines.push(factLine({ ...base, kind: 'tool_call', tool: 'bash', ok: i !== 3, at: at() }))
    lines.push(factLine({ ...base, kind: 'usage', tokens: { input: 2000, output: 500 }, cost: 0.05, at: at() }))
    lines.push(factLine({ ...base, kind: 'commit', hash: `5a${String(i)}b0c0ffee`, message: `shop change ${String(i)}`, at: at() }))
    if (i <= 5) lines.push(factLine({ ...base, kind: 'grade', commit: `5a${String(i)}b0c0ffee`, by: 'user', agentGrade: 'good', userGrade: i % 2 === 0 ? 'excellence' : 'good', at: at() }))
  }
  for (let i = 1; i <= 3; i++) {
    const base = { setup: GPT, project: api, session: 'ses_b' }
    lines.push(factLine({ ...base, kind: 'commit', hash: `9e${String(i)}d00dbeef`, message: `api change ${String(i)}`, at: at() }))
    lines.push(factLine({ ...base, kind: 'grade', commit: `9e${String(i)}d00dbeef`, by: 'user', userGrade: i === 2 ? 'bad' : 'neutral', at: at() }))
  }
  lines.push(factLine({ setup: GPT, project: api, kind: 'bug', by: 'user', commit: '9e2d00dbeef', note: 'webhook retried twice', at: at() }))
  lines.push(factLine({ setup: SONNET, project: shop, kind: 'activity', task: 'Stripe payment webhooks', actions: 'added idempotency keys', outcome: 'shipped', decisions: 'store event ids', at: at() }))
  lines.push(factLine({ setup: SONNET, project: shop, kind: 'retrospective', commit: '5a1b0c0ffee', task: 'Cart totals', agentNote: 'rounded in cents', at: at() }))
  const result = await runCli(['ingest', '--trust', '--db', db], { input: `${lines.join('\n')}\n` })
  if (result.code !== 0) throw new Error(`seeding failed: ${result.stdout}${result.stderr}`)
  return { root, db, shop, api }
}
