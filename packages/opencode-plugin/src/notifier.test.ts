import { describe, expect, it } from 'vitest'
import { createNotifier } from './notifier.js'

describe('createNotifier', () => {
  it('sends toasts and log lines without waiting, and survives a client that throws or rejects', () => {
    const sent: string[] = []
    const notifier = createNotifier({
      tui: { showToast: ({ body }) => (sent.push(`toast ${body.variant} ${body.message}`), new Promise(() => undefined)) },
      app: {
        log: ({ body }) => {
          if (body.message === 'throws') throw new Error('client broke')
          sent.push(`log ${body.level} ${body.message}`)
          return Promise.reject(new Error('server gone'))
        },
      },
    })
    notifier.toast('never settles')
    notifier.log('error', 'throws')
    notifier.log('warn', 'rejected')
    expect(sent).toEqual(['toast info never settles', 'log warn rejected'])
  })
})
