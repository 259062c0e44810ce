import { beforeEach, describe, expect, it } from 'vitest'
import type { TrackerError } from '../errors.js'
import { isTrackerError } from '../errors.js'
import type { SyncTrackerStore } from '../store/tracker-store.js'
import { createMemoryStore } from '../testing/memory-store.js'
import type { TrackingService } from './tracking-service.js'
import { createTrackingService } from './tracking-service.js'

const SETUP = 'build@fake/m1'
const PROJECT = '/home/dev/shop'
const here = { setup: SETUP, project: PROJECT, session: 'ses_1' }

async function failure(promise: Promise<unknown>): Promise<TrackerError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught)
  if (!isTrackerError(error)) throw new Error(`expected a TrackerError, got ${String(error)}`)
  return error
}

describe('TrackingService', () => {
  let store: SyncTrackerStore
  let service: TrackingService
  let clock: number

  beforeEach(() => {
    store = createMemoryStore()
    clock = Date.parse('2026-04-01T09:00:00Z')
    let id = 0
    service = createTrackingService({
      store,
      now: () => new Date((clock += 1000)),
      newId: () => `id-${String((id += 1))}`,
    })
  })

  it('records tool calls, commands, commits, pushes and usage as facts with time and ids', async () => {
    await service.recordToolCall({ ...here, tool: 'bash', ok: true })
    await service.recordToolCall({ ...here, tool: 'bash', ok: false, exitCode: 1 })
    await service.recordCommand({ ...here, command: 'tracker' })
    await service.recordCommit({ ...here, hash: 'a1b2c3d4', message: 'feat: cart' })
    await service.recordPush({ ...here, remote: 'origin', branch: 'main' })
    await service.recordUsage({ ...here, tokens: { input: 900, output: 100 }, cost: 0.01 })
    const status = await service.getStatus(SETUP)
    expect(status?.state).toMatchObject({ toolCalls: 2, toolFailures: 1, commands: 1, commits: 1, pushes: 1, messages: 1, skillPoints: 2 })
    expect(status?.state.experience).toBeCloseTo(1.1, 9)
    expect(await store.get('commits', [PROJECT, 'a1b2c3d4'])).toMatchObject({ setup: SETUP, session: 'ses_1', at: '2026-04-01T09:00:04.000Z' })
  })

  it('records an amended commit in the place of the one it replaced, so a self-grade after the amend finds the new one', async () => {
    const first = 'a1b2c3d4'.padEnd(40, 'e')
    const amended = 'f9e8d7c6'.padEnd(40, 'a')
    await service.recordCommit({ ...here, hash: first, message: 'feat: cart' })
    await service.recordCommit({ ...here, hash: amended, message: 'feat: cart, linted', amends: first })
    expect((await store.find('commits')).map((commit) => [commit.hash, commit.amends])).toEqual([[amended, first]])
    expect((await service.getStatus(SETUP))?.state).toMatchObject({ commits: 1, experience: 1 })
    expect((await service.selfGrade({ ...here, grade: 'good' })).commit.hash).toBe(amended)
  })

  it('lets the agent self-grade its latest commit in the project, once', async () => {
    await service.recordCommit({ ...here, hash: 'a1b2c3d4', message: 'feat: cart' })
    await service.recordCommit({ ...here, hash: 'e5f6a7b8', message: 'fix: total' })
    const outcome = await service.selfGrade({ ...here, grade: 'good', note: 'tests pass' })
    expect(outcome.commit.hash).toBe('e5f6a7b8')
    expect(outcome.retrospective).toMatchObject({ agentGrade: 2, agentNote: 'tests pass', task: 'fix: total' })
    expect(outcome.status.state.communication).toBe(62)
    const again = await failure(service.selfGrade({ ...here, grade: 5 }))
    expect(again.code).toBe('ALREADY_GRADED')
    expect(again.message).toBe("Commit e5f6a7b8 already has the agent's own grade (good); grades are final.")
  })

  it('never lets the agent channel carry a user grade', async () => {
    await service.recordCommit({ ...here, hash: 'a1b2c3d4', message: 'x' })
    const sneaky = { ...here, grade: 2, userGrade: 5 } as Parameters<TrackingService['selfGrade']>[0]
    const error = await failure(service.selfGrade(sneaky))
    expect(error.code).toBe('NOT_AUTHORISED')
    expect(error.message).toContain('the user grade comes from the user')
    expect(await store.get('retrospectives', [SETUP, 'a1b2c3d4'])).toBeUndefined()
  })

  it('takes the user grade (and optionally the agent grade) from the user channel', async () => {
    await service.recordCommit({ ...here, hash: 'a1b2c3d4', message: 'feat: cart' })
    const outcome = await service.userGrade({ setup: SETUP, commit: 'a1b2', agentGrade: 'good', userGrade: 'excellence', note: 'lovely', channel: 'slash-command' })
    expect(outcome.retrospective).toMatchObject({ agentGrade: 2, userGrade: 5, userNote: 'lovely', scoreBefore: 60, scoreAfter: 67, agentGradeChannel: 'slash-command', userGradeChannel: 'slash-command' })
    expect(outcome).toMatchObject({ channel: 'slash-command', counted: true })
    expect(outcome.status.state.experience).toBe(2)
    expect((await failure(service.userGrade({ setup: SETUP, userGrade: 1, channel: 'cli-terminal' }))).code).toBe('ALREADY_GRADED')
  })

  it('keeps a user grade from a channel not the user\'s own as a record that counts for nothing, until vouched for', async () => {
    await service.recordCommit({ ...here, hash: 'a1b2c3d4', message: 'feat: cart' })
    const scripted = await service.userGrade({ setup: SETUP, userGrade: 'excellence', agentGrade: 'excellence', channel: 'cli-script' })
    expect(scripted).toMatchObject({ channel: 'cli-script', counted: false, retrospective: undefined })
    expect(scripted.status.state).toMatchObject({ communication: 60, experience: 1, userGrades: { count: 0, sum: 0 }, agentGrades: { count: 0, sum: 0 } })
    const ingested = await service.userGrade({ setup: SETUP, userGrade: 5, channel: 'ingest' })
    expect(ingested.counted).toBe(false)
    expect(await store.find('gradeEvents', { setup: SETUP, order: 'oldest' })).toEqual([
      expect.objectContaining({ by: 'user', userGrade: 5, agentGrade: 5, channel: 'cli-script', scoreBefore: 60, scoreAfter: 60 }),
      expect.objectContaining({ by: 'user', userGrade: 5, channel: 'ingest' }),
    ])
    // The user's own grade still finds the slot free, and the agent its own.
    const vouched = await service.userGrade({ setup: SETUP, userGrade: 'good', channel: 'cli-script', vouched: true })
    expect(vouched).toMatchObject({ counted: true, retrospective: { userGrade: 2, userGradeChannel: 'cli-script' } })
    expect((await store.find('gradeEvents', { setup: SETUP, limit: 1 }))[0]).toMatchObject({ channel: 'cli-script', vouched: true })
    const self = await service.selfGrade({ ...here, grade: 'good' })
    expect(self).toMatchObject({ channel: 'agent-tool', counted: true, retrospective: { agentGrade: 2, agentGradeChannel: 'agent-tool', userGrade: 2 } })
    expect(self.status.state).toMatchObject({ communication: 64, userGrades: { count: 1, sum: 2 }, agentGrades: { count: 1, sum: 2 } })
  })

  it('keeps the note given with a grade on its event, whether the grade counts or not', async () => {
    await service.recordCommit({ ...here, hash: 'a1b2c3d4', message: 'feat: cart' })
    const scripted = await service.userGrade({ setup: SETUP, userGrade: 'bad', note: 'broke the totals', channel: 'cli-script' })
    expect(scripted).toMatchObject({ counted: false, retrospective: undefined, event: { note: 'broke the totals' } })
    const own = await service.userGrade({ setup: SETUP, userGrade: 'good', note: 'fixed after all', channel: 'cli-terminal' })
    expect(own).toMatchObject({ counted: true, retrospective: { userNote: 'fixed after all' }, event: { note: 'fixed after all' } })
    const self = await service.selfGrade({ ...here, grade: 'good', note: 'tests pass' })
    expect(self.event).toMatchObject({ note: 'tests pass' })
    expect((await store.find('gradeEvents', { setup: SETUP, order: 'oldest' })).map((event) => event.note)).toEqual(['broke the totals', 'fixed after all', 'tests pass'])
  })

  it('says a grade was not taken when another of the commit got in while it was written (two processes at once)', async () => {
    await service.recordCommit({ ...here, hash: 'a1b2c3d4', message: 'feat: cart' })
    // Another process's grade lands after this one's check and before its write.
    const racing = (competing: Parameters<SyncTrackerStore['applyFacts']>[0]): SyncTrackerStore => ({
      ...store,
      applyFacts: async (facts) => {
        await store.applyFacts(competing)
        return store.applyFacts(facts)
      },
    })
    const other = { id: 'other-grade', at: '2026-04-01T09:00:30.000Z', setup: SETUP, project: PROJECT, kind: 'grade', commit: 'a1b2c3d4', by: 'user', userGrade: 2, channel: 'cli-terminal' } as const
    const loser = createTrackingService({ store: racing([other]), now: () => new Date((clock += 1000)) })
    const error = await failure(loser.userGrade({ setup: SETUP, commit: 'a1b2', userGrade: 'bad', channel: 'cli-terminal' }))
    expect([error.code, error.message]).toEqual(['ALREADY_GRADED', 'Commit a1b2c3d4 already has the user grade (good); grades are final.'])
    expect((await store.get('retrospectives', [SETUP, 'a1b2c3d4']))?.userGrade).toBe(2)
    // The agent's own grade likewise.
    const self = { ...other, id: 'other-self-grade', by: 'agent', agentGrade: 5, channel: 'agent-tool' } as const
    const { userGrade: _user, ...selfGrade } = self
    const agent = createTrackingService({ store: racing([selfGrade]), now: () => new Date((clock += 1000)) })
    expect((await failure(agent.selfGrade({ ...here, grade: 'bad' }))).message).toBe("Commit a1b2c3d4 already has the agent's own grade (excellence); grades are final.")
  })

  it('refuses a user-entered agent grade when the agent already graded itself', async () => {
    await service.recordCommit({ ...here, hash: 'a1b2c3d4', message: 'x' })
    await service.selfGrade({ ...here, grade: -1 })
    const error = await failure(service.userGrade({ setup: SETUP, agentGrade: 5, userGrade: 5, channel: 'slash-command' }))
    expect(error.message).toContain("already has the agent's grade (bad); give only your own grade")
    const ok = await service.userGrade({ setup: SETUP, userGrade: 5, channel: 'slash-command' })
    expect(ok.retrospective).toMatchObject({ agentGrade: -1, userGrade: 5 })
  })

  it('explains unknown, ambiguous and foreign commit references', async () => {
    await service.recordCommit({ ...here, hash: 'abcd1111', message: 'one' })
    await service.recordCommit({ ...here, hash: 'abcd2222', message: 'two' })
    await service.recordCommit({ setup: 'plan@fake/m2', project: PROJECT, hash: 'ffff0000', message: 'theirs' })
    expect((await failure(service.resolveCommit(SETUP, 'abcd'))).code).toBe('AMBIGUOUS_COMMIT')
    const theirs = await failure(service.resolveCommit(SETUP, 'ffff'))
    expect(theirs.message).toBe('Commit ffff0000 was made by plan@fake/m2, not build@fake/m1.')
    // Said for a caller too, which then need not look the reference up again to know it.
    expect([theirs.code, theirs.details]).toEqual(['UNKNOWN_COMMIT', { madeBy: 'plan@fake/m2' }])
    const unknown = await failure(service.resolveCommit(SETUP, '9999'))
    expect([unknown.code, unknown.details]).toEqual(['UNKNOWN_COMMIT', undefined])
    expect(unknown.message).toContain('Recent commits of build@fake/m1: abcd2222, abcd1111.')
    expect((await failure(service.resolveCommit(SETUP, 'ab'))).message).toContain('too short')
    expect((await service.resolveCommit(SETUP, 'abcd1')).hash).toBe('abcd1111')
    // Hashes that share their first 8 characters are listed with as many as tell them apart.
    for (const tail of ['a1', 'b2', 'c3']) await service.recordCommit({ ...here, hash: `00000000${tail}${'0'.repeat(30)}`, message: tail })
    expect((await failure(service.resolveCommit(SETUP, '0000'))).message).toMatch(/matches 3 commits of build@fake\/m1 \((00000000[abc], ){2}00000000[abc]\); give more characters\.$/)
    expect((await failure(service.resolveCommit(SETUP, '7777'))).message).toMatch(/Recent commits of build@fake\/m1: (00000000[abc]|abcd2222|abcd1111)(, (00000000[abc]|abcd2222|abcd1111)){4}\.$/)
    expect((await failure(service.resolveCommit('new@fake/m3'))).message).toBe('new@fake/m3 has no recorded commit yet, so there is nothing to grade.')
  })

  it('finds a commit recorded under its abbreviated hash when given in full, and the amend that replaced a hash given', async () => {
    const full = 'abc1234d'.padEnd(40, 'e')
    await service.recordCommit({ ...here, hash: 'abc1234', message: 'seen short' })
    expect((await service.resolveCommit(SETUP, full)).hash).toBe('abc1234')
    expect((await service.resolveCommit(SETUP, 'abc1234d')).hash).toBe('abc1234')
    // A longer reference that only shares the first digits names another commit, and a full hash is no abbreviation of a longer reference.
    expect((await failure(service.resolveCommit(SETUP, 'abc1235'.padEnd(40, 'e')))).code).toBe('UNKNOWN_COMMIT')
    const recordedFull = '7777777'.padEnd(40, '7')
    await service.recordCommit({ ...here, hash: recordedFull, message: 'full' })
    expect((await failure(service.resolveCommit(SETUP, `${recordedFull}7`))).code).toBe('UNKNOWN_COMMIT')

    const first = '1111111a'.padEnd(40, 'a')
    const amended = '2222222b'.padEnd(40, 'b')
    await service.recordCommit({ ...here, hash: first, message: 'feat: cart' })
    await service.recordCommit({ ...here, hash: amended, message: 'feat: cart, fixed', amends: first })
    for (const ref of [first, '1111111']) expect((await service.resolveCommit(SETUP, ref)).hash).toBe(amended)
    const graded = await service.userGrade({ setup: SETUP, commit: first, userGrade: 'good', channel: 'cli-terminal' })
    expect(graded.commit.hash).toBe(amended)
    expect((await store.get('retrospectives', [SETUP, amended]))?.userGrade).toBe(2)
    expect((await failure(service.userGrade({ setup: SETUP, commit: amended, userGrade: 'bad', channel: 'cli-terminal' }))).code).toBe('ALREADY_GRADED')
    // First digits that begin two replaced hashes name neither.
    await service.recordCommit({ ...here, hash: '5555555a'.padEnd(40, 'a'), message: 'x' })
    await service.recordCommit({ ...here, hash: '6666666a'.padEnd(40, 'a'), message: 'x, fixed', amends: '5555555a'.padEnd(40, 'a') })
    await service.recordCommit({ ...here, hash: '5555555b'.padEnd(40, 'b'), message: 'y' })
    await service.recordCommit({ ...here, hash: '6666666b'.padEnd(40, 'b'), message: 'y, fixed', amends: '5555555b'.padEnd(40, 'b') })
    const two = await failure(service.resolveCommit(SETUP, '5555555'))
    expect([two.code, two.message]).toEqual(['AMBIGUOUS_COMMIT', 'Commit reference "5555555" begins 2 commits of build@fake/m1 that amends replaced (now 6666666b, 6666666a); give more characters.'])
    expect((await service.resolveCommit(SETUP, '5555555b')).hash).toBe('6666666b'.padEnd(40, 'b'))
    // Another setup's amend is not this setup's commit.
    const theirs = '3333333c'.padEnd(40, 'c')
    await service.recordCommit({ setup: 'plan@fake/m2', project: PROJECT, hash: '4444444d'.padEnd(40, 'd'), message: 'theirs', amends: theirs })
    expect((await failure(service.resolveCommit(SETUP, theirs))).code).toBe('UNKNOWN_COMMIT')
  })

  it('takes one hash recorded in two projects (two clones of one repository) as the one commit it is, by prefix or in full, and grades it once', async () => {
    const hash = 'abce333333333333333333333333333333333333'
    await service.recordCommit({ ...here, project: '/home/me/api', hash, message: 'in api' })
    await service.recordCommit({ ...here, project: '/home/me/shop', hash, message: 'in shop' })
    for (const ref of [hash, 'abce3333']) expect(await service.resolveCommit(SETUP, ref)).toMatchObject({ hash, project: '/home/me/shop' })
    expect(await service.resolveCommit(SETUP, hash, '/home/me/api')).toMatchObject({ hash, project: '/home/me/api' })
    await service.userGrade({ setup: SETUP, commit: hash, userGrade: 'good', channel: 'cli-terminal' })
    expect((await failure(service.userGrade({ setup: SETUP, commit: 'abce3333', userGrade: 'good', channel: 'cli-terminal' }))).code).toBe('ALREADY_GRADED')
  })

  it('reports an unknown setup with the known ones', async () => {
    await service.recordToolCall({ ...here, tool: 'bash', ok: true })
    const error = await failure(service.userGrade({ setup: 'ghost@x/y', userGrade: 2, channel: 'cli-terminal' }))
    expect(error.code).toBe('UNKNOWN_SETUP')
    expect(error.message).toBe('Unknown setup "ghost@x/y". Known setups include: build@fake/m1.')
    expect(await service.getStatus('ghost@x/y')).toBeUndefined()
  })

  it('halts on a bug at SP 1 and reinstates only a halted setup', async () => {
    await service.recordToolCall({ ...here, tool: 'bash', ok: true })
    expect((await service.reinstate(here)).reinstated).toBe(false)
    const halted = await service.reportBug({ ...here, by: 'user', note: 'broke the build' })
    expect(halted).toMatchObject({ halted: true, trustTier: 'Probation' })
    expect(halted.state.skillPoints).toBe(0)
    const back = await service.reinstate({ ...here, note: 'second chance' })
    expect(back.reinstated).toBe(true)
    expect(back.status).toMatchObject({ halted: false, reinstatedAt: '2026-04-01T09:00:03.000Z' })
    // A bug recorded late, with a time before the reinstatement, halts it again: since the reinstatement, not before it.
    await store.applyFacts([{ kind: 'bug', id: 'late-bug', at: '2026-04-01T08:00:00.000Z', setup: here.setup, project: here.project, by: 'user' }])
    const again = await service.getStatus(here.setup)
    expect(again).toMatchObject({ halted: true, haltedAt: '2026-04-01T09:00:03.000Z', reinstatedAt: '2026-04-01T09:00:03.000Z' })
  })

  it('records retrospective narratives in the caller’s voice and journal activities', async () => {
    await service.recordCommit({ ...here, hash: 'a1b2c3d4', message: 'feat' })
    const retro = await service.recordRetrospective({ ...here, by: 'agent', task: 'cart', note: 'should have asked about VAT' })
    expect(retro).toMatchObject({ task: 'cart', agentNote: 'should have asked about VAT' })
    expect(retro?.userNote).toBeUndefined()
    await service.logActivity({ ...here, task: 'cart', actions: 'wrote tests', outcome: 'green', decisions: 'use cents' })
    await service.logActivity({ ...here, task: 'just a task' })
    expect(await store.find('activities', { setup: SETUP, order: 'oldest' })).toEqual([
      expect.objectContaining({ task: 'cart', actions: 'wrote tests', outcome: 'green', decisions: 'use cents', session: 'ses_1' }),
      expect.objectContaining({ task: 'just a task', actions: '', outcome: '', decisions: '' }),
    ])
  })

  it('rejects a malformed fact before anything is stored', async () => {
    const error = await failure(service.recordToolCall({ ...here, tool: '', ok: true }))
    expect(error.code).toBe('INVALID_FACT')
    expect(error.message).toBe('Invalid tool_call fact: field "tool" must be a non-empty string, got "".')
    expect(await store.find('setups')).toEqual([])
  })
})
