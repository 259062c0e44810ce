/** What the cost per commit of some work is worked out from. */
export interface CostCounts {
  readonly commits: number
  /** Assistant messages (responses) recorded, priced or not. */
  readonly messages: number
  /** The summed cost of the priced messages. */
  readonly cost: number
  /** Messages of models without a known price: their cost is in no sum. */
  readonly unpricedMessages: number
}

/**
 * Cost per commit, or null when it is not known: without commits to divide by, without any
 * recorded usage (no responses: nothing says what the work cost, which is not the same as free),
 * or when any response has no known price (the sum would be too low, and read as cheap). A setup
 * is one model, so its responses are priced all or none in practice.
 */
export function costPerCommit(counts: CostCounts): number | null {
  if (counts.commits === 0 || counts.messages === 0 || counts.unpricedMessages > 0) return null
  return counts.cost / counts.commits
}

/** Tokens per commit, or null without commits or without any recorded usage (unknown, not none). */
export function tokensPerCommit(counts: Pick<CostCounts, 'commits' | 'messages'>, tokens: number): number | null {
  return counts.commits === 0 || counts.messages === 0 ? null : tokens / counts.commits
}
