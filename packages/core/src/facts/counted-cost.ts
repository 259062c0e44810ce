import type { UsageFact } from './facts.js'

/**
 * The cost a response counts with: its own, but 0 for one without a known price
 * (`costSource: "unknown"`), whatever figure came with it — such a response is in no sum of cost,
 * only counted apart (`unpricedMessages`). The fact keeps what it was given, so its id, made from
 * it where the input had none, stays the same.
 */
export function countedCost(fact: Pick<UsageFact, 'cost' | 'costSource'>): number {
  return fact.costSource === 'unknown' ? 0 : fact.cost
}
