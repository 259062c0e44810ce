/** Signals after which a host process usually ends. */
const ENDING_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']

/**
 * Opt-in durability for a host: writes whatever is pending, synchronously, when the process exits
 * or gets SIGINT, SIGTERM or SIGHUP. A buffer does not do this by itself — a library must not take
 * over a host's signals — so without it, facts pending when the process ends are lost. The exit
 * listener goes first, before anything else closes resources. The host's own signal behaviour is
 * kept: when no other listener of that signal remains, the signal is raised again so the process
 * still ends by it. Returns a function that removes the listeners.
 */
export function installExitFlush(buffer: { flushSync(): unknown }): () => void {
  const flush = (): void => {
    try {
      buffer.flushSync()
    } catch {
      // Exiting: nothing left to report to. A failed flush keeps its facts pending.
    }
  }
  const onSignal = (signal: NodeJS.Signals): void => {
    flush()
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
  }
  process.prependListener('exit', flush)
  for (const signal of ENDING_SIGNALS) process.once(signal, onSignal)
  return () => {
    process.removeListener('exit', flush)
    for (const signal of ENDING_SIGNALS) process.removeListener(signal, onSignal)
  }
}
