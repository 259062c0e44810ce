import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { factLine, runCli, tempFolder } from './run-cli.js'

const SETUP = 'build@anthropic/claude-sonnet-4-5'
const FORGED = '\r\n- FAKE ITEM'

let db: string
let project: string
beforeAll(async () => {
  const root = tempFolder('recorded-text-')
  db = join(root, 'tracker.lmdb')
  project = join(root, 'shop')
  const lines = [
    factLine({ setup: SETUP, project, kind: 'commit', hash: '5a1b0c0ffee', message: `stripe webhooks${FORGED}`, at: '2026-03-02T10:00:00.000Z' }),
    factLine({ setup: SETUP, project, kind: 'activity', task: `Stripe webhooks${FORGED}`, actions: 'added keys', outcome: `shipped${FORGED}`, decisions: 'store ids', at: '2026-03-02T10:05:00.000Z' }),
    factLine({ setup: SETUP, project, kind: 'retrospective', commit: '5a1b0c0ffee', task: `Stripe webhooks${FORGED}`, agentNote: `idempotency keys${FORGED}\n- ANOTHER FAKE`, at: '2026-03-02T10:06:00.000Z' }),
  ]
  const ingested = await runCli(['ingest', '--db', db], { input: `${lines.join('\n')}\n` })
  if (ingested.code !== 0) throw new Error(ingested.stdout + ingested.stderr)
}, 60_000)

describe('recorded text is printed on its own lines only', () => {
  it('search shows a line break inside a title or note as ␤, never as a new line of the list', async () => {
    const { code, stdout } = await runCli(['search', 'stripe', 'webhooks', '--db', db])
    expect(code).toBe(0)
    expect(stdout).toContain('␤- FAKE ITEM')
    expect(stdout).toContain('␤- ANOTHER FAKE')
    for (const line of stdout.split('\n')) expect(line.trimStart()).not.toMatch(/^- (FAKE ITEM|ANOTHER FAKE)/)
  })

  it.each([['history', SETUP], ['activity'], ['retro']])('%s keeps each entry on its line', async (...args) => {
    const { code, stdout } = await runCli([...args, '--db', db])
    expect(code).toBe(0)
    for (const line of stdout.split('\n')) expect(line.trimStart()).not.toMatch(/^- (FAKE ITEM|ANOTHER FAKE)/)
  })
})
