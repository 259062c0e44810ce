import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Rollout, Transcript, assistant, bashPart, opencodeDatabase } from '@agent-tracker/host-import/testing'
import { describe, expect, it } from 'vitest'
import { jsonData, runCli, runCliAtTerminal, tempFolder } from './run-cli.js'

/** A home folder holding the history of all three hosts where they keep it by default. */
function homeWithHistory(): string {
  const home = tempFolder('home-')
  new Transcript('s-claude', '/work/shop').prompt('do it').call('toolu_1', 'Bash', { command: "git commit -m 'feat: cart'" }, { content: '[main abcdef1] feat: cart' }).call('toolu_2', 'Bash', { command: 'false' }, { content: 'Exit code 1', isError: true })
    .write(join(home, '.claude', 'projects', '-work-shop', 's-claude.jsonl'), '{"cut')
  new Rollout('t-codex', '/work/api').exec('call_1', 'ls', 'a\n', 0).write(join(home, '.codex', 'sessions', '2026', '11', '29', 'rollout-2026-11-29T05-03-29-t-codex.jsonl'))
  const data = join(home, '.local', 'share', 'opencode')
  mkdirSync(data, { recursive: true })
  opencodeDatabase(join(data, 'opencode.db'), [{ id: 'ses_1', directory: '/work/web', messages: [{ id: 'msg_1', data: assistant('build', { cost: 0.25 }), parts: [{ id: 'prt_1', data: bashPart('call_1', 'echo hi', 'hi', 0) }] }] }])
  return home
}

