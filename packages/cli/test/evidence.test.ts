import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { factLine, jsonData, jsonError, runCli, tempFolder } from './run-cli.js'

const SONNET = 'build@anthropic/claude-sonnet-4-5'

function git(folder: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: folder, encoding: 'utf8' }).trim()
}

function commitFiles(folder: string, message: string, files: Record<string, string>): string {
  for (const [file, content] of Object.entries(files)) writeFileSync(join(folder, file), content)
  git(folder, 'add', '-A')
  git(folder, 'commit', '-q', '-m', message)
  return git(folder, 'rev-parse', 'HEAD')
}

/** A repository with an agent commit (tracked through ingest) and a human fix of one of its lines. */
async function agentCommitThenFix(): Promise<{ db: string; repo: string; agentCommit: string; fix: string }> {
  const root = tempFolder('evidence-cli-')
  const repo = join(root, 'shop')
  mkdirSync(repo)
  git(repo, 'init', '-q', '-b', 'main')
  git(repo, 'config', 'user.email', 'dev@example.com')
  git(repo, 'config', 'user.name', 'Dev')
  commitFiles(repo, 'initial', { 'README.md': '# shop\n' })
  const agentCommit = commitFiles(repo, 'Add the cart total', { 'cart.js': 'export function total(items) {\n  return items.length\n}\n' })
  const db = join(root, 'tracker.lmdb')
  const ingested = await runCli(['ingest', '--db', db], { input: factLine({ kind: 'commit', setup: SONNET, project: repo, hash: agentCommit, message: 'Add the cart total' }) })
  expect(ingested.code).toBe(0)
  const fix = commitFiles(repo, 'fix: the total sums prices', { 'cart.js': 'export function total(items) {\n  return items.reduce((sum, item) => sum + item.price, 0)\n}\n' })
  return { db, repo, agentCommit, fix }
}

interface EvidenceOutput {
  scans: { recorded: number; mode: string }[]
  setups: { setup: string; commits: number; suspectedBugs: number; pending: number; confirmed: number }[]
  pending: { handle: string; commit: string; source: string }[]
}

