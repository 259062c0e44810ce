import { installExitFlush } from '@agent-tracker/write-buffer'

/**
 * Flushes synchronously when the process exits or gets SIGINT/SIGTERM/SIGHUP, keeping the host's
 * own signal behaviour (see `installExitFlush`). Returns a function that removes the listeners.
 */
export function flushOnExit(flushSync: () => void): () => void {
  return installExitFlush({ flushSync })
}
