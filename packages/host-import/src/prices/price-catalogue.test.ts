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

  it('asks the catalogue each time for prices that change with the time, or for counts that are not whole, and remembers no match from a throw', async () => {
    const { calcPrice } = await import('@pydantic/genai-prices')
    let asked = 0
    const estimate = catalogueEstimator((...call: Parameters<CalcPrice>) => {
      asked += 1
      return (calcPrice as unknown as CalcPrice)(...call)
    })
    const askedBy = (price: () => number | undefined): { price: number | undefined; asked: number } => {
      const before = asked
      return { price: price(), asked: asked - before }
    }
    const tokens = { input: 200, output: 100, reasoning: 0, cacheRead: 1_000, cacheWrite: 0 }
    const usage = { input_tokens: 1_200, cache_read_tokens: 1_000, cache_write_tokens: 0, output_tokens: 100 }
    const deepseek = (at: string) => estimate({ provider: 'deepseek', model: 'deepseek-chat', tokens, at })
    const expected = (at: string) => calcPrice(usage, 'deepseek-chat', { providerId: 'deepseek', timestamp: new Date(at) })?.total_price
    // A time the catalogue cannot read makes it throw for prices that change with the time: no price, and no match remembered.
    expect(askedBy(() => deepseek('not a time'))).toEqual({ price: undefined, asked: 2 })
    // DeepSeek's prices change with the time of day: matched, then asked again for every price.
    const night = askedBy(() => deepseek('2026-11-29T17:30:00.000Z'))
    const day = askedBy(() => deepseek('2026-11-29T05:00:00.000Z'))
    expect(night).toEqual({ price: expected('2026-11-29T17:30:00.000Z'), asked: 1 })
    expect(day).toEqual({ price: expected('2026-11-29T05:00:00.000Z'), asked: 1 })
    expect(night.price).not.toBe(day.price)
    // Opus's prices do not: after its match it is priced without asking, unless the counts are not whole.
    const opus = { provider: 'anthropic', model: 'claude-opus-4-8', at: AT }
    expect(askedBy(() => estimate({ ...opus, tokens: { input: 100, output: 20, reasoning: 0, cacheRead: 30, cacheWrite: 50 } })).asked).toBe(1)
    const whole = askedBy(() => estimate({ ...opus, tokens: { input: 100, output: 20, reasoning: 0, cacheRead: 30, cacheWrite: 50 } }))
    expect(whole.asked).toBe(0)
    expect(whole.price).toBeCloseTo(0.0013275, 10)
    const fraction = askedBy(() => estimate({ ...opus, tokens: { input: 100.5, output: 20, reasoning: 0, cacheRead: 30, cacheWrite: 50 } }))
    expect(fraction).toEqual({ price: calcPrice({ input_tokens: 180.5, cache_read_tokens: 30, cache_write_tokens: 50, output_tokens: 20 }, 'claude-opus-4-8', { providerId: 'anthropic', timestamp: new Date(AT) })?.total_price, asked: 1 })
    // A provider the catalogue does not know: matched by the model alone, and priced so after.
    const proxy = { provider: 'my-proxy', model: 'gpt-5-codex', tokens, at: AT }
    const first = askedBy(() => estimate(proxy))
    expect(first.asked).toBe(2)
    expect(first.price).toBe(calcPrice(usage, 'gpt-5-codex', { timestamp: new Date(AT) })?.total_price)
    expect(askedBy(() => estimate(proxy))).toEqual({ price: first.price, asked: 0 })
    // A model the catalogue does not have: asked once by the provider and once by the model, never again.
    expect(askedBy(() => estimate({ provider: 'fake', model: 'm1', tokens, at: AT }))).toEqual({ price: undefined, asked: 2 })
    expect(askedBy(() => estimate({ provider: 'fake', model: 'm1', tokens, at: AT }))).toEqual({ price: undefined, asked: 0 })
  })
})