describe('agent-tracker evidence and bug --confirm', () => {
  it('lists suspected bugs newest first up to --limit, and evidence without the fix\'s details without empty quotes', async () => {
    const root = tempFolder('evidence-limit-')
    const db = join(root, 'tracker.lmdb')
    const project = join(root, 'shop')
    const lines = ['a1', 'b2', 'c3'].map((suffix, index) => [
      factLine({ kind: 'commit', setup: SONNET, project, hash: suffix.padEnd(40, '0'), message: `change ${suffix}`, at: `2026-10-0${String(index + 1)}T10:00:00.000Z` }),
      factLine({ kind: 'evidence', setup: SONNET, project, signal: 'suspected-bug', commit: suffix.padEnd(40, '0'), source: `f${suffix}`.padEnd(40, 'f'), at: `2026-10-1${String(index + 1)}T10:00:00.000Z` }),
    ]).flat()
    expect((await runCli(['ingest', '--db', db], { input: `${lines.join('\n')}\n` })).code).toBe(0)
    const text = (await runCli(['evidence', '--list', '--limit', '1', '--db', db], { cwd: root })).stdout
    expect(text).toContain(`c300000-fc3ffff  ${SONNET}: c3000000 — fix fc3fffff 2026-10-13`)
    expect(text).not.toContain('b200000-')
    expect(text).not.toContain('""')
    expect(text).toContain('… and 2 more (--limit 3 shows them all)')
    // `bug` lists them the same way: no empty subject, no "0 of its lines".
    const waiting = (await runCli(['bug', '--db', db], { cwd: root })).stdout
    expect(waiting).toContain(`c300000-fc3ffff  ${SONNET}: commit c3000000, fix fc3fffff\n`)
    expect(waiting).not.toContain('""')
    const json = jsonData((await runCli(['evidence', '--list', '--limit', '2', '--db', db, '--json'], { cwd: root })).stdout, 'evidence') as EvidenceOutput & { pendingCount: number }
    expect(json.pending.map((record) => record.handle)).toEqual(['c300000-fc3ffff', 'b200000-fb2ffff'])
    expect(json.pendingCount).toBe(3)
  })

  it('scans the named folders that are repositories, and names the others (exit 1) instead of showing nothing', async () => {
    const { db, repo } = await agentCommitThenFix()
    const empty = join(tempFolder(), 'empty')
    mkdirSync(empty)
    git(empty, 'init', '-q', '-b', 'main')
    const run = await runCli(['evidence', repo, empty, '--db', db, '--json'])
    expect(run.code).toBe(1)
    const result = jsonData(run.stdout, 'evidence') as EvidenceOutput & { skipped: { project: string; code: string; reason: string }[] }
    expect(result.scans).toHaveLength(1)
    expect(result.setups).toEqual([expect.objectContaining({ setup: SONNET, suspectedBugs: 1 })])
    expect(result.skipped).toEqual([{ project: empty, code: 'NOT_A_REPOSITORY', reason: 'not a git repository with a commit' }])
    expect((await runCli(['evidence', repo, empty, '--db', db])).stdout).toContain(`${empty}: skipped, not a git repository with a commit.`)
  })

  it('scans the other folders when git fails in one of them, and names it (exit 1)', async () => {
    const { db, repo } = await agentCommitThenFix()
    const second = await agentCommitThenFix()
    // A blob of the fix's parent gone (a damaged repository): blaming the fix fails in git.
    const blob = git(second.repo, 'rev-parse', `${second.agentCommit}:cart.js`)
    rmSync(join(second.repo, '.git', 'objects', blob.slice(0, 2), blob.slice(2)))
    expect((await runCli(['ingest', '--db', db], { input: factLine({ kind: 'commit', setup: SONNET, project: second.repo, hash: second.agentCommit, message: 'Add the cart total' }) })).code).toBe(0)
    const run = await runCli(['evidence', second.repo, repo, '--db', db, '--json'])
    expect(run.code).toBe(1)
    const result = jsonData(run.stdout, 'evidence') as EvidenceOutput & { skipped: { project: string; code: string; reason: string }[] }
    expect(result.scans).toHaveLength(1)
    expect(result.skipped).toEqual([{ project: second.repo, code: 'GIT_FAILED', reason: expect.stringMatching(/^unreadable: git .* failed in /) as unknown }])
    // Alone, the folder's failure is the command's error.
    const alone = await runCli(['evidence', second.repo, '--db', db, '--json'])
    expect([alone.code, jsonError(alone.stdout).code]).toEqual([1, 'GIT_FAILED'])
  })

  it('leaves a shallow clone alone, whose cut-off history blames every older line on its oldest commit, until it is unshallowed', async () => {
    const { db, repo, fix } = await agentCommitThenFix()
    // A clone of the last commit only, where the agent made it, and a human fix of a line of the README.
    const clone = join(tempFolder('shallow-'), 'shop')
    git(repo, 'clone', '-q', '--depth', '1', `file://${repo}`, clone)
    git(clone, 'config', 'user.email', 'dev@example.com')
    git(clone, 'config', 'user.name', 'Dev')
    expect((await runCli(['ingest', '--db', db], { input: factLine({ kind: 'commit', setup: SONNET, project: clone, hash: fix, message: 'fix: the total sums prices' }) })).code).toBe(0)
    commitFiles(clone, 'fix: the title', { 'README.md': '# Shop\n' })
    // Blame there takes the agent's commit, the cut-off point, for the README's author: a false suspected bug.
    const refused = await runCli(['evidence', clone, '--db', db, '--json'])
    expect(refused.code).toBe(1)
    expect(jsonError(refused.stdout)).toEqual({ code: 'SHALLOW_CLONE', message: `${clone} is a shallow clone (git fetch --unshallow there, then scan again); evidence comes from a project's whole git history.` })
    const here = await runCli(['evidence', '--db', db], { cwd: clone })
    expect(here.code).toBe(1)
    expect(here.stderr).toContain(`${clone} is a shallow clone: its history is cut off, and blame would take its oldest fetched commits for the authors of every older line.`)
    // Beside a repository that can be read, the shallow clone is named and the other scanned.
    const both = jsonData((await runCli(['evidence', repo, clone, '--db', db, '--json'])).stdout, 'evidence') as EvidenceOutput & { skipped: unknown[] }
    expect(both.skipped).toEqual([{ project: clone, code: 'SHALLOW_CLONE', reason: 'a shallow clone (git fetch --unshallow there, then scan again)' }])
    expect(both.scans).toHaveLength(1)
    git(clone, 'fetch', '-q', '--unshallow')
    const whole = jsonData((await runCli(['evidence', clone, '--db', db, '--json'])).stdout, 'evidence') as EvidenceOutput & { scans: { commitsRead: number; suspectedBugs: number }[] }
    expect(whole.scans).toEqual([expect.objectContaining({ mode: 'full', commitsRead: 4, suspectedBugs: 0 })])
  })

  it('finds the suspected bug, confirms it into a bug once, and records nothing on a rerun', async () => {
    const { db, repo, agentCommit, fix } = await agentCommitThenFix()
    const first = await runCli(['evidence', repo, '--db', db, '--json'])
    expect(first.code).toBe(0)
    const found = jsonData(first.stdout, 'evidence') as EvidenceOutput
    expect(found.setups).toEqual([expect.objectContaining({ setup: SONNET, commits: 1, suspectedBugs: 1, pending: 1 })])
    expect(found.pending).toEqual([expect.objectContaining({ handle: `${agentCommit.slice(0, 7)}-${fix.slice(0, 7)}`, commit: agentCommit, source: fix })])

    const text = await runCli(['evidence', repo, '--db', db, '--list'])
    expect(text.stdout).toContain(`${agentCommit.slice(0, 7)}-${fix.slice(0, 7)}  ${SONNET}`)
    expect(text.stdout).toContain('changed 1 of its lines in cart.js')
    expect((await runCli(['bug', '--db', db])).stdout).toContain('Suspected bugs waiting for your verdict (1):')

    const before = jsonData((await runCli(['status', SONNET, '--db', db, '--json'])).stdout, 'status') as { state: { skillPoints: number; bugs: number } }
    const handle = found.pending[0]?.handle ?? ''
    const confirmed = await runCli(['bug', '--confirm', handle, '--db', db])
    expect(confirmed.code).toBe(0)
    expect(confirmed.stdout).toContain(`Confirmed suspected bug ${handle}`)
    const after = jsonData((await runCli(['status', SONNET, '--db', db, '--json'])).stdout, 'status') as { state: { skillPoints: number; bugs: number } }
    expect(after.state).toMatchObject({ bugs: before.state.bugs + 1, skillPoints: before.state.skillPoints - 1 })

    const again = jsonData((await runCli(['evidence', repo, '--db', db, '--json'])).stdout, 'evidence') as EvidenceOutput
    expect(again.scans).toEqual([expect.objectContaining({ mode: 'incremental', recorded: 0 })])
    expect(again.setups).toEqual([expect.objectContaining({ suspectedBugs: 1, pending: 0, confirmed: 1 })])
    const report = jsonData((await runCli(['report', '--db', db, '--json'])).stdout, 'report') as { evidence: { setup: string; commits: number; suspectedBugs: number; suspectedBugsPerCommit: number }[] }
    expect(report.evidence).toEqual([expect.objectContaining({ setup: SONNET, commits: 1, suspectedBugs: 1, suspectedBugsPerCommit: 1 })])
    const reportText = (await runCli(['report', '--db', db])).stdout
    expect(reportText).toContain('Git evidence (all time)')
    expect(reportText).toMatch(/SUSPECTED BUGS/)
    expect(jsonData((await runCli(['report', '--agent', 'plan', '--db', db, '--json'])).stdout, 'report')).toMatchObject({ evidence: [] })
    const twice = await runCli(['bug', '--confirm', handle.toUpperCase(), '--db', db])
    expect(twice.stdout).toContain('is already confirmed; nothing recorded.')
    expect(jsonData((await runCli(['status', SONNET, '--db', db, '--json'])).stdout, 'status')).toMatchObject({ state: { bugs: after.state.bugs } })
    const dismiss = await runCli(['bug', '--dismiss', handle, '--db', db])
    expect(dismiss.code).toBe(1)
    expect(dismiss.stderr).toContain('was confirmed as a bug already; a confirmed bug stays')
  })

  it('names what was wrong: an unknown handle, a folder without git, a bad fix pattern', async () => {
    const { db, repo } = await agentCommitThenFix()
    const unknown = await runCli(['bug', '--confirm', 'abcdef0-1234567', '--db', db])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('No evidence "abcdef0-1234567"')
    // Another setup's evidence exists: the error says whose it is.
    const found = jsonData((await runCli(['evidence', repo, '--db', db, '--json'])).stdout, 'evidence') as EvidenceOutput
    const handle = found.pending[0]?.handle ?? ''
    await runCli(['ingest', '--db', db], { input: factLine({ kind: 'commit', setup: 'build@openai/gpt-5', project: repo, hash: 'e5e5e5e5', message: 'other work' }) })
    const other = await runCli(['bug', 'build@openai/gpt-5', '--confirm', handle, '--db', db, '--json'])
    expect(other.code).toBe(1)
    expect(jsonError(other.stdout)).toEqual({ code: 'OTHER_SETUP_EVIDENCE', message: `Evidence "${handle}" belongs to ${SONNET}, not build@openai/gpt-5: give that setup instead, or none.` })
    const plain = tempFolder('plain-')
    const noGit = await runCli(['evidence', plain, '--db', db])
    expect(noGit.code).toBe(1)
    expect(noGit.stderr).toContain(`${plain} is not a git repository with a commit`)
    // A folder that is not there is said so.
    const gone = join(plain, 'gone')
    expect((await runCli(['evidence', gone, '--db', db])).stderr).toContain(`${gone} is a folder that does not exist`)
    // Named no folder, from one that is no project: how to name them.
    const here = await runCli(['evidence', '--db', db], { cwd: plain })
    expect(here.code).toBe(1)
    expect((await runCli(['evidence', '.', '--db', db], { cwd: plain })).code).toBe(1)
    expect(here.stderr).toContain('evidence reads the current folder when given none: name the project folders')
    const badPattern = await runCli(['evidence', repo, '--fix-pattern', 'fix(', '--db', db])
    expect(badPattern.code).not.toBe(0)
    expect(badPattern.stderr).toContain('Invalid fix pattern "fix("')
  })
})
