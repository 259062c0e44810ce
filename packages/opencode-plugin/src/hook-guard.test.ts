import { describe, expect, it } from 'vitest'
import { fakeClient } from '../test/plugin-fixture.js'
import { guardHook } from './hook-guard.js'
import { createNotifier } from './notifier.js'

class Stop extends Error {}

describe('guardHook', () => {
  it('logs and swallows what a hook throws, sync or async', async () => {
    const client = fakeClient()
    const notifier = createNotifier(client)
    await expect(guardHook(notifier, 'sync', () => { throw new TypeError('boom') })()).resolves.toBeUndefined()
    await expect(guardHook(notifier, 'async', () => Promise.reject(new Error('late')))()).resolves.toBeUndefined()
    await expect(guardHook(notifier, 'odd', () => { throw 'a string' as unknown as Error })()).resolves.toBeUndefined()
    expect(client.notices.map((notice) => notice.message)).toEqual([
      'agent-tracker sync hook failed (ignored): boom',
      'agent-tracker async hook failed (ignored): late',
      'agent-tracker odd hook failed (ignored): a string',
    ])
  })

  it('rethrows only what passThrough accepts', async () => {
    const hook = guardHook(createNotifier(fakeClient()), 'before', (error: Error) => { throw error }, (error) => error instanceof Stop)
    await expect(hook(new Stop('blocked'))).rejects.toThrow('blocked')
    await expect(hook(new Error('other'))).resolves.toBeUndefined()
  })
})
