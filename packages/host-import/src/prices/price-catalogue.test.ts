import { describe, expect, it } from 'vitest'
import type { CalcPrice } from './price-catalogue.js'
import { catalogueEstimator, loadPriceCatalogue } from './price-catalogue.js'

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

describe('the price catalogue, priced without asking it again', () => {
  it('gives the catalogue’s own price, to the last digit, for every model it has, at every size of prompt', async () => {
    const { calcPrice, waitForUpdate } = await import('@pydantic/genai-prices')
    const providers = (await waitForUpdate()) ?? []
    expect(providers.length).toBeGreaterThan(30)
    const first = { input: 812, output: 43, reasoning: 7, cacheRead: 200, cacheWrite: 0 }
    // Whole token counts around the prompt-size tiers (128k, 200k), with and without cache reads and writes, reasoning and output.
    const usages = [
      { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 },
      { input: 1, output: 1, reasoning: 0, cacheRead: 0, cacheWrite: 0 },
      first,
      { input: 3, output: 517, reasoning: 0, cacheRead: 41_377, cacheWrite: 2_291 },
      { input: 128_000, output: 9, reasoning: 0, cacheRead: 0, cacheWrite: 1 },
      { input: 17, output: 4_096, reasoning: 300, cacheRead: 199_983, cacheWrite: 0 },
      { input: 17, output: 4_096, reasoning: 300, cacheRead: 199_983, cacheWrite: 1 },
      { input: 250_001, output: 12_345, reasoning: 0, cacheRead: 600_000, cacheWrite: 77_777 },
    ]
    let compared = 0
    let workedOut = 0
    for (const provider of providers) {
      for (const model of provider.models) {
        // A fresh estimator per model: its first call asks the catalogue; the ones after, where they can, work the price out.
        let asked = 0
        const estimate = catalogueEstimator((...call: Parameters<CalcPrice>) => {
          asked += 1
          return (calcPrice as unknown as CalcPrice)(...call)
        })
        if (estimate({ provider: provider.id, model: model.id, tokens: first, at: AT }) === undefined) continue
        const askedToMatch = asked
        for (const tokens of usages) {
          const usage = { input_tokens: tokens.input + tokens.cacheRead + tokens.cacheWrite, cache_read_tokens: tokens.cacheRead, cache_write_tokens: tokens.cacheWrite, output_tokens: tokens.output + tokens.reasoning }
          // As the estimator asks: by the provider, else by the model alone.
          const timestamp = new Date(AT)
          const expected = (calcPrice(usage, model.id, { providerId: provider.id, timestamp }) ?? calcPrice(usage, model.id, { timestamp }))?.total_price
          expect(estimate({ provider: provider.id, model: model.id, tokens, at: AT }), `${provider.id} ${model.id} ${JSON.stringify(tokens)}`).toBe(expected)
          compared += 1
        }
        if (asked === askedToMatch) workedOut += 1
      }
    }
    // Most models (all but those with dated or time-of-day prices, or units other than text tokens) are worked out after their match.
    expect(workedOut).toBeGreaterThan(1000)
    expect(compared).toBeGreaterThan(8000)
  })

  it('asks the catalogue each time for prices that change with the time, or for counts that are not whole', async () => {
    const estimate = await loadPriceCatalogue()
    const tokens = { input: 200, output: 100, reasoning: 0, cacheRead: 1_000, cacheWrite: 0 }
    // DeepSeek's prices change with the time of day: the same usage, priced at two hours, is matched once and priced by the hour each time.
    const night = estimate({ provider: 'deepseek', model: 'deepseek-chat', tokens, at: '2026-11-29T17:30:00.000Z' })
    const day = estimate({ provider: 'deepseek', model: 'deepseek-chat', tokens, at: '2026-11-29T05:00:00.000Z' })
    const { calcPrice } = await import('@pydantic/genai-prices')
    const usage = { input_tokens: 1_200, cache_read_tokens: 1_000, cache_write_tokens: 0, output_tokens: 100 }
    expect(night).toBe(calcPrice(usage, 'deepseek-chat', { providerId: 'deepseek', timestamp: new Date('2026-11-29T17:30:00.000Z') })?.total_price)
    expect(day).toBe(calcPrice(usage, 'deepseek-chat', { providerId: 'deepseek', timestamp: new Date('2026-11-29T05:00:00.000Z') })?.total_price)
    expect(night).not.toBe(day)
    // Counts that are not whole go to the catalogue, which prices them as given.
    const opus = { provider: 'anthropic', model: 'claude-opus-4-8', at: AT }
    expect(estimate({ ...opus, tokens: { input: 100, output: 20, reasoning: 0, cacheRead: 30, cacheWrite: 50 } })).toBeCloseTo(0.0013275, 10)
    expect(estimate({ ...opus, tokens: { input: 100.5, output: 20, reasoning: 0, cacheRead: 30, cacheWrite: 50 } })).toBe(calcPrice({ input_tokens: 180.5, cache_read_tokens: 30, cache_write_tokens: 50, output_tokens: 20 }, 'claude-opus-4-8', { providerId: 'anthropic', timestamp: new Date(AT) })?.total_price)
    // A model the catalogue does not have stays without a price on every call.
    expect(estimate({ provider: 'fake', model: 'm1', tokens, at: AT })).toBeUndefined()
    expect(estimate({ provider: 'fake', model: 'm1', tokens, at: AT })).toBeUndefined()
  })
})
