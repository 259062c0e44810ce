import { describe, expect, it } from 'vitest'
import { loadPriceCatalogue } from './price-catalogue.js'

const AT = '2026-11-29T05:00:00.000Z'

describe('the price catalogue', () => {
  it("prices a Claude response exactly as Claude Code's own figure (100 in, 50 cache write, 30 cache read, 20 out on claude-opus-4-8)", async () => {
    const estimate = await loadPriceCatalogue()
    expect(estimate({ provider: 'anthropic', model: 'claude-opus-4-8', tokens: { input: 100, output: 20, reasoning: 0, cacheRead: 30, cacheWrite: 50 }, at: AT })).toBeCloseTo(0.0013275, 10)
  })

  it('matches a provider it does not know by the model alone, and knows when it has no price', async () => {
    const estimate = await loadPriceCatalogue()
    const tokens = { input: 800, output: 43, reasoning: 7, cacheRead: 200, cacheWrite: 0 }
    const byProvider = estimate({ provider: 'openai', model: 'gpt-5-codex', tokens, at: AT })
    expect(byProvider).toBeGreaterThan(0)
    expect(estimate({ provider: 'my-proxy', model: 'gpt-5-codex', tokens, at: AT })).toBe(byProvider)
    expect(estimate({ provider: 'fake', model: 'm1', tokens, at: AT })).toBeUndefined()
  })
})
