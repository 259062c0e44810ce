import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import type { AgentStatus, PriorArtAnswer } from '@agent-tracker/core'
import { formatStatusLine } from '@agent-tracker/core'
import type { Io } from '@agent-tracker/cli'
import { main } from '@agent-tracker/cli'
import { describe, expect, it } from 'vitest'
import { SETUP, gitRepository, startPlugin, tempFolder } from './plugin-fixture.js'

const OTHER = 'build@openai/gpt-5'

/** Runs the CLI in this process, as a user would in `cwd`; returns its exit code and output. */
async function cli(args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const io: Io = {
    stdout: { write: (text: string) => (stdout += text), isTTY: false },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    stdin: Readable.from([]),
    env: { HOME: cwd, NO_COLOR: '1' },
    cwd,
    homeDir: cwd,
  }
  const code = await main(args, io)
  return { code, stdout, stderr }
}

/** The hits the plugin's prior-art text lists, section by section. */
function listed(text: string): { patterns: string[]; mistakes: string[] } {
  const [patterns = '', mistakes = ''] = text.split(/^Mistakes to avoid \(\d+\):$/m)
  const lines = (section: string): string[] => section.split('\n').filter((line) => line.startsWith('- '))
  return { patterns: lines(patterns), mistakes: lines(mistakes) }
}

/**
 * Two projects recorded only through `ingest` (so with no stored profile) next to the plugin's
 * project: a storefront of the same scope (a web app) and a billing API of another.
 */
async function ingestOtherProjects(root: string, databasePath: string): Promise<void> {
  const storefront = join(root, 'storefront')
  const billing = join(root, 'billing-api')
  mkdirSync(storefront)
  mkdirSync(billing)
  writeFileSync(join(storefront, 'package.json'), JSON.stringify({ dependencies: { next: '16', react: '19' }, devDependencies: { typescript: '5' } }))
  writeFileSync(join(billing, 'pyproject.toml'), '[project]\ndependencies = ["fastapi", "stripe"]\n')
  const at = (day: number): string => `2026-03-${String(day).padStart(2, '0')}T10:00:00.000Z`
  const facts = [
    { kind: 'commit', project: storefront, hash: 'aaa1111', message: 'Checkout payment webhooks', at: at(2) },
    { kind: 'grade', project: storefront, commit: 'aaa1111', by: 'user', userGrade: 'good', userNote: 'webhook handler is idempotent', at: at(3) },
    { kind: 'commit', project: billing, hash: 'bbb2222', message: 'Payment webhooks: verify webhook signatures', at: at(4) },
    { kind: 'grade', project: billing, commit: 'bbb2222', by: 'user', userGrade: 'excellence', at: at(5) },
    { kind: 'bug', project: billing, by: 'user', commit: 'bbb2222', note: 'payment webhook retried twice', at: at(6) },
    { kind: 'activity', project: billing, task: 'Payment webhook replay', outcome: 'failed: replays broke the ledger', at: at(7) },
  ].map((fact) => JSON.stringify({ setup: OTHER, ...fact }))
  writeFileSync(join(root, 'facts.jsonl'), `${facts.join('\n')}\n`)
  const ingested = await cli(['ingest', '--trust', '--file', 'facts.jsonl', '--db', databasePath], root)
  expect(ingested.code, ingested.stdout + ingested.stderr).toBe(0)
}

