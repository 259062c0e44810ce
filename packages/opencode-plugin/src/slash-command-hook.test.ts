import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempFolder } from '@agent-tracker/test-folders'
import { describe, expect, it } from 'vitest'
import { SETUP, headOf, startPlugin } from '../test/plugin-fixture.js'

describe('the command.execute.before hook', () => {
  it('answers /tracker with the status card, in the prompt and a toast', async () => {
    const plugin = await startPlugin()
    expect(await plugin.command('ses_1', 'tracker')).toContain('[agent-tracker] No agent has worked in this project yet.')
    await plugin.chat('ses_1')
    await plugin.tool('ses_1', 'read', { filePath: 'README.md' })
    const prompt = await plugin.command('ses_1', 'tracker')
    expect(prompt).toMatch(new RegExp(`^\\[agent-tracker\\] ${SETUP}.*\\nAcknowledge this to the user in one short sentence\\. Do not change any files\\.$`))
    expect(plugin.notices.at(-1)).toMatchObject({ kind: 'toast', level: 'success', message: expect.stringContaining(SETUP) as string })
  })

  it('records /grade from the user on the latest commit of the setup that worked here, even in a new session', async () => {
    const plugin = await startPlugin()
    expect(await plugin.command('ses_1', 'grade', 'excellence')).toContain('There is no commit by an agent in this project yet, so there is nothing to grade.')
    await plugin.chat('ses_1')
    await plugin.bash('ses_1', "git commit -q --allow-empty -m 'feat: graded'")
    const hash = headOf(plugin.project)
    expect(await plugin.command('ses_new', 'grade', '"excellence well tested"')).toContain(`[agent-tracker] Graded ${hash.slice(0, 8)} (feat: graded) of ${SETUP}: user excellence.`)
    expect(await plugin.command('ses_new', 'grade', 'good')).toContain(`[agent-tracker] agent-tracker could not do /grade:`)
    expect(plugin.notices.at(-1)).toMatchObject({ kind: 'toast', level: 'error' })
    await plugin.event('session.idle', {})
    expect(await plugin.read('retrospectives', [SETUP, hash])).toMatchObject({ userGrade: 5, userNote: 'well tested' })
  })

  it('records /bug from the user, and leaves other commands alone', async () => {
    const plugin = await startPlugin()
    await plugin.chat('ses_1')
    await plugin.tool('ses_1', 'read', { filePath: 'README.md' })
    expect(await plugin.command('ses_1', 'bug', '"totals are wrong"')).toContain(`Bug recorded against ${SETUP}.`)
    expect(await plugin.command('ses_1', 'review', 'all')).toBe('template')
    await plugin.event('session.idle', {})
    expect(await plugin.readAll('bugs')).toEqual([expect.objectContaining({ setup: SETUP, by: 'user', note: 'totals are wrong' })])
  })

  it('says /grade failed while tracking is paused by a database it cannot open, instead of passing the grade on to the model as if recorded', async () => {
    const root = tempFolder()
    const databasePath = join(root, 'tracker.lmdb')
    writeFileSync(databasePath, 'not a database, and never one')
    const plugin = await startPlugin({ databasePath })
    expect(await plugin.tracking.runtime).toBeUndefined()
    const prompt = await plugin.command('ses_1', 'grade', 'good')
    expect(prompt).toContain('[agent-tracker] agent-tracker could not do /grade: tracking is paused — ')
    expect(prompt).toContain('Nothing was recorded.')
    expect(plugin.notices.at(-1)).toMatchObject({ kind: 'toast', level: 'error' })
    expect(await plugin.command('ses_1', 'review', 'all')).toBe('template')
  })
})
