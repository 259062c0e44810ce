import type { CostEstimator } from '@agent-tracker/core'

/**
 * A cost estimator over `@pydantic/genai-prices`, a maintained catalogue of model prices that works
 * offline: prices by provider and model (matching dated and regional model ids), cache reads and
 * writes, prompt-size tiers and price changes over time. A provider the catalogue does not know (a
 * proxy, a local alias) is matched by the model alone. Loaded on first use.
 */
export async function loadPriceCatalogue(): Promise<CostEstimator> {
  const { calcPrice } = await import('@pydantic/genai-prices')
  return ({ provider, model, tokens, at }) => {
    // The catalogue counts the whole prompt as input (cache reads and writes included) and reasoning as output.
    const usage = {
      input_tokens: tokens.input + tokens.cacheRead + tokens.cacheWrite,
      cache_read_tokens: tokens.cacheRead,
      cache_write_tokens: tokens.cacheWrite,
      output_tokens: tokens.output + tokens.reasoning,
    }
    const timestamp = new Date(at)
    const price = (providerId: string | undefined): number | undefined => {
      try {
        const found = calcPrice(usage, model, { ...(providerId === undefined ? {} : { providerId }), timestamp })
        return found === null ? undefined : found.total_price
      } catch {
        return undefined
      }
    }
    return model === '' ? undefined : (price(provider) ?? price(undefined))
  }
}