describe('the plugin and the CLI', () => {
  it('give the same answer to the same questions: prior art and a setup’s status', async () => {
    const root = tempFolder('same-answers-')
    const databasePath = join(root, 'tracker.lmdb')
    await ingestOtherProjects(root, databasePath)
    const project = gitRepository(join(root, 'shop'), { 'package.json': JSON.stringify({ dependencies: { react: '19' }, devDependencies: { typescript: '5' } }) })
    const plugin = await startPlugin({ project, databasePath })
    await plugin.chat('ses_1')
    await plugin.bash('ses_1', "git commit -q --allow-empty -m 'feat: payment webhooks for the shop'")
    await plugin.command('ses_1', 'grade', 'excellence')
    await plugin.agentTool('ses_1', 'tracker_log_activity', { task: 'Stripe payment webhooks', actions: 'added a webhook endpoint', outcome: 'shipped' })
    await plugin.event('session.idle', {})
    const toolAnswer = await plugin.agentTool('ses_1', 'tracker_prior_art', { task: 'payment webhooks' })
    const toolStatus = await plugin.agentTool('ses_1', 'tracker_status', {})
    await plugin.dispose()

    const search = await cli(['search', 'payment', 'webhooks', '--project', project, '--limit', '5', '--json', '--db', databasePath], root)
    expect(search.code, search.stderr).toBe(0)
    const answer = (JSON.parse(search.stdout) as { data: PriorArtAnswer }).data
    // The question reaches every project, and the ingested storefront counts as the same scope
    // only because its folder was profiled on the fly; its note names webhooks once more.
    expect(answer.scope).toBe('web-app')
    expect(answer.patterns.map((hit) => [hit.title, hit.scope])).toEqual([
      ['Checkout payment webhooks', 'same'],
      ['feat: payment webhooks for the shop', 'same'],
      ['Stripe payment webhooks', 'same'],
    ])
    expect(answer.mistakes.map((hit) => hit.title)).toEqual(expect.arrayContaining(['payment webhook retried twice', 'Payment webhook replay']))
    const shown = listed(toolAnswer)
    expect(shown.patterns.map((line, index) => line.startsWith(`- ${answer.patterns[index]?.title ?? '?'}`))).toEqual(answer.patterns.map(() => true))
    expect(shown.mistakes.map((line, index) => line.startsWith(`- ${answer.mistakes[index]?.title ?? '?'}`))).toEqual(answer.mistakes.map(() => true))

    const status = await cli(['status', SETUP, '--json', '--db', databasePath], root)
    expect(status.code, status.stderr).toBe(0)
    expect(toolStatus).toBe(formatStatusLine((JSON.parse(status.stdout) as { data: AgentStatus }).data))
    expect(toolStatus).toContain(`${SETUP} · SP 1.0`)
  })

  it('describe a suspected bug’s fix alike: /bug and agent-tracker bug, with and without the fix’s details', async () => {
    const root = tempFolder('same-fixes-')
    const databasePath = join(root, 'tracker.lmdb')
    const project = gitRepository(join(root, 'shop'))
    const commit = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'
    const suspect = (source: string, details: Record<string, unknown>): Record<string, unknown> => ({ kind: 'evidence', setup: SETUP, project, signal: 'suspected-bug', commit, source, at: '2026-03-02T10:00:00.000Z', ...details })
    const facts = [
      { kind: 'commit', setup: SETUP, project, hash: commit, message: 'feat: cart', at: '2026-03-01T10:00:00.000Z' },
      suspect('f00dfeed'.padEnd(40, '1'), { subject: 'fix: totals', files: ['cart.ts'], lines: 2 }),
      suspect('beefcafe'.padEnd(40, '2'), {}),
    ]
    writeFileSync(join(root, 'facts.jsonl'), `${facts.map((fact) => JSON.stringify(fact)).join('\n')}\n`)
    const ingested = await cli(['ingest', '--file', 'facts.jsonl', '--db', databasePath], root)
    expect(ingested.code, ingested.stdout + ingested.stderr).toBe(0)
    const plugin = await startPlugin({ project, databasePath })
    const listing = await plugin.command('ses_1', 'bug')
    await plugin.dispose()
    const bug = await cli(['bug', '--db', databasePath], root)
    expect(bug.code, bug.stderr).toBe(0)

    /** What each listing says after a fix's short hash, by that hash. */
    const fixes = (text: string): Record<string, string> => Object.fromEntries([...text.matchAll(/fix ([0-9a-f]{8})(.*)$/gm)].map((match): [string, string] => [match[1] ?? '', match[2] ?? '']))
    expect(fixes(listing)).toEqual({ f00dfeed: ' "fix: totals" changed 2 of its lines', beefcafe: '' })
    expect(fixes(bug.stdout)).toEqual(fixes(listing))
  })
})
