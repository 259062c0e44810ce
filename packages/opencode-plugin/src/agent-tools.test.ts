import { describe, expect, it } from 'vitest'
import { SETUP, headOf, startPlugin } from '../test/plugin-fixture.js'

describe('the agent tools', () => {
  it('let the agent grade its commit right after making it, and never carry a user grade', async () => {
    const plugin = await startPlugin()
    await plugin.chat('ses_1')
    await plugin.bash('ses_1', "git commit -q --allow-empty -m 'feat: api'")
    const hash = headOf(plugin.project)
    expect(await plugin.agentTool('ses_1', 'tracker_self_grade', { grade: 'excellence', userGrade: 5 })).toBe('failed: tracker_self_grade records only your own grade. The user grade comes from the user (/grade or the agent-tracker CLI); it was not recorded.')
    expect(await plugin.agentTool('ses_1', 'tracker_self_grade', { grade: 'good', note: 'tested' })).toBe(`Recorded your grade good for ${hash.slice(0, 8)} (feat: api). The user's grade comes separately.`)
    expect(await plugin.agentTool('ses_1', 'tracker_self_grade', { grade: 'excellence' })).toContain("already has the agent's own grade (good); grades are final")
    await plugin.event('session.idle', {})
    expect(await plugin.read('retrospectives', [SETUP, hash])).toMatchObject({ agentGrade: 2, agentNote: 'tested' })
    expect((await plugin.read('retrospectives', [SETUP, hash]))?.userGrade).toBeUndefined()
    expect((await plugin.read('setups', [SETUP]))?.state).toMatchObject({ agentGrades: { count: 1, sum: 2 }, userGrades: { count: 0, sum: 0 } })
  })

  it('report status, a self-reported bug, a retrospective and a journal entry, all in the database', async () => {
    const plugin = await startPlugin()
    await plugin.chat('ses_1')
    expect(await plugin.agentTool('ses_1', 'tracker_status', {})).toBe(`${SETUP} has no recorded work yet.`)
    await plugin.bash('ses_1', "git commit -q --allow-empty -m 'feat: totals'")
    const hash = headOf(plugin.project)
    expect(await plugin.agentTool('ses_1', 'tracker_status', {})).toContain(SETUP)
    expect(await plugin.agentTool('ses_1', 'tracker_retrospective', { note: 'check rounding first', task: 'totals' })).toBe(`Retrospective noted for ${hash.slice(0, 8)}.`)
    expect(await plugin.agentTool('ses_1', 'tracker_log_activity', { task: 'totals', actions: 'wrote sum()', outcome: 'green', decisions: 'floats to cents' })).toBe('Logged.')
    expect(await plugin.agentTool('ses_1', 'tracker_report_bug', { note: 'rounding off by one', commit: hash.slice(0, 7) })).toMatch(/^Bug recorded\. /)
    expect(await plugin.agentTool('ses_1', 'tracker_log_activity', { task: 'x', mood: 'great' })).toBe('failed: tracker_log_activity does not take mood; it takes task, actions, outcome, decisions.')
    await plugin.event('session.idle', {})
    expect(await plugin.read('retrospectives', [SETUP, hash])).toMatchObject({ task: 'totals', agentNote: 'check rounding first' })
    expect(await plugin.readAll('activities')).toEqual([expect.objectContaining({ setup: SETUP, task: 'totals', actions: 'wrote sum()', outcome: 'green', decisions: 'floats to cents' })])
    expect(await plugin.readAll('bugs')).toEqual([expect.objectContaining({ setup: SETUP, by: 'agent', commit: hash, note: 'rounding off by one' })])
    expect((await plugin.read('setups', [SETUP]))?.state).toMatchObject({ bugs: 1, commits: 1 })
  })

  it('label prior art by who graded it: the user, or the agent itself', async () => {
    const plugin = await startPlugin()
    await plugin.chat('ses_1')
    await plugin.bash('ses_1', "git commit -q --allow-empty -m 'feat: invoice export'")
    await plugin.command('ses_1', 'grade', 'excellence')
    await plugin.bash('ses_1', "git commit -q --allow-empty -m 'feat: invoice totals'")
    await plugin.agentTool('ses_1', 'tracker_self_grade', { grade: 'good' })
    await plugin.event('session.idle', {})
    const found = await plugin.agentTool('ses_1', 'tracker_prior_art', { task: 'invoice' })
    expect(found).toContain('- feat: invoice export (user grade excellence)')
    expect(found).toContain('- feat: invoice totals (self-graded good)')
    expect(found.indexOf('invoice export')).toBeLessThan(found.indexOf('invoice totals'))
    // A task with nothing to search for is said so, not answered with nothing found.
    expect(await plugin.agentTool('ses_1', 'tracker_prior_art', { task: '🛒 !!! the' })).toBe('"🛒 !!! the" has no words to search for: give words of two or more letters or digits (of any script), other than common words such as "the" or "fix".')
  })

  it('say when tracking is paused or the session is not known yet', async () => {
    const paused = await startPlugin({ pluginOptions: { databasePath: '/dev/null/cannot/be/here.lmdb' } })
    expect(await paused.agentTool('ses_1', 'tracker_status', {})).toBe('failed: agent-tracker is paused (see the OpenCode log for why); nothing was recorded.')
    const plugin = await startPlugin()
    expect(await plugin.agentTool('ses_1', 'tracker_status', {}, '')).toBe('failed: agent-tracker does not know this session’s agent yet; try again after your first reply.')
  })
})
