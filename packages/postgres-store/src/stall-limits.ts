import type { PoolConfig } from 'pg'

/**
 * How long one stalled member can hold up the others. A member's writes to the team take its
 * write lock for a transaction; a sync stopped inside one (Ctrl-Z, a laptop asleep, a network
 * that stops answering) would keep it, and every other member's sync would wait for it for good.
 */
export interface StallLimits {
  /** A transaction idle this long is ended by the server, its lock let go (`idle_in_transaction_session_timeout`, set in each transaction); what it wrote rolls back. */
  readonly idleInTransactionMs: number
  /** A statement waiting this long for a lock (another member's write under way) gives up (`lock_timeout`, set in each transaction). */
  readonly lockWaitMs: number
  /** A statement the server has not answered in this long fails on this side (a network that stopped answering); not a migration's, which may take long. */
  readonly answerMs: number
}

/** The limits of {@link StallLimits} by default: far above what a batch of a thousand facts takes. */
export const STALL_LIMITS: StallLimits = { idleInTransactionMs: 30_000, lockWaitMs: 60_000, answerMs: 120_000 }

/**
 * What `pg` keeps on this side of every connection: {@link StallLimits.answerMs} and TCP
 * keep-alive, so that a server gone without a word is noticed by the operating system. The other
 * two limits are set inside each transaction (see {@link transactionLimits}): as startup parameters
 * of the connection, a pooler such as PgBouncer refuses them (or, told to ignore them, drops them),
 * and under transaction pooling a session's setting would not follow its transactions anyway.
 */
export function stallSettings(limits: StallLimits): Pick<PoolConfig, 'query_timeout' | 'keepAlive' | 'keepAliveInitialDelayMillis'> {
  return { query_timeout: limits.answerMs, keepAlive: true, keepAliveInitialDelayMillis: 10_000 }
}

/** The statement that sets {@link StallLimits}' server-side limits for the transaction under way (`set_config(…, true)`: `SET LOCAL`). */
export function transactionLimits(limits: Pick<StallLimits, 'idleInTransactionMs' | 'lockWaitMs'>): { text: string; values: string[] } {
  return {
    text: "SELECT set_config('idle_in_transaction_session_timeout', $1, true), set_config('lock_timeout', $2, true)",
    values: [String(Math.round(limits.idleInTransactionMs)), String(Math.round(limits.lockWaitMs))],
  }
}
