import { describe, expect, it } from 'vitest'
import plugin from './index.js'

describe('the plugin module', () => {
  it('is { id, server } and nothing else, as OpenCode loads it', async () => {
    expect(Object.keys(plugin).sort()).toEqual(['id', 'server'])
    expect(plugin.id).toBe('agent-tracker')
    expect(typeof plugin.server).toBe('function')
    expect(Object.keys(await import('./index.js'))).toEqual(['default'])
  })
})
