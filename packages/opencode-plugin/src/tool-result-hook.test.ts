import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SETUP, gitRepository, headOf, startPlugin } from '../test/plugin-fixture.js'

describe('the tool.execute.after hook', () => {
  it('records a bash call by its exit code, and other tools as successes', async () => {
    const plugin = await startPlugin()
    await plugin.chat('ses_1')
    await plugin.bash('ses_1', 'echo fine')
    await plugin.bash('ses_1', 'exit 3')
    await plugin.tool('ses_1', 'read', { filePath: 'README.md' })
    await plugin.event('session.idle', {})
    expect((await plugin.read('setups', [SETUP]))?.state).toMatchObject({ toolCalls: 3, toolFailures: 1 })
  })

  it('counts a call OpenCode reports twice once: its fact id is the session and call id', async () => {
    const plugin = await startPlugin()
    await plugin.chat('ses_1')
    const after = plugin.hooks['tool.execute.after']
    for (let i = 0; i < 2; i++) await after?.({ tool: 'read', sessionID: 'ses_1', callID: 'call_same', args: {} }, { title: 'read', output: '', metadata: {} })
    await plugin.event('session.idle', {})
    expect((await plugin.read('setups', [SETUP]))?.state.toolCalls).toBe(1)
    // Recorded again by another process (or imported from OpenCode's history): still a repeat.
    await after?.({ tool: 'read', sessionID: 'ses_1', callID: 'call_same', args: {} }, { title: 'read', output: '', metadata: {} })
    await plugin.event('session.idle', {})
    expect((await plugin.read('setups', [SETUP]))?.state.toolCalls).toBe(1)
  })

  it('records a quiet commit (git commit -q prints nothing) by the HEAD it made', async () => {
    const plugin = await startPlugin()
    await plugin.chat('ses_1')
    const ran = await plugin.bash('ses_1', "echo cart > cart.txt && git add -A && git commit -q -m 'feat: quiet cart'")
    expect(ran).toEqual({ output: '', exit: 0 })
    await plugin.event('session.idle', {})
    const hash = headOf(plugin.project)
    expect(await plugin.read('commits', [plugin.project, hash])).toMatchObject({ setup: SETUP, hash, message: 'feat: quiet cart' })
    expect((await plugin.read('setups', [SETUP]))?.state.commits).toBe(1)
  })

  it('records the full hash of a commit made in another repository by cd, and in the bash workdir', async () => {
    const plugin = await startPlugin()
    const sub = gitRepository(join(plugin.project, 'sub'))
    const other = gitRepository(join(plugin.project, 'other'))
    await plugin.chat('ses_1')
    await plugin.bash('ses_1', "cd sub && echo a > a.txt && git add a.txt && git commit -m 'feat: in sub'")
    const inSub = headOf(sub)
    await plugin.bash('ses_1', "echo b > b.txt && git add b.txt && git commit -q -m 'feat: in workdir'", 'other')
    const inOther = headOf(other)
    await plugin.event('session.idle', {})
    const commits = await plugin.readAll('commits')
    expect(commits.map((commit) => [commit.hash, commit.message]).sort()).toEqual([[inSub, 'feat: in sub'], [inOther, 'feat: in workdir']].sort())
    // Each under the project of the repository it was made in, not the session's.
    expect(Object.fromEntries(commits.map((commit) => [commit.message, commit.project]))).toEqual({ 'feat: in sub': sub, 'feat: in workdir': other })
  })

  it('records nothing for a commit that did not happen', async () => {
    const plugin = await startPlugin()
    await plugin.chat('ses_1')
    await plugin.bash('ses_1', "git commit -q -m 'nothing staged'")
    await plugin.bash('ses_1', "echo '[main 1a2b3c4] fake' && git commit --dry-run -q -m 'dry run' || true")
    await plugin.bash('ses_1', 'git status && git log -1')
    await plugin.event('session.idle', {})
    expect(await plugin.readAll('commits')).toEqual([])
  })

  it('records a commit whose command failed after it, and no push that git did not make', async () => {
    const plugin = await startPlugin()
    await plugin.chat('ses_1')
    await plugin.bash('ses_1', 'git init -q --bare ../origin.git && git remote add origin ../origin.git')
    const failed = await plugin.bash('ses_1', "echo a > a.txt && git add -A && git commit -m 'feat: a' && npm-test-that-fails")
    expect(failed.exit).not.toBe(0)
    const hash = headOf(plugin.project)
    for (const command of ["echo 'remember: git push when done'", 'git push --dry-run origin main', 'git push nowhere main 2>&1 | tail -2']) await plugin.bash('ses_1', command)
    await plugin.event('session.idle', {})
    expect(await plugin.read('commits', [plugin.project, hash])).toMatchObject({ setup: SETUP, hash, message: 'feat: a' })
    expect((await plugin.read('setups', [SETUP]))?.state).toMatchObject({ commits: 1, pushes: 0, toolFailures: 1 })
  })

  it('toasts after a commit, and a push flushes on its own and toasts', async () => {
    const plugin = await startPlugin()
    await plugin.chat('ses_1')
    await plugin.bash('ses_1', "git init -q --bare ../origin.git && git remote add origin ../origin.git && echo x > x.txt && git add -A && git commit -q -m 'feat: x'")
    const hash = headOf(plugin.project)
    await plugin.bash('ses_1', 'git push -q origin main')
    expect(await plugin.read('commits', [plugin.project, hash])).toMatchObject({ hash, message: 'feat: x' })
    expect((await plugin.read('setups', [SETUP]))?.state).toMatchObject({ commits: 1, pushes: 1 })
    const toasts = plugin.notices.filter((notice) => notice.kind === 'toast').map((notice) => notice.message)
    expect(toasts).toEqual([expect.stringMatching(new RegExp(`^Commit ${hash.slice(0, 7)} recorded\\. ${SETUP}`)), expect.stringMatching(new RegExp(`^Pushed; progress saved\\. ${SETUP}`))])
  })
})
