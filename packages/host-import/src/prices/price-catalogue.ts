import type { CostEstimator } from '@agent-tracker/core'

/** What `calcPrice` of `@pydantic/genai-prices` is given and gives, as far as this file reads them. */
export type CalcPrice = (usage: Record<string, number>, model: string, options: { providerId?: string; timestamp: Date }) => { readonly total_price: number; readonly model: { readonly prices: unknown }; readonly model_price: Readonly<Record<string, unknown>> } | null

/**
 * A cost estimator over `@pydantic/genai-prices`, a maintained catalogue of model prices that works
 * offline: prices by provider and model (matching dated and regional model ids), cache reads and
 * writes, prompt-size tiers and price changes over time. A provider the catalogue does not know (a
 * proxy, a local alias) is matched by the model alone. Loaded on first use.
 *
 * The catalogue matches the model and works out the price's units anew on every call (about 80 µs,
 * a quarter of an import of a long Claude Code history). So each provider and model is matched
 * once: a model whose prices do not change with time and name only text tokens (see
 * {@link flatPrices}) is then priced here, by the catalogue's own arithmetic; any other goes to the
 * catalogue each time.
 */
export async function loadPriceCatalogue(): Promise<CostEstimator> {
  const { calcPrice } = (await import('@pydantic/genai-prices')) as unknown as { calcPrice: CalcPrice }
  return catalogueEstimator(calcPrice)
}

/** {@link loadPriceCatalogue}'s estimator over the catalogue's `calcPrice`. */
export function catalogueEstimator(calcPrice: CalcPrice): CostEstimator {
  const matched = new Map<string, Matched>()
  return ({ provider, model, tokens, at }) => {
    if (model === '') return undefined
    // The catalogue counts the whole prompt as input (cache reads and writes included) and reasoning as output.
    const usage = {
      input_tokens: tokens.input + tokens.cacheRead + tokens.cacheWrite,
      cache_read_tokens: tokens.cacheRead,
      cache_write_tokens: tokens.cacheWrite,
      output_tokens: tokens.output + tokens.reasoning,
    }
    const key = `${provider}\u0000${model}`
    const known = matched.get(key)
    if (known === 'unpriced') return undefined
    if (known?.flat !== undefined && isWholeCounts(usage)) return priceOf(known.flat, usage)
    const timestamp = new Date(at)
    const price = (providerId: string | undefined): ReturnType<CalcPrice> | undefined => {
      try {
        return calcPrice(usage, model, { ...(providerId === undefined ? {} : { providerId }), timestamp })
      } catch {
        return undefined
      }
    }
    // As the catalogue is asked without a match: by the provider, else (no match there, or a throw) by the model alone.
    if (known !== undefined) return (price(known.providerId) ?? (known.providerId === undefined ? undefined : price(undefined)))?.total_price
    const byProvider = price(provider)
    if (byProvider === undefined) return price(undefined)?.total_price
    const found = byProvider ?? price(undefined)
    // A match is remembered only from the catalogue's answers: a throw is this usage's (a time it
    // cannot read, say), not the model's, and says nothing of where the model is found.
    if (found === null) matched.set(key, 'unpriced')
    else if (found !== undefined) matched.set(key, { providerId: byProvider === null ? undefined : provider, flat: flatPrices(found) })
    return found?.total_price
  }
}

/** What a provider and model matched: the provider to ask the catalogue with (undefined: the model alone) and, where they can be, prices to work out here; or no price. */
type Matched = { readonly providerId: string | undefined; readonly flat: FlatPrices | undefined } | 'unpriced'

/** A model's prices in the catalogue's order, each a number or prompt-size tiers (in $ per million tokens). */
interface FlatPrices {
  readonly prices: readonly (readonly [PricedUnit, number | Tiers])[]
  /** Whether cache reads and writes have prices of their own (else they count as input). */
  readonly cacheRead: boolean
  readonly cacheWrite: boolean
}

interface Tiers {
  readonly base: number
  /** By start, ascending. */
  readonly tiers: readonly { readonly start: number; readonly price: number }[]
}

