import type { Config } from '@opencode-ai/plugin'
import { describe, expect, it } from 'vitest'
import { fakeClient } from '../test/plugin-fixture.js'
import { configHook } from './config-hook.js'
import { createNotifier } from './notifier.js'
import { SLASH_COMMANDS } from './slash-commands.js'

describe('the config hook', () => {
  it('registers /grade, /bug, /reinstate and /tracker, keeping a command the user defined', async () => {
    const client = fakeClient()
    const mine = { template: 'my own grading', description: 'mine' }
    const config = { command: { grade: mine, deploy: { template: 'ship it' } } } as Config
    await configHook(createNotifier(client))(config)
    expect(config.command).toEqual({ grade: mine, deploy: { template: 'ship it' }, bug: SLASH_COMMANDS.bug, reinstate: SLASH_COMMANDS.reinstate, tracker: SLASH_COMMANDS.tracker })
    expect(client.notices).toEqual([{ kind: 'log', level: 'info', message: 'agent-tracker: /grade is defined in your config; keeping yours.' }])
  })

  it('replaces a command section that is not an object, and never throws', async () => {
    const client = fakeClient()
    const config = { command: 'oops' } as unknown as Config
    await configHook(createNotifier(client))(config)
    expect(Object.keys(config.command ?? {})).toEqual(['grade', 'bug', 'reinstate', 'tracker'])
    for (const bad of [undefined, null, 'text', 3]) await expect(configHook(createNotifier(client))(bad as unknown as Config)).resolves.toBeUndefined()
    expect(client.notices.filter((notice) => notice.level === 'error')).toHaveLength(4)
  })
})
