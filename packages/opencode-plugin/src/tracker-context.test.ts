import { describe, expect, it } from 'vitest'
import { SETUP, startPlugin } from '../test/plugin-fixture.js'
import { createNotifier } from './notifier.js'
import { readPluginOptions } from '@agent-tracker/node-host/opencode-options'
import { createTrackerContext } from './tracker-context.js'

describe('createTrackerContext', () => {
  it('finds the setup a command is about: the session’s, else the latest to work in the project', async () => {
    const plugin = await startPlugin()
    const runtime = await plugin.tracking.runtime
    if (runtime === undefined) throw new Error('tracking did not start')
    const context = createTrackerContext(readPluginOptions({}), plugin.project, plugin.tracking.runtime, createNotifier({ tui: { showToast: () => undefined }, app: { log: () => undefined } }))
    expect(await context.setupForCommand(runtime, 'ses_new')).toBeUndefined()
    await plugin.event('message.updated', { info: { id: 'msg_1', sessionID: 'ses_1', role: 'assistant', agent: 'build', providerID: 'fake', modelID: 'm1', time: { completed: 2 }, tokens: {}, cost: 0 } })
    expect(await context.setupForCommand(runtime, 'ses_new')).toBe(SETUP)
    context.sessions.observe('ses_2', { agent: 'plan', providerID: 'fake', modelID: 'm2' })
    expect(await context.setupForCommand(runtime, 'ses_2')).toBe('plan@fake/m2')
  })

  it('makes flushes wait for background work, and logs instead of throwing from a hook', async () => {
    const plugin = await startPlugin()
    const runtime = await plugin.tracking.runtime
    if (runtime === undefined) throw new Error('tracking did not start')
    const logs: string[] = []
    const context = createTrackerContext(readPluginOptions({}), plugin.project, plugin.tracking.runtime, createNotifier({ tui: { showToast: () => undefined }, app: { log: ({ body }) => logs.push(body.message) } }))
    let release = (): void => undefined
    context.track(new Promise<void>((done) => {
      release = done
    }).then(() => runtime.service.recordCommand({ setup: SETUP, project: plugin.project, command: 'late' })))
    const flushed = context.flush(runtime, 'test')
    release()
    await flushed
    expect((await plugin.read('setups', [SETUP]))?.state.commands).toBe(1)
    await context.whenTracking('broken', () => {
      throw new Error('nope')
    })()
    expect(logs).toEqual(['agent-tracker broken hook failed (ignored): nope'])
  })
})
