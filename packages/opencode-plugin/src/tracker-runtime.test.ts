import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { legacyHistory, writeLegacyDatabase } from '../test/legacy-database.js'
import { SETUP, gitRepository, startPlugin, tempFolder } from '../test/plugin-fixture.js'

const LEGACY_SETUP = 'build@anthropic/claude-sonnet-4-5'

describe('TrackerRuntime', () => {
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

  it('migrates a legacy per-project database in the background on start, once, without holding up the session', async () => {
    const project = gitRepository(tempFolder())
    await writeLegacyDatabase(project, legacyHistory(project))
    const plugin = await startPlugin({ project, waitForStartup: false })
    await plugin.chat('ses_1')
    await plugin.tool('ses_1', 'read', { filePath: 'README.md' })
    await plugin.tracking.startup
    expect(plugin.notices).toContainEqual({ kind: 'toast', level: 'success', message: 'Migrated 4 legacy record(s) of this project into the central database.' })
    await plugin.dispose()
    expect(await plugin.read('setups', [LEGACY_SETUP])).toMatchObject({ state: { skillPoints: 3, experience: 12.5, communication: 71, commits: 2, bugs: 1 } })
    expect((await plugin.read('commits', [project, 'e4f5a6b']))?.task).toBe('fix totals')
    expect((await plugin.read('setups', [SETUP]))?.state.toolCalls).toBe(1)
    const again = await startPlugin({ project, databasePath: plugin.databasePath })
    expect(again.notices.filter((notice) => notice.message.startsWith('Migrated'))).toEqual([])
  })
})
