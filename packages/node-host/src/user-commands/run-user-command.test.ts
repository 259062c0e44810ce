import { createTrackingService, evidenceFactId } from '@agent-tracker/core'
import { createMemoryStore } from '@agent-tracker/core/testing'
import { describe, expect, it } from 'vitest'
import { runUserCommand } from './run-user-command.js'

const PROJECT = '/home/dev/shop'
const SETUP = 'build@anthropic/claude-sonnet-4-5'

function tracked(): { store: ReturnType<typeof createMemoryStore>; service: ReturnType<typeof createTrackingService> } {
  const store = createMemoryStore()
  return { store, service: createTrackingService({ store }) }
}

describe('runUserCommand', () => {
  it('says there is nothing to act on before any agent worked in the project', async () => {
    const { store, service } = tracked()
    expect(await runUserCommand(service, store, { command: 'grade', arguments: 'good', project: PROJECT })).toBe('There is no commit by an agent in this project yet, so there is nothing to grade.')
    expect(await runUserCommand(service, store, { command: 'tracker', arguments: '', project: PROJECT })).toBe('No agent has worked in this project yet.')
  })

  it("grades the latest commit of the setup that last worked here, with the agent's grade and a note", async () => {
    const { store, service } = tracked()
    await service.recordCommit({ setup: SETUP, project: PROJECT, hash: 'a1b2c3d4e5f6', message: 'feat: cart' })
    const reply = await runUserCommand(service, store, { command: 'grade', arguments: '"good excellence \\"clean diff\\""', project: PROJECT, session: 'ses_9' })
    expect(reply).toBe(`Graded a1b2c3d4 (feat: cart) of ${SETUP}: agent good, user excellence. Communication score now 67.0 (Neutral).`)
    expect(await store.get('retrospectives', [SETUP, 'a1b2c3d4e5f6'])).toMatchObject({ userGrade: 5, agentGrade: 2, userNote: 'clean diff' })
    await expect(runUserCommand(service, store, { command: 'grade', arguments: 'superb', project: PROJECT })).rejects.toMatchObject({ code: 'INVALID_GRADE' })
  })

  it('names a commit recorded without a message by its hash alone', async () => {
    const { store, service } = tracked()
    await service.recordCommit({ setup: SETUP, project: PROJECT, hash: 'abcd1234ef', message: '' })
    expect(await runUserCommand(service, store, { command: 'grade', arguments: 'good', project: PROJECT })).toBe(`Graded abcd1234 of ${SETUP}: user good. Communication score now 62.0 (Neutral).`)
  })

  it("records a user's bug, reinstates a halted setup, and shows the status card of the session's setup", async () => {
    const { store, service } = tracked()
    const other = 'plan@openai/gpt-5'
    await service.recordToolCall({ setup: other, project: PROJECT, tool: 'read', ok: true })
    const bug = await runUserCommand(service, store, { command: 'bug', arguments: "'totals are wrong'", project: PROJECT, sessionSetup: other })
    expect(bug).toMatch(new RegExp(`^Bug recorded against ${other}\\. .*HALTED: tool calls are blocked until the user runs /reinstate \\(or agent-tracker reinstate ${other}\\)\\.$`))
    expect(await store.find('bugs')).toEqual([expect.objectContaining({ setup: other, by: 'user', note: 'totals are wrong' })])
    expect(await runUserCommand(service, store, { command: 'reinstate', arguments: '', project: PROJECT, sessionSetup: other })).toMatch(new RegExp(`^${other} is reinstated and may work again\\. `))
    expect(await runUserCommand(service, store, { command: 'reinstate', arguments: '', project: PROJECT, sessionSetup: other })).toBe(`${other} is not halted; nothing changed.`)
    expect(await runUserCommand(service, store, { command: 'tracker', arguments: '', project: PROJECT, sessionSetup: 'review@x/y' })).toBe('review@x/y has no recorded work yet.')
  })

  it('/bug alone lists the suspected bugs waiting here; /bug confirm turns one into a bug once, /bug dismiss sets one aside', async () => {
    const { store, service } = tracked()
    await service.recordCommit({ setup: SETUP, project: PROJECT, hash: 'a1b2c3d4e5f6', message: 'feat: cart' })
    const suspect = (source: string) => ({
      id: evidenceFactId('suspected-bug', PROJECT, 'a1b2c3d4e5f6', source), kind: 'evidence' as const, signal: 'suspected-bug' as const, at: '2026-03-02T10:00:00.000Z',
      setup: SETUP, project: PROJECT, commit: 'a1b2c3d4e5f6', source, subject: 'fix: totals', files: ['cart.ts'], lines: 2, pattern: 'fix',
    })
    await store.applyFacts([suspect('f00dfeed0001'), suspect('beefcafe0002')])
    const listed = await runUserCommand(service, store, { command: 'bug', arguments: '', project: PROJECT })
    expect(listed).toContain('Suspected bugs from git evidence waiting for your verdict (2):')
    expect(listed).toContain('- a1b2c3d-f00dfee: commit a1b2c3d4 of build@anthropic/claude-sonnet-4-5; fix f00dfeed "fix: totals" changed 2 of its lines')
    expect(await store.find('bugs')).toEqual([])
    expect(await runUserCommand(service, store, { command: 'bug', arguments: 'confirm a1b2c3d-f00d', project: PROJECT })).toMatch(/^Confirmed the suspected bug a1b2c3d-f00dfee \(commit a1b2c3d4 of build@anthropic\/claude-sonnet-4-5, fixed by f00dfeed\) as a bug\. /)
    await runUserCommand(service, store, { command: 'bug', arguments: '"confirm a1b2c3d-f00d"', project: PROJECT })
    expect(await runUserCommand(service, store, { command: 'bug', arguments: 'dismiss a1b2c3d-beef not a bug: a refactor', project: PROJECT })).toBe('Dismissed the suspected bug a1b2c3d-beefcaf (commit a1b2c3d4 of build@anthropic/claude-sonnet-4-5, fixed by beefcafe).')
    expect(await store.find('bugs')).toEqual([expect.objectContaining({ setup: SETUP, by: 'user', commit: 'a1b2c3d4e5f6' })])
    expect((await store.find('evidence')).map((record) => [record.source, record.status, record.note])).toEqual(expect.arrayContaining([['f00dfeed0001', 'confirmed', undefined], ['beefcafe0002', 'dismissed', 'not a bug: a refactor']]))
    expect(await runUserCommand(service, store, { command: 'bug', arguments: '', project: PROJECT })).toMatch(/^Bug recorded against /)
  })
})
