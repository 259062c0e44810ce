import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SCHEMA_VERSION } from '@agent-tracker/core'
import { createFactScript } from '@agent-tracker/core/testing'
import { openLmdbStore, readStoredSchema } from '@agent-tracker/lmdb-store'
import { writeSchema1Database } from '@agent-tracker/lmdb-store/testing'
import { longUpgradeOf } from '@agent-tracker/node-host'
import { describe, expect, it } from 'vitest'
import { gitRepository, headOf } from '../test/git-repository.js'
import { HookSession } from '../test/hook-session.js'
import { tempFolder } from '@agent-tracker/test-folders'
import { recordDetachedOutcome } from './detached-outcome.js'
import { waitingFacts } from './pending-facts.js'
import { runClaudeCodeHook } from './run-hook.js'
import { untrackedSessions } from './untracked-sessions.js'

const SETUP = 'claude-code@anthropic/claude-opus-4-8'

async function stored(databasePath: string, setup = SETUP) {
  const store = openLmdbStore({ databasePath, readOnly: true })
  try {
    return { setup: await store.get('setups', [setup]), commits: await store.find('commits') }
  } finally {
    await store.close()
  }
}

function bash(cwd: string, command: string): { response?: unknown; error?: string } {
  try {
    return { response: { stdout: execFileSync('sh', ['-c', command], { cwd, encoding: 'utf8', stdio: 'pipe' }), stderr: '', interrupted: false } }
  } catch (error) {
    const failed = error as { status?: number; stderr?: string }
    return { error: `Exit code ${String(failed.status ?? 1)}\n${failed.stderr ?? ''}` }
  }
}

/** A repository and a database in which session `session` worked, then two /bug reports halted its setup. */
async function haltedInSession(session: string): Promise<{ repo: string; databasePath: string }> {
  const repo = gitRepository(tempFolder('repo-'))
  const databasePath = join(tempFolder('db-'), 'tracker.lmdb')
  const first = new HookSession(session, repo, databasePath)
  await first.call('toolu_1', 'Bash', { command: 'true' }, () => bash(repo, 'true'))
  for (const note of ['broke it', 'broke it again']) await first.send('UserPromptSubmit', { prompt: `/bug ${note}` })
  return { repo, databasePath }
}

