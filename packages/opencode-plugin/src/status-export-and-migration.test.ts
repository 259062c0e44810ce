import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SETUP, gitRepository, startPlugin, tempFolder } from '../test/plugin-fixture.js'

/** What the predecessor's `.agent/status.json` names its agent: a name, without provider or model. */
const LEGACY_SETUP = 'build'

describe('the status file and legacy data of the project', () => {
  it('refreshes .agent/status.json on flush where the project has an .agent/ folder', async () => {
    const project = gitRepository(tempFolder())
    mkdirSync(join(project, '.agent'))
    const plugin = await startPlugin({ project })
    await plugin.chat('ses_1')
    await plugin.tool('ses_1', 'read', { filePath: 'README.md' })
    expect(existsSync(join(project, '.agent', 'status.json'))).toBe(false)
    await plugin.event('session.idle', {})
    expect(JSON.parse(readFileSync(join(project, '.agent', 'status.json'), 'utf8'))).toMatchObject({ setup: SETUP, agent_name: 'build', skill_points: 1, halted: false })
  })

  it('writes no .agent/status.json where there is no .agent/ folder, nor with exportStatusFile false', async () => {
    const plain = await startPlugin()
    const project = gitRepository(tempFolder())
    mkdirSync(join(project, '.agent'))
    const off = await startPlugin({ project, pluginOptions: { exportStatusFile: false } })
    for (const plugin of [plain, off]) {
      await plugin.chat('ses_1')
      await plugin.tool('ses_1', 'read', { filePath: 'README.md' })
      await plugin.event('session.idle', {})
      expect((await plugin.read('setups', [SETUP]))?.state.toolCalls).toBe(1)
      expect(existsSync(join(plugin.project, '.agent', 'status.json'))).toBe(false)
    }
  })

  it('does not take its own .agent/status.json for legacy data on the next start', async () => {
    const project = gitRepository(tempFolder())
    mkdirSync(join(project, '.agent'))
    const first = await startPlugin({ project })
    await first.chat('ses_1')
    await first.tool('ses_1', 'read', { filePath: 'README.md' })
    await first.dispose()
    expect(existsSync(join(project, '.agent', 'status.json'))).toBe(true)
    const second = await startPlugin({ project, databasePath: first.databasePath })
    await second.dispose()
    expect((await second.readAll('setups')).map((setup) => setup.id)).toEqual([SETUP])
  })

  it('migrates legacy files in the background on start without holding up the session, logs what it could not, and tries that again next time', async () => {
    const project = gitRepository(tempFolder())
    mkdirSync(join(project, '.journal'))
    writeFileSync(join(project, '.journal', 'communication.json'), JSON.stringify([
      { commit: 'a1b2c3d', timestamp: '2026-02-20T10:11:00Z', task: 'add cart', agent_grade: 'good', user_grade: 'excellence' },
    ]))
    writeFileSync(join(project, '.journal', '2026-02-21.md'), '# Journal - 2026-02-21\n\n## Morning\n- **Outcome**: an entry without a time\n')
    mkdirSync(join(project, '.agent'))
    writeFileSync(join(project, '.agent', 'status.json'), JSON.stringify({ agent_name: 'build', skill_points: 3, experience_points: 12.5, total_commits: 2, total_bugs: 1, halted: false, communication_score: 71 }))
    const plugin = await startPlugin({ project, waitForStartup: false })
    await plugin.chat('ses_1')
    await plugin.tool('ses_1', 'read', { filePath: 'README.md' })
    await plugin.tracking.startup
    const problem = { kind: 'log', level: 'warn', message: expect.stringMatching(new RegExp(`^agent-tracker migration: ${join(project, '.journal', '2026-02-21.md')} \\(lines 3-4\\): the heading has no "HH:MM" time, so this entry was not imported`)) as string }
    expect(plugin.notices).toContainEqual({ kind: 'toast', level: 'success', message: 'Migrated 4 legacy record(s) of this project into the central database.' })
    expect(plugin.notices).toContainEqual(problem)
    await plugin.dispose()
    expect(await plugin.read('setups', [LEGACY_SETUP])).toMatchObject({ state: { skillPoints: 3, experience: 12.5, commits: 2, bugs: 1 } })
    expect(await plugin.read('retrospectives', [LEGACY_SETUP, 'a1b2c3d'])).toMatchObject({ userGrade: 5, agentGrade: 2 })
    expect((await plugin.read('setups', [SETUP]))?.state.toolCalls).toBe(1)
    const again = await startPlugin({ project, databasePath: plugin.databasePath })
    expect(again.notices.filter((notice) => notice.message.startsWith('Migrated'))).toEqual([])
    expect(again.notices).toContainEqual(problem)
  })
})