type PricedUnit = 'input_mtok' | 'cache_read_mtok' | 'cache_write_mtok' | 'output_mtok'

/** The token prices worked out here. */
const TOKEN_PRICES = new Set<string>(['input_mtok', 'cache_read_mtok', 'cache_write_mtok', 'output_mtok'])
/** Prices of units this estimator never reports (one-hour cache writes, searches): with no usage, they add nothing. */
const UNREPORTED = new Set(['cache_write_1h_mtok', 'web_searches_kcount', 'storage_searches_kcount'])

/**
 * A matched model's prices, when they can be worked out here exactly as the catalogue would: the
 * same prices whatever the time (not a list of dated or time-of-day prices), and only text tokens
 * priced (any other unit — audio, images, a fee per request — sends the model to the catalogue
 * each time). Undefined otherwise.
 */
function flatPrices(found: NonNullable<ReturnType<CalcPrice>>): FlatPrices | undefined {
  if (Array.isArray(found.model.prices)) return undefined
  const prices: [PricedUnit, number | Tiers][] = []
  for (const [unit, price] of Object.entries(found.model_price)) {
    if (price === undefined || UNREPORTED.has(unit)) continue
    if (!TOKEN_PRICES.has(unit)) return undefined
    const value = priceValue(price)
    if (value === undefined) return undefined
    prices.push([unit as PricedUnit, value])
  }
  const has = (unit: PricedUnit): boolean => prices.some(([priced]) => priced === unit)
  return { prices, cacheRead: has('cache_read_mtok'), cacheWrite: has('cache_write_mtok') }
}

function priceValue(price: unknown): number | Tiers | undefined {
  if (isPrice(price)) return price
  if (typeof price !== 'object' || price === null) return undefined
  const { base, tiers } = price as { base?: unknown; tiers?: unknown }
  if (!isPrice(base) || !Array.isArray(tiers)) return undefined
  const steps: { start: number; price: number }[] = []
  for (const tier of tiers as unknown[]) {
    const { start, price: rate } = (tier ?? {}) as { start?: unknown; price?: unknown }
    if (typeof start !== 'number' || !Number.isSafeInteger(start) || start < 0 || !isPrice(rate)) return undefined
    steps.push({ start, price: rate })
  }
  return { base, tiers: steps.sort((a, b) => a.start - b.start) }
}

function isPrice(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}

function isWholeCounts(usage: Readonly<Record<string, number>>): boolean {
  return Object.values(usage).every((count) => Number.isSafeInteger(count) && count >= 0)
}

/**
 * The price of whole token counts as the catalogue works it out (version 0.1.8): each priced unit
 * is charged for its own tokens — input for the prompt less the cache reads and writes that have
 * prices of their own — at its price, or at the tier the whole prompt reaches; input and output
 * are added up apart, in the prices' order, then together. The same steps in the same order give
 * the same number to the last digit; a test holds this against the catalogue for every model.
 */
function priceOf(model: FlatPrices, usage: { readonly input_tokens: number; readonly cache_read_tokens: number; readonly cache_write_tokens: number; readonly output_tokens: number }): number {
  const prompt = usage.input_tokens
  const counts: Record<PricedUnit, number> = {
    input_mtok: prompt - ((model.cacheRead ? usage.cache_read_tokens : 0) + (model.cacheWrite ? usage.cache_write_tokens : 0)),
    cache_read_mtok: usage.cache_read_tokens,
    cache_write_mtok: usage.cache_write_tokens,
    output_mtok: usage.output_tokens,
  }
  let input = 0
  let output = 0
  for (const [unit, price] of model.prices) {
    const count = counts[unit]
    const charged = typeof price === 'number' ? (price * count) / 1e6 : count <= 0 ? 0 : ((tierRate(price, prompt) * count) / 1e6) * 1e6 / 1e6
    if (unit === 'output_mtok') output += charged
    else input += charged
  }
  return input + output
}

function tierRate(price: Tiers, prompt: number): number {
  let rate = price.base
  for (const tier of price.tiers) if (prompt > tier.start) rate = tier.price
  return rate
}