describe('agent-tracker import', () => {
  it('brings in every history found, and says per source what it read and what was new', async () => {
    const home = homeWithHistory()
    const imported = await runCli(['import', '--json'], { home })
    expect(imported.code).toBe(0)
    const result = jsonData(imported.stdout, 'import') as { dryRun: boolean; sources: { source: string; setups: string[]; toolCalls: number; toolFailures: number; messages: number; cost: number; estimatedCost: number; imported: number; problemCount: number }[]; notFound: unknown[] }
    expect(result.dryRun).toBe(false)
    expect(result.notFound).toEqual([])
    expect(result.sources.map(({ source, setups, toolCalls, toolFailures, messages, problemCount }) => ({ source, setups, toolCalls, toolFailures, messages, problemCount }))).toEqual([
      { source: 'opencode', setups: ['build@fake/m1'], toolCalls: 1, toolFailures: 0, messages: 1, problemCount: 0 },
      { source: 'claude-code', setups: ['claude-code@anthropic/claude-opus-4-8'], toolCalls: 2, toolFailures: 1, messages: 2, problemCount: 1 },
      { source: 'codex', setups: ['codex@openai/gpt-5-codex'], toolCalls: 1, toolFailures: 0, messages: 1, problemCount: 0 },
    ])
    expect(result.sources[0]).toMatchObject({ cost: 0.25, estimatedCost: 0 })
    expect(result.sources[1]?.estimatedCost).toBeCloseTo(2 * 0.0013275, 10)
    const report = await runCli(['report'], { home })
    expect(report.stdout).toMatch(/claude-code@anthropic\/claude-opus-4-8 .* ~\$0\.003\n/)
    expect(report.stdout).toContain('~ cost includes estimates from list prices, where the agent host recorded no cost (Claude Code, Codex).')
    const agents = await runCli(['agents', '--json'], { home })
    expect((jsonData(agents.stdout, 'agents') as { status: { setup: string } }[]).map((row) => row.status.setup).sort()).toEqual(['build@fake/m1', 'claude-code@anthropic/claude-opus-4-8', 'codex@openai/gpt-5-codex'])
  })

  it('prints a summary per source, with the lines it skipped by file and line', async () => {
    const home = homeWithHistory()
    const imported = await runCli(['import', 'claude-code'], { home })
    expect(imported.code).toBe(0)
    const file = join(home, '.claude', 'projects', '-work-shop', 's-claude.jsonl')
    expect(imported.stdout).toContain(`Claude Code (${join(home, '.claude', 'projects')})\n  1 session · 1 setup: claude-code@anthropic/claude-opus-4-8\n  2 tool calls (1 failed) · 1 commit · 0 pushes\n  2 responses · 200 input, 40 output, 60 cache-read tokens · <$0.01 (<$0.01 of it estimated from list prices)\n`)
    expect(imported.stdout).toContain(`  1 part could not be read and was skipped:\n    ${file}:7: the last line is incomplete (the file may still be being written); it was left out`)
    expect(imported.stdout).not.toContain('OpenCode')
  })

  it('takes only what happened since --since, and shows its progress on a terminal', async () => {
    const home = homeWithHistory()
    // A clock past the start: a --since after now would be an empty window (a usage error).
    const later = await runCli(['import', '--since', '2099-01-01', '--json'], { home, now: new Date('2100-01-01T00:00:00.000Z') })
    expect(later.code).toBe(0)
    const result = jsonData(later.stdout, 'import') as { since: string; sources: { source: string; facts: number }[] }
    expect(result.since).toBe('2099-01-01T00:00:00.000Z')
    expect(result.sources.map(({ source, facts }) => [source, facts])).toEqual([['opencode', 0], ['claude-code', 0], ['codex', 0]])
    expect(await runCli(['import', '--since', 'last tuesday'], { home })).toMatchObject({ code: 2 })
    const shown = await runCliAtTerminal(['import', 'claude-code'], { home })
    expect(shown.code).toBe(0)
    expect(shown.stdout).toMatch(/Importing \[=+\] 1\/1 Claude Code/)
    expect(shown.stdout).toContain('1 session · 1 setup: claude-code@anthropic/claude-opus-4-8')
  })

  it('refuses a fact more than a day ahead of now, as ingest does: reported by file and line, the rest imported', async () => {
    const home = tempFolder('home-')
    const db = join(tempFolder(), 't.lmdb')
    // A call the day before (lines 1 and 2), then one whose response came at 2099-01-01T10:00:00.000Z (a clock set wrong, line 3), its result a line later.
    const transcript = new Transcript('s1', '/work/shop', { startAt: '2026-11-30T09:00:00.000Z' })
      .call('toolu_1', 'Read', { file_path: '/work/shop/a.ts' }, { content: 'a' })
      .pause(Date.parse('2099-01-01T09:59:59.750Z') - Date.parse('2026-11-30T09:00:00.500Z'))
      .call('toolu_2', 'Read', { file_path: '/work/shop/b.ts' }, { content: 'b' })
      .write(join(home, '.claude', 'projects', 'x', 's1.jsonl'))
    const now = new Date('2026-12-01T12:00:00.000Z')
    const run = await runCli(['import', 'claude-code', '--db', db, '--no-evidence', '--json'], { home, now })
    expect(run.code).toBe(0)
    const accepted = 'accepted is a time from 1970-01-01T00:00:00.000Z to a day after now (2026-12-02T12:00:00.000Z). Skipped.'
    expect(jsonData(run.stdout, 'import')).toMatchObject({ sources: [{ toolCalls: 1, messages: 1, facts: 2, imported: 2, problemCount: 2, problems: [
      { file: transcript, line: 4, reason: `Invalid tool_call fact: field "at" is "2099-01-01T10:00:00.250Z"; ${accepted}` },
      { file: transcript, line: 3, reason: `Invalid usage fact: field "at" is "2099-01-01T10:00:00.000Z"; ${accepted}` },
    ] }] })
    // Nothing of 2099 reached the setup or the day rollups.
    const exported = JSON.parse((await runCli(['export', '--format', 'json', '--db', db], { home, now })).stdout) as { collections: { setups: { lastSeenAt: string }[]; usage: { day: string }[] } }
    expect(exported.collections.setups.map((setup) => setup.lastSeenAt)).toEqual(['2026-11-30T09:00:00.500Z'])
    expect(exported.collections.usage.map((day) => day.day)).toEqual(['2026-11-30'])
    const text = await runCli(['import', 'claude-code', '--db', db, '--no-evidence'], { home, now })
    expect(text.stdout).toContain(`  2 parts could not be read and were skipped:\n    ${transcript}:4: Invalid tool_call fact: field "at" is "2099-01-01T10:00:00.250Z"; ${accepted}\n    ${transcript}:3: Invalid usage fact`)
  })

  it('writes nothing on a dry run, not even a new database', async () => {
    const home = homeWithHistory()
    const dry = await runCli(['import', '--dry-run'], { home })
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain('would be new')
    expect(existsSync(join(home, '.config', 'opencode', 'agent-tracker.lmdb'))).toBe(false)
  })

  it('reads a history elsewhere with --from, and says where it looked when there is none', async () => {
    const home = tempFolder('home-')
    const nothing = await runCli(['import'], { home })
    expect(nothing.code).toBe(1)
    expect(nothing.stdout).toContain(`No agent history found to import: looked in ${join(home, '.local', 'share', 'opencode', 'opencode*.db')}`)
    // As JSON, the paths looked in are a list, as in notFound.
    const json = await runCli(['import', '--json'], { home })
    expect(jsonData(json.stdout, 'import')).toMatchObject({ sources: [], searched: expect.arrayContaining([join(home, '.local', 'share', 'opencode', 'opencode*.db')]) as unknown })
    const backup = tempFolder('backup-')
    new Rollout('t9', '/work/x').exec('call_1', 'ls', '', 0).write(join(backup, 'rollout-old.jsonl'))
    const from = await runCli(['import', 'codex', '--from', backup, '--json'], { home })
    expect(jsonData(from.stdout, 'import')).toMatchObject({ sources: [{ source: 'codex', toolCalls: 1 }] })
  })

  it('fails (exit 1) when nothing could be read, and refuses an unknown source or --from without one (exit 2)', async () => {
    const home = tempFolder('home-')
    const data = join(home, '.local', 'share', 'opencode')
    mkdirSync(data, { recursive: true })
    writeFileSync(join(data, 'opencode.db'), 'garbage'.repeat(1000))
    const corrupt = await runCli(['import', 'opencode'], { home })
    expect(corrupt.code).toBe(1)
    expect(corrupt.stdout).toContain(`${join(data, 'opencode.db')}: not a readable SQLite database (file is not a database)`)
    expect(await runCli(['import', 'cursor'], { home })).toMatchObject({ code: 2, stderr: expect.stringContaining('Unknown source "cursor": accepted are all, opencode, claude-code, codex.') as unknown })
    expect(await runCli(['import', '--from', data], { home })).toMatchObject({ code: 2 })
    // A --from that is not there is said so, not searched for history.
    const missing = join(home, 'no-backup-here')
    expect(await runCli(['import', 'claude-code', '--from', missing], { home })).toMatchObject({ code: 2, stderr: expect.stringContaining(`--from ${missing}: ${missing} does not exist. Give the folder or file that holds Claude Code's history.`) as unknown })
  })

  it('is offered by init when the machine holds agent history, and not otherwise', async () => {
    const home = homeWithHistory()
    const offered = await runCli(['init', '--global'], { home })
    expect(offered.stdout).toMatch(/agent-tracker import +bring in the OpenCode, Claude Code, Codex history already on this machine \(try --dry-run first\)/)
    expect(jsonData((await runCli(['init', '--global', '--json'], { home })).stdout, 'init')).toMatchObject({ changed: false, importable: ['opencode', 'claude-code', 'codex'] })
    expect((await runCli(['init', '--global'], { home: tempFolder('home-') })).stdout).not.toContain('history already on this machine')
  })

  it('reads the git history of the projects it imported for evidence: the human fix of an imported agent commit is a suspected bug, once', async () => {
    const git = (folder: string, ...args: string[]): string => execFileSync('git', args, { cwd: folder, encoding: 'utf8' }).trim()
    const commit = (folder: string, message: string, file: string, content: string): string => {
      writeFileSync(join(folder, file), content)
      git(folder, 'add', '-A')
      git(folder, 'commit', '-q', '-m', message)
      return git(folder, 'rev-parse', 'HEAD')
    }
    const home = tempFolder('home-')
    const repo = join(tempFolder('projects-'), 'shop')
    mkdirSync(repo)
    git(repo, 'init', '-q', '-b', 'main')
    git(repo, 'config', 'user.email', 'dev@example.com')
    git(repo, 'config', 'user.name', 'Dev')
    commit(repo, 'initial', 'README.md', '# shop\n')
    const agent = commit(repo, 'Add the cart total', 'cart.js', 'export function total(items) {\n  return items.length\n}\n')
    const fix = commit(repo, 'fix: the total sums prices', 'cart.js', 'export function total(items) {\n  return items.reduce((sum, item) => sum + item.price, 0)\n}\n')
    new Transcript('s-cart', repo).prompt('add a cart total')
      .call('toolu_1', 'Bash', { command: "git commit -m 'Add the cart total'" }, { content: `[main ${agent.slice(0, 7)}] Add the cart total\n 1 file changed, 3 insertions(+)` })
      .write(join(home, '.claude', 'projects', repo.replaceAll('/', '-'), 's-cart.jsonl'))
    // A session that made no commit: its folder (gone, too) is not read for evidence.
    new Transcript('s-gone', '/work/gone').prompt('x').write(join(home, '.claude', 'projects', '-work-gone', 's-gone.jsonl'))

    const first = await runCli(['import', 'claude-code', '--json'], { home })
    expect(first.code).toBe(0)
    const imported = jsonData(first.stdout, 'import') as { sources: { projects: string[] }[]; evidence: { scans: { project: string; tracked: number; suspectedBugs: number; recorded: number }[]; skipped: unknown[] } }
    expect(imported.sources[0]?.projects).toEqual([repo])
    expect(imported.evidence.scans).toEqual([expect.objectContaining({ project: repo, tracked: 1, suspectedBugs: 1, recorded: 1 })])
    const pending = jsonData((await runCli(['bug', '--json'], { home })).stdout, 'bug') as { pending: { commit: string; source: string }[] }
    expect(pending.pending).toEqual([expect.objectContaining({ commit: agent, source: fix })])

    // Again: the facts are repeats, and the incremental scan finds nothing new.
    const again = jsonData((await runCli(['import', 'claude-code', '--json'], { home })).stdout, 'import') as typeof imported
    expect(again.evidence.scans).toEqual([expect.objectContaining({ project: repo, recorded: 0 })])
    const text = await runCli(['import', 'claude-code'], { home })
    expect(text.stdout).toContain('Evidence from git: 1 project read')
    // --no-evidence leaves git alone.
    const without = jsonData((await runCli(['import', 'claude-code', '--no-evidence', '--json'], { home })).stdout, 'import') as Partial<typeof imported>
    expect(without.evidence).toBeUndefined()
  })
})