describe('the Claude Code hook', () => {
  it('records tool calls, a failure with its exit code, and a commit git confirms; tokens and cost at Stop', async () => {
    const repo = gitRepository(tempFolder('repo-'))
    const databasePath = join(tempFolder('db-'), 'tracker.lmdb')
    const session = new HookSession('s1', repo, databasePath)
    const commit = "echo a > a.txt && git add a.txt && git commit -q -m 'feat: a'"
    expect(await session.call('toolu_1', 'Bash', { command: commit }, () => bash(repo, commit))).toEqual({ exitCode: 0 })
    expect(await session.call('toolu_2', 'Bash', { command: 'ls /nowhere' }, () => bash(repo, 'ls /nowhere'))).toEqual({ exitCode: 0 })
    expect(await session.call('toolu_3', 'Read', { file_path: join(repo, 'README.md') }, () => ({ response: { type: 'text' } }))).toEqual({ exitCode: 0 })
    // A file per hook, each whole when it appears: s1's three calls wait in three.
    expect(readdirSync(`${databasePath}.pending`).map((name) => name.replace(/~\d+-\d+-\d+/, '~'))).toEqual(['s1~.jsonl', 's1~.jsonl', 's1~.jsonl'])
    expect(existsSync(databasePath)).toBe(false)
    session.transcript.response('msg_end', [{ type: 'text', text: 'Committed.' }])
    expect(await session.send('Stop', { stop_hook_active: false, last_assistant_message: 'Committed.' })).toEqual({ exitCode: 0 })
    const { setup, commits } = await stored(databasePath)
    expect(setup?.state).toMatchObject({ toolCalls: 3, toolFailures: 1, commits: 1, messages: 4, tokens: { input: 400, output: 80, cacheRead: 120, cacheWrite: 200 } })
    expect(setup?.state.cost).toBeCloseTo(4 * 0.0013275, 10)
    expect(commits).toEqual([expect.objectContaining({ hash: headOf(repo), message: 'feat: a', setup: SETUP, session: 's1' })])
    expect(readdirSync(`${databasePath}.pending`)).toEqual(['transcripts'])
  })

  it('records a commit made in another repository under that project, not the session\'s', async () => {
    const repo = gitRepository(tempFolder('repo-'))
    const other = gitRepository(join(tempFolder('other-'), 'other'))
    const databasePath = join(tempFolder('db-'), 'tracker.lmdb')
    const session = new HookSession('s12', repo, databasePath)
    const commit = `cd ${other} && echo a > a.txt && git add a.txt && git commit -q -m 'feat: elsewhere'`
    await session.call('toolu_1', 'Bash', { command: commit }, () => bash(repo, commit))
    session.transcript.response('msg_end', [{ type: 'text', text: 'Done.' }])
    expect(await session.send('Stop', { stop_hook_active: false, last_assistant_message: 'Done.' })).toEqual({ exitCode: 0 })
    const { commits } = await stored(databasePath)
    expect(commits).toEqual([expect.objectContaining({ hash: headOf(other), message: 'feat: elsewhere', project: other })])
  })

  it('records a quiet commit whose committer date was set outside the call (`GIT_COMMITTER_DATE=…`, `env GIT_COMMITTER_DATE=…`), and not one the user made meanwhile', async () => {
    const repo = gitRepository(tempFolder('repo-'))
    const databasePath = join(tempFolder('db-'), 'tracker.lmdb')
    const session = new HookSession('s13', repo, databasePath)
    const dated = "GIT_COMMITTER_DATE='2020-01-01T00:00:00Z' git commit -q --allow-empty -m 'feat: dated'"
    await session.call('toolu_1', 'Bash', { command: dated }, () => bash(repo, dated))
    const first = headOf(repo)
    const viaEnv = "env GIT_COMMITTER_DATE='2030-06-01T00:00:00Z' GIT_AUTHOR_DATE='2030-06-01T00:00:00Z' git commit -q --allow-empty -m 'feat: future'"
    // The user commits in another terminal while the call runs.
    await session.call('toolu_2', 'Bash', { command: viaEnv }, () => bash(repo, `git commit -q --allow-empty -m 'human: mine' && ${viaEnv}`))
    session.transcript.response('msg_end', [{ type: 'text', text: 'Done.' }])
    expect(await session.send('Stop', { stop_hook_active: false, last_assistant_message: 'Done.' })).toEqual({ exitCode: 0 })
    const { commits } = await stored(databasePath)
    expect(commits.map((commit) => [commit.hash, commit.message])).toEqual(expect.arrayContaining([[first, 'feat: dated'], [headOf(repo), 'feat: future']]))
    expect(commits).toHaveLength(2)
  })

  it('records a commit amended in the session in the place of the one it replaced: one commit, counted once', async () => {
    const repo = gitRepository(tempFolder('repo-'))
    const databasePath = join(tempFolder('db-'), 'tracker.lmdb')
    const session = new HookSession('s9', repo, databasePath)
    const commit = "echo a > a.txt && git add a.txt && git commit -m 'feat: a'"
    await session.call('toolu_1', 'Bash', { command: commit }, () => bash(repo, commit))
    const first = headOf(repo)
    const amend = "echo b >> a.txt && git commit -a --amend -m 'feat: a, linted'"
    await session.call('toolu_2', 'Bash', { command: amend }, () => bash(repo, amend))
    session.transcript.response('msg_end', [{ type: 'text', text: 'Amended.' }])
    expect(await session.send('Stop', { stop_hook_active: false, last_assistant_message: 'Amended.' })).toEqual({ exitCode: 0 })
    const { setup, commits } = await stored(databasePath)
    expect(commits).toEqual([expect.objectContaining({ hash: headOf(repo), message: 'feat: a, linted', amends: first, session: 's9' })])
    expect(setup?.state).toMatchObject({ toolCalls: 2, commits: 1 })
  })

  it('writes at once after a push, with what was pending', async () => {
    const repo = gitRepository(join(tempFolder('repo-'), 'shop'))
    execFileSync('sh', ['-c', 'git init -q --bare ../shop.git && git remote add origin ../shop.git'], { cwd: repo })
    const databasePath = join(tempFolder('db-'), 'tracker.lmdb')
    const session = new HookSession('s5', repo, databasePath)
    await session.call('toolu_1', 'Bash', { command: 'true' }, () => bash(repo, 'true'))
    await session.call('toolu_2', 'Bash', { command: 'git push -q origin main' }, () => bash(repo, 'git push -q origin main'))
    expect((await stored(databasePath)).setup?.state).toMatchObject({ toolCalls: 2, pushes: 1 })
  })

  it('leaves the upgrade of a release-0.1.0 database to the turn’s Stop: a push and a session’s end, which Claude Code waits for, keep their facts pending', async () => {
    const repo = gitRepository(join(tempFolder('repo-'), 'shop'))
    execFileSync('sh', ['-c', 'git init -q --bare ../shop.git && git remote add origin ../shop.git'], { cwd: repo })
    const databasePath = join(tempFolder('db-'), 'tracker.lmdb')
    const earlier = createFactScript({ setup: SETUP, project: repo, session: 's0' })
    await writeSchema1Database(databasePath, { facts: [earlier.toolCall('bash', true), earlier.toolCall('bash', true)] })
    // The project keeps a status file, which a push refreshes.
    mkdirSync(join(repo, '.agent'))
    const session = new HookSession('s11', repo, databasePath)
    await session.call('toolu_1', 'Bash', { command: 'true' }, () => bash(repo, 'true'))
    expect(await session.call('toolu_2', 'Bash', { command: 'git push -q origin main' }, () => bash(repo, 'git push -q origin main'))).toEqual({ exitCode: 0 })
    session.transcript.response('msg_end', [{ type: 'text', text: 'Pushed.' }])
    expect(await session.send('SessionEnd', { reason: 'other' })).toEqual({ exitCode: 0 })
    // Neither opened the database for writing: it is still release 0.1.0's, and the facts wait.
    expect(longUpgradeOf(databasePath)).toMatchObject({ fromSchema: 1 })
    expect(waitingFacts(databasePath)).toMatchObject({ facts: 2 + 1 + 3, sessions: 1 })
    expect(existsSync(join(repo, '.agent', 'status.json'))).toBe(false)
    // The next turn's Stop (the work its detached run does) upgrades it and writes them, each once.
    const next = new HookSession('s12', repo, databasePath)
    next.transcript.response('msg_next', [{ type: 'text', text: 'Done.' }])
    expect(await next.send('Stop', { stop_hook_active: false })).toEqual({ exitCode: 0 })
    expect(longUpgradeOf(databasePath)).toBeUndefined()
    expect(readStoredSchema(databasePath)?.schemaVersion).toBe(SCHEMA_VERSION)
    expect((await stored(databasePath)).setup?.state).toMatchObject({ toolCalls: 2 + 2, pushes: 1, messages: 3 + 1 })
    expect(waitingFacts(databasePath)).toMatchObject({ facts: 0 })
    // The push that waited refreshed its setup's status file when it was written.
    expect(JSON.parse(readFileSync(join(repo, '.agent', 'status.json'), 'utf8'))).toMatchObject({ setup: SETUP })
  })

  it('keeps what it read when the database cannot be written — a push, a session’s usage at its end — until a later session writes, counting each once', async () => {
    const repo = gitRepository(join(tempFolder('repo-'), 'shop'))
    execFileSync('sh', ['-c', 'git init -q --bare ../shop.git && git remote add origin ../shop.git'], { cwd: repo })
    const databasePath = join(tempFolder('db-'), 'tracker.lmdb')
    // A file that is no database where the database should be: every write fails.
    writeFileSync(databasePath, 'my notes\n')
    const first = new HookSession('s9', repo, databasePath)
    const commit = "echo a > a.txt && git add a.txt && git commit -q -m 'feat: a'"
    expect(await first.call('toolu_1', 'Bash', { command: commit }, () => bash(repo, commit))).toEqual({ exitCode: 0 })
    const push = await first.call('toolu_2', 'Bash', { command: 'git push -q origin main' }, () => bash(repo, 'git push -q origin main'))
    expect(push).toMatchObject({ exitCode: 1, stderr: expect.stringContaining('agent-tracker: ') as unknown })
    first.transcript.response('msg_end', [{ type: 'text', text: 'Pushed.' }])
    expect(await first.send('SessionEnd', { reason: 'other' })).toMatchObject({ exitCode: 1 })
    expect(readFileSync(databasePath, 'utf8')).toBe('my notes\n')
    expect(waitingFacts(databasePath)).toMatchObject({ facts: 2 + 2 + 3, unwritten: 2 + 2 + 3, sessions: 1 })
    // The database is fixed; another session's turn ends and writes what waited, the first session's too.
    rmSync(databasePath)
    const next = new HookSession('s10', repo, databasePath)
    await next.call('toolu_3', 'Bash', { command: 'true' }, () => bash(repo, 'true'))
    next.transcript.response('msg_next', [{ type: 'text', text: 'Done.' }])
    expect(await next.send('Stop', { stop_hook_active: false })).toEqual({ exitCode: 0 })
    const written = (await stored(databasePath)).setup?.state
    expect(written).toMatchObject({ toolCalls: 3, commits: 1, pushes: 1, messages: 5, tokens: { input: 500, output: 100 } })
    expect(waitingFacts(databasePath)).toMatchObject({ facts: 0 })
    // Nothing counts twice: the next writes find nothing new.
    expect(await next.send('SessionEnd', { reason: 'other' })).toEqual({ exitCode: 0 })
    expect(await first.send('Stop', { stop_hook_active: false })).toEqual({ exitCode: 0 })
    expect((await stored(databasePath)).setup?.state).toEqual(written)
  })

  it('does not wait for the model of a session that writes no transcript (--no-session-persistence), and notes it as untracked', async () => {
    const repo = gitRepository(tempFolder('repo-'))
    const databasePath = join(tempFolder('db-'), 'tracker.lmdb')
    const transcriptPath = join(tempFolder('home-'), '.claude', 'projects', 'p', 'np1.jsonl')
    const options = { databasePath, env: {}, homeDir: tempFolder('home-'), modelWaitMs: 60_000 }
    const call = { session_id: 'np1', transcript_path: transcriptPath, cwd: repo, tool_name: 'Bash', tool_input: { command: 'true' }, tool_use_id: 'toolu_1' }
    // Waiting for the model would take a minute; the call is answered long before.
    const reply = await Promise.race([runClaudeCodeHook(JSON.stringify({ ...call, hook_event_name: 'PreToolUse' }), options), new Promise((resolve) => setTimeout(resolve, 10_000, 'waited'))])
    expect(reply).toEqual({ exitCode: 0 })
    const now = new Date()
    expect(await runClaudeCodeHook(JSON.stringify({ ...call, hook_event_name: 'PostToolUse', tool_response: { stdout: '' } }), { ...options, now: () => now })).toEqual({ exitCode: 0 })
    expect(await runClaudeCodeHook(JSON.stringify({ ...call, tool_use_id: 'toolu_2', hook_event_name: 'PostToolUse', tool_response: { stdout: '' } }), options)).toEqual({ exitCode: 0 })
    expect(untrackedSessions(databasePath)).toEqual([{ session: 'np1', project: repo, at: now.toISOString() }])
    expect(waitingFacts(databasePath).facts).toBe(0)
    expect(untrackedSessions(databasePath, new Date(now.getTime() + 31 * 24 * 60 * 60 * 1000))).toEqual([])
  })

  it('denies reading .env, and a halted setup’s calls with how to reinstate it, until the user reinstates it', async () => {
    const repo = gitRepository(tempFolder('repo-'))
    const session = new HookSession('s2', repo, join(tempFolder('db-'), 'tracker.lmdb'))
    const env = await session.call('toolu_1', 'Read', { file_path: join(repo, '.env') }, () => ({ response: {} }))
    expect(JSON.parse(env.stdout ?? '{}')).toEqual({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: `agent-tracker blocked this Read call: it touches ${join(repo, '.env')}, a protected file. Protected files hold the user's secrets: use .env.example for placeholders, and ask the user for any value you need.` } })
    await session.call('toolu_2', 'Bash', { command: 'true' }, () => bash(repo, 'true'))
    for (const note of ['broke it', 'broke it again']) await session.send('UserPromptSubmit', { prompt: `/bug ${note}` })
    const halted = await session.call('toolu_3', 'Bash', { command: 'ls' }, () => bash(repo, 'ls'))
    expect(halted.stdout).toContain(`agent-tracker blocked this Bash call. ${SETUP} is halted: it lost all its skill points to reported bugs. The user can reinstate it with /reinstate (or: agent-tracker reinstate ${SETUP}).`)
    const reinstated = await session.send('UserPromptSubmit', { prompt: '/reinstate' })
    expect(JSON.parse(reinstated.stdout ?? '{}')).toMatchObject({ decision: 'block', reason: expect.stringContaining(`[agent-tracker] ${SETUP} is reinstated and may work again.`) as unknown })
    expect(await session.call('toolu_4', 'Bash', { command: 'ls' }, () => bash(repo, 'ls'))).toEqual({ exitCode: 0 })
  })

  it('waits for the transcript to name the model of a new session, so a halted setup’s first call is not let through unchecked', async () => {
    const { repo, databasePath } = await haltedInSession('s6')
    // A new session whose hook runs before Claude Code wrote the response asking for the call.
    const next = new HookSession('s7', repo, databasePath)
    const call = { tool_name: 'Bash', tool_input: { command: 'ls' }, tool_use_id: 'toolu_9' }
    const early = next.send('PreToolUse', call)
    await new Promise((resolve) => setTimeout(resolve, 300))
    next.transcript.response('msg_toolu_9', [{ type: 'tool_use', id: 'toolu_9', name: 'Bash', input: call.tool_input }])
    next.transcript.write(next.transcriptPath)
    expect((await early).stdout).toContain(`agent-tracker blocked this Bash call. ${SETUP} is halted`)
    // The wait is bounded: a transcript that never names a model lets the call through after it.
    const silent = new HookSession('s8', repo, databasePath)
    const started = Date.now()
    const reply = await runClaudeCodeHook(JSON.stringify({ session_id: 's8', transcript_path: silent.transcriptPath, cwd: repo, hook_event_name: 'PreToolUse', ...call }), { ...silent.options, modelWaitMs: 200 })
    expect(reply).toEqual({ exitCode: 0 })
    expect(Date.now() - started).toBeGreaterThanOrEqual(200)
  })

  it('finds the model of a response whose transcript line is longer than the end it reads first (a Write of a large file): a halted setup stays blocked', async () => {
    const { repo, databasePath } = await haltedInSession('s10')
    const next = new HookSession('s11', repo, databasePath)
    const write = await next.call('toolu_big', 'Write', { file_path: join(repo, 'big.txt'), content: 'x'.repeat(1_500_000) }, () => ({ response: {} }))
    expect(write.stdout).toContain(`agent-tracker blocked this Write call. ${SETUP} is halted`)
  })

  it("takes the user's /grade from the prompt, keeping it from the model; other prompts pass untouched", async () => {
    const repo = gitRepository(tempFolder('repo-'))
    const session = new HookSession('s3', repo, join(tempFolder('db-'), 'tracker.lmdb'))
    const commit = "git commit -q --allow-empty -m 'feat: graded'"
    await session.call('toolu_1', 'Bash', { command: commit }, () => bash(repo, commit))
    expect(await session.send('UserPromptSubmit', { prompt: 'carry on' })).toEqual({ exitCode: 0 })
    const graded = await session.send('UserPromptSubmit', { prompt: '/grade good excellence "clean"' })
    expect(JSON.parse(graded.stdout ?? '{}')).toEqual({ decision: 'block', reason: expect.stringMatching(new RegExp(`^\\[agent-tracker\\] Graded ${headOf(repo).slice(0, 8)} \\(feat: graded\\) of ${SETUP}: agent good, user excellence\\.`)) as unknown })
    const bad = await session.send('UserPromptSubmit', { prompt: '/grade superb' })
    expect((JSON.parse(bad.stdout ?? '{}') as { reason: string }).reason).toContain('[agent-tracker] /grade failed: Invalid grade')
  })

  it('says why a user command was not written only from a failure of its own write, not an older run\'s', async () => {
    const repo = gitRepository(tempFolder('repo-'))
    const databasePath = join(tempFolder('db-'), 'tracker.lmdb')
    const session = new HookSession('s-failed', repo, databasePath)
    await session.call('toolu_1', 'Bash', { command: 'true' }, () => bash(repo, 'true'))
    // An hour ago, a detached Stop failed: its word stays for doctor.
    recordDetachedOutcome(databasePath, 'Stop', { exitCode: 1, stderr: 'agent-tracker: the database is full (an hour ago)' }, new Date(Date.now() - 3_600_000))
    const failing = { ...session.options, writeElsewhere: () => Promise.resolve('failed' as const) }
    const reason = async (): Promise<string> => (JSON.parse((await runClaudeCodeHook(session.input('UserPromptSubmit', { prompt: '/bug it broke' }), failing)).stdout ?? '{}') as { reason: string }).reason
    const stale = await reason()
    expect(stale).toContain('(Not in the database yet: writing it failed.')
    expect(stale).not.toContain('an hour ago')
    // The write's own worker wrote down why it failed: that is said.
    const writeNow = { ...failing, writeElsewhere: () => {
      recordDetachedOutcome(databasePath, 'UserPromptSubmit', { exitCode: 1, stderr: 'agent-tracker: the disk holding it is full' })
      return Promise.resolve('failed' as const)
    } }
    const fresh = (JSON.parse((await runClaudeCodeHook(session.input('UserPromptSubmit', { prompt: '/bug it broke again' }), writeNow)).stdout ?? '{}') as { reason: string }).reason
    expect(fresh).toContain('(Not in the database yet: the disk holding it is full.')
  })

  it("leaves a /grade the user has a command file of their own for (in the project or their own commands) to that file", async () => {
    const repo = gitRepository(tempFolder('repo-'))
    const session = new HookSession('s7', repo, join(tempFolder('db-'), 'tracker.lmdb'))
    const commit = "git commit -q --allow-empty -m 'feat: graded'"
    await session.call('toolu_1', 'Bash', { command: commit }, () => bash(repo, commit))
    mkdirSync(join(repo, '.claude', 'commands'), { recursive: true })
    writeFileSync(join(repo, '.claude', 'commands', 'grade.md'), 'Grade the homework in $ARGUMENTS.\n')
    expect(await session.send('UserPromptSubmit', { prompt: '/grade homework.txt' })).toEqual({ exitCode: 0 })
    // Their own /grade only: agent-tracker's /bug still runs.
    expect(JSON.parse((await session.send('UserPromptSubmit', { prompt: '/bug typo' })).stdout ?? '{}')).toMatchObject({ decision: 'block' })
    rmSync(join(repo, '.claude', 'commands', 'grade.md'))
    const own = join(session.options.homeDir, '.claude', 'commands')
    mkdirSync(own, { recursive: true })
    writeFileSync(join(own, 'grade.md'), 'Grade the homework in $ARGUMENTS.\n')
    expect(await session.send('UserPromptSubmit', { prompt: '/grade homework.txt' })).toEqual({ exitCode: 0 })
    rmSync(join(own, 'grade.md'))
    expect(JSON.parse((await session.send('UserPromptSubmit', { prompt: '/grade good' })).stdout ?? '{}')).toMatchObject({ decision: 'block' })
  })

  it("counts a subagent's calls and tokens under its type", async () => {
    const repo = gitRepository(tempFolder('repo-'))
    const databasePath = join(tempFolder('db-'), 'tracker.lmdb')
    const session = new HookSession('s4', repo, databasePath)
    session.transcript.response('msg_main', [{ type: 'tool_use', id: 'toolu_agent', name: 'Agent', input: { subagent_type: 'Explore' } }])
    const { Transcript } = await import('@agent-tracker/host-import/testing')
    const subagentFile = join(session.transcriptPath.replace(/\.jsonl$/, ''), 'subagents', 'agent-a1.jsonl')
    new Transcript('s4', repo, { sidechain: { agentId: 'a1', agentType: 'Explore' } }).response('msg_sub', [{ type: 'tool_use', id: 'toolu_sub', name: 'Bash', input: { command: 'ls' } }], { model: 'claude-haiku-4-5' }).write(subagentFile)
    expect(await session.send('PostToolUse', { tool_name: 'Bash', tool_input: { command: 'ls' }, tool_use_id: 'toolu_sub', tool_response: { stdout: 'a' }, agent_id: 'a1', agent_type: 'Explore' })).toEqual({ exitCode: 0 })
    expect(await session.send('SubagentStop', { agent_id: 'a1', agent_type: 'Explore', agent_transcript_path: subagentFile })).toEqual({ exitCode: 0 })
    expect((await stored(databasePath, 'Explore@anthropic/claude-haiku-4-5')).setup?.state).toMatchObject({ toolCalls: 1, messages: 1 })
  })

  it('never stops Claude Code: input that is no hook event is a non-blocking error, an event it does not handle is let through', async () => {
    const options = { env: {}, homeDir: tempFolder('home-') }
    expect(await runClaudeCodeHook('not json', options)).toEqual({ stderr: 'agent-tracker: the hook\'s input is not JSON (got "not json"): run it as a Claude Code hook, which passes the event as JSON on stdin.\n', exitCode: 1 })
    expect(await runClaudeCodeHook(JSON.stringify({ hook_event_name: 'Notification', session_id: 's', cwd: '/p' }), options)).toEqual({ exitCode: 0 })
    // A transcript path that holds a folder is named as the field at fault, not as a bare EISDIR.
    const folder = tempFolder('not-a-transcript-')
    for (const hook_event_name of ['PreToolUse', 'PostToolUse', 'SessionEnd']) {
      const event = { hook_event_name, session_id: 's', cwd: folder, transcript_path: folder, tool_name: 'Bash', tool_input: { command: 'ls' }, tool_use_id: 't1', tool_response: {} }
      expect(await runClaudeCodeHook(JSON.stringify(event), { ...options, databasePath: join(folder, 'x.lmdb') })).toEqual({
        stderr: `agent-tracker: the ${hook_event_name} hook's "transcript_path" is a folder (${folder}); Claude Code gives the session's transcript file (a .jsonl file).\n`,
        exitCode: 1,
      })
    }
  })
})
