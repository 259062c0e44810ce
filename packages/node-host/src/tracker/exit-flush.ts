/**
 * Flushes synchronously when the process exits or gets SIGINT/SIGTERM. The exit listener is put
 * first so it runs before anything else closes resources. A signal listener is added only once
 * and, if no other listener remains, the signal is raised again so the host still terminates as
 * it would have. Returns a function that removes the listeners.
 */
export function flushOnExit(flushSync: () => void): () => void {
  const onExit = (): void => {
    flushSync()
  }
  const onSignal = (signal: NodeJS.Signals): void => {
    flushSync()
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
  }
  process.prependListener('exit', onExit)
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  return () => {
    process.removeListener('exit', onExit)
    process.removeListener('SIGINT', onSignal)
    process.removeListener('SIGTERM', onSignal)
  }
}
