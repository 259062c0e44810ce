import { describeValue } from '../describe-value.js'
import { TrackerError } from '../errors.js'

/**
 * Makes a generator of fact ids that are unique across processes in practice: time, a random
 * part fixed per generator, and a counter. Hosts with `crypto.randomUUID` may pass that instead.
 */
export function createFactIdGenerator(random: () => number = Math.random): () => string {
  const origin = Math.floor(random() * 36 ** 8).toString(36).padStart(8, '0')
  let counter = 0
  return () => {
    counter += 1
    return `${Date.now().toString(36)}-${origin}-${counter.toString(36)}`
  }
}

/**
 * A fact id derived from a host's own stable ids, `<host>:<part>:…` — e.g. `opencode:<sessionID>:<callID>`
 * for a tool call, `opencode:<messageID>` for a message's usage. The same event gets the same id
 * whenever it is recorded (live, sent again, imported from the host's history), so the store
 * counts it once.
 * @throws {TrackerError} INVALID_FACT when the host or a part is empty.
 */
export function hostFactId(host: string, ...parts: readonly string[]): string {
  if (host.trim() === '' || parts.length === 0 || parts.some((part) => part.trim() === '')) {
    throw new TrackerError('INVALID_FACT', `A host fact id needs a host name and at least one non-empty id part, got ${describeValue([host, ...parts])}.`)
  }
  return [host, ...parts].join(':')
}
