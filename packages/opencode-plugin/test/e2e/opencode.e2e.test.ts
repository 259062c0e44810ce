import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { describe, expect, it } from 'vitest'
import { createProject, runOpencode, suiteFolder } from './harness.js'
import { CLI, SETUP, bash, head, readSetup } from './session-steps.js'

describe('agent-tracker inside the real opencode binary', { timeout: 240_000 }, () => {
  const root = suiteFolder()

  it('1. records both commits of build@fake/m1 (one made with git commit -q) with their hashes, and the push flushes them mid-session', async () => {
    const project = createProject(root, 'shop')
    const databasePath = join(root, 'one.lmdb')
    const run = await runOpencode({
      root, project, pluginOptions: { databasePath },
      script: [
        bash("echo cart > cart.txt && git add -A && git commit -m 'feat: add cart'"),
        bash("echo total > total.txt && git add -A && git commit -q -m 'feat: quiet total'"),
        bash('git push origin main'),
        bash(`node ${CLI} status ${SETUP} --json --db ${databasePath}`),
        { text: 'Pushed.' },
      ],
    })
    expect(run.code).toBe(0)
    const [cart, total] = [head(project, 'HEAD~1'), head(project)]
    // Read by another process while the session was still running: the push had already flushed.
    const midSession = JSON.parse(run.toolResults[3] ?? '{}') as { command?: string; data?: { state?: { commits: number; pushes: number } } }
    expect(midSession).toMatchObject({ command: 'status', data: { state: { commits: 2, pushes: 1 } } })
    const store = openLmdbStore({ databasePath, readOnly: true })
    expect(await store.get('commits', [project, cart])).toMatchObject({ setup: SETUP, hash: cart, message: 'feat: add cart' })
    expect(await store.get('commits', [project, total])).toMatchObject({ setup: SETUP, hash: total, message: 'feat: quiet total' })
    expect((await store.get('setups', [SETUP]))?.state).toMatchObject({ commits: 2, pushes: 1, toolCalls: 4, skillPoints: 2, experience: 2.4 })
    expect(await store.get('projects', [project])).toMatchObject({ name: 'shop' })
    await store.close()
  })

  it('2. keeps every fact of a session that exits without a push (flushed on dispose and exit)', async () => {
    const project = createProject(root, 'notes')
    const databasePath = join(root, 'two.lmdb')
    const run = await runOpencode({
      root, project, pluginOptions: { databasePath },
      script: [bash('echo fine'), bash('exit 3'), { tool: 'read', args: { filePath: join(project, 'README.md') } }, { tool: 'read', args: { filePath: join(project, 'missing.md') } }, { text: 'Done.' }],
    })
    expect(run.code).toBe(0)
    const setup = await readSetup(databasePath)
    expect(setup?.state).toMatchObject({ toolCalls: 4, toolFailures: 2, commits: 0, pushes: 0, messages: 5 })
    expect(setup?.state.tokens).toMatchObject({ input: 5000, output: 250 })
  })

  it('3. /grade takes the user grade from the user; the agent grades itself through its tool, which cannot carry a user grade; the other agent tools land in the database', async () => {
    const project = createProject(root, 'api')
    const databasePath = join(root, 'three.lmdb')
    const pluginOptions = { databasePath }
    await runOpencode({ root, project, pluginOptions, script: [bash("echo api > api.txt && git add -A && git commit -m 'feat: api'"), { text: 'Committed.' }] })
    const hash = head(project)
    const graded = await runOpencode({ root, project, pluginOptions, command: { name: 'grade', arguments: 'excellence "clean and tested"' }, script: [{ text: 'Thanks!' }] })
    expect(graded.code).toBe(0)
    expect(graded.prompts[0]).toContain(`[agent-tracker] Graded ${hash.slice(0, 8)} (feat: api) of ${SETUP}: user excellence.`)
    const agent = await runOpencode({
      root, project, pluginOptions,
      script: [
        { tool: 'tracker_self_grade', args: { grade: 'bad', userGrade: 5 } },
        { tool: 'tracker_self_grade', args: { grade: 'good', note: 'solid work' } },
        { tool: 'tracker_prior_art', args: { task: 'the api' } },
        { tool: 'tracker_retrospective', args: { note: 'write the test first', task: 'the api' } },
        { tool: 'tracker_log_activity', args: { task: 'api endpoint', actions: 'added api.txt', outcome: 'committed', decisions: 'kept it small' } },
        { tool: 'tracker_report_bug', args: { note: 'api returns 500 on empty input' } },
        { tool: 'tracker_status', args: {} },
        { text: 'OK.' },
      ],
    })
    expect(agent.code).toBe(0)
    expect(agent.toolResults[0]).toContain('tracker_self_grade records only your own grade. The user grade comes from the user (/grade or the agent-tracker CLI)')
    expect(agent.toolResults[1]).toContain(`Recorded your grade good for ${hash.slice(0, 8)} (feat: api). The user's grade comes separately.`)
    expect(agent.toolResults[2]).toContain('Patterns to repeat (1):\n- feat: api (user grade excellence) — api')
    expect(agent.toolResults[3]).toContain(`Retrospective noted for ${hash.slice(0, 8)}.`)
    expect(agent.toolResults[4]).toContain('Logged.')
    expect(agent.toolResults[5]).toContain('Bug recorded.')
    expect(agent.toolResults[6]).toContain(SETUP)
    expect(agent.toolResults[6]).toContain('HALTED')
    const store = openLmdbStore({ databasePath, readOnly: true })
    expect(await store.get('retrospectives', [SETUP, hash])).toMatchObject({ agentGrade: 2, userGrade: 5, userNote: 'clean and tested', agentNote: 'solid work\nwrite the test first', task: 'the api', scoreBefore: 60, scoreAfter: 67 })
    expect((await store.get('setups', [SETUP]))?.state).toMatchObject({ communication: 67, userGrades: { count: 1, sum: 5 }, agentGrades: { count: 1, sum: 2 }, bugs: 1, skillPoints: 0 })
    expect(await store.find('activities')).toEqual([expect.objectContaining({ setup: SETUP, project, task: 'api endpoint', actions: 'added api.txt', outcome: 'committed', decisions: 'kept it small' })])
    expect(await store.find('bugs')).toEqual([expect.objectContaining({ setup: SETUP, by: 'agent', note: 'api returns 500 on empty input' })])
    await store.close()
  })

  // Five OpenCode runs, where the others take one to three: 169–198 s of the suite's 240 s in CI,
  // beside every other package's tests.
  it('4. a setup whose bugs took all its skill points is blocked with the reason, until /reinstate', async () => {
    const project = createProject(root, 'halt')
    const databasePath = join(root, 'four.lmdb')
    const pluginOptions = { databasePath }
    await runOpencode({ root, project, pluginOptions, script: [bash("echo x > x.txt && git add -A && git commit -m 'feat: x'"), { text: 'Done.' }] })
    const bug = await runOpencode({ root, project, pluginOptions, command: { name: 'bug', arguments: '"broke the build"' }, script: [{ text: 'Sorry.' }] })
    expect(bug.prompts[0]).toContain('HALTED')
    expect((await readSetup(databasePath))?.state).toMatchObject({ skillPoints: 0, bugs: 1 })
    const blocked = await runOpencode({ root, project, pluginOptions, script: [bash('echo still working'), { text: 'Stopping.' }] })
    expect(blocked.toolResults[0]).toContain(`agent-tracker blocked this bash call. ${SETUP} is halted: it lost all its skill points to reported bugs. The user can reinstate it with /reinstate (or: agent-tracker reinstate ${SETUP}).`)
    expect(blocked.toolResults[0]).not.toContain('still working')
    const reinstated = await runOpencode({ root, project, pluginOptions, command: { name: 'reinstate', arguments: '' }, script: [{ text: 'Thanks.' }] })
    expect(reinstated.prompts[0]).toContain(`${SETUP} is reinstated and may work again.`)
    const working = await runOpencode({ root, project, pluginOptions, script: [bash('echo back to work'), { text: 'Done.' }] })
    expect(working.toolResults[0]).toContain('back to work')
    expect((await readSetup(databasePath))?.state).toMatchObject({ skillPoints: 1, bugs: 1 })
  }, 360_000)

  it('5. blocks cat .env, read .env and globs that reach it; lets .env.example and a mere mention of .env through', async () => {
    const project = createProject(root, 'secrets', { '.env.example': 'API_KEY=changeme\n' })
    execFileSync('sh', ['-c', 'echo API_KEY=sk-live-secret > .env'], { cwd: project })
    const run = await runOpencode({
      root, project, pluginOptions: { databasePath: join(root, 'five.lmdb') },
      script: [
        bash('cat .env'),
        { tool: 'read', args: { filePath: join(project, '.env') } },
        { tool: 'read', args: { filePath: join(project, '.env.example') } },
        bash('cat .e?v'),
        { tool: 'glob', args: { pattern: '**/.env*' } },
        { tool: 'write', args: { filePath: join(project, 'SETUP.md'), content: 'Copy .env.example to config/.env\n' } },
        { text: 'OK.' },
      ],
    })
    expect(run.code).toBe(0)
    expect(run.toolResults[0]).toContain('agent-tracker blocked this bash call: it touches .env, a protected file.')
    expect(run.toolResults[1]).toContain(`agent-tracker blocked this read call: it touches ${join(project, '.env')}, a protected file.`)
    expect(run.toolResults[2]).toContain('API_KEY=changeme')
    expect(run.toolResults[3]).toContain('agent-tracker blocked this bash call: it touches .env, a protected file.')
    expect(run.toolResults[4]).toContain('agent-tracker blocked this glob call: it touches **/.env*, a protected file.')
    expect(readFileSync(join(project, 'SETUP.md'), 'utf8')).toBe('Copy .env.example to config/.env\n')
    expect(run.toolResults.join('\n')).not.toContain('sk-live-secret')
    // The blocked calls never ran: no calls, and no failures (as in Claude Code) — the read of .env.example and the write are.
    expect((await readSetup(join(root, 'five.lmdb')))?.state).toMatchObject({ toolCalls: 2, toolFailures: 0 })
  })

  it('6. two opencode processes in two projects, each flushing after every fact, writing one database at the same time lose nothing', async () => {
    const databasePath = join(root, 'six.lmdb')
    const work = (name: string) => {
      const project = createProject(root, name)
      return runOpencode({
        root, project, pluginOptions: { databasePath, flush: { maxPending: 1 } }, ownData: true,
        script: [...Array.from({ length: 6 }, (_, i) => bash(`echo ${name} ${String(i)}`)), bash(`echo ${name} > ${name}.txt && git add -A && git commit -m 'feat: ${name}'`), bash('git push origin main'), { text: 'Done.' }],
      })
    }
    const runs = await Promise.all([work('left'), work('right')])
    expect(runs.map((run) => run.code), runs.map((run) => run.output.slice(-2000)).join('\n---\n')).toEqual([0, 0])
    const store = openLmdbStore({ databasePath, readOnly: true })
    expect((await store.get('setups', [SETUP]))?.state).toMatchObject({ toolCalls: 16, toolFailures: 0, commits: 2, pushes: 2, messages: 18 })
    expect(await store.find('commits')).toHaveLength(2)
    expect(await store.find('projects')).toHaveLength(2)
    await store.close()
  })

})
