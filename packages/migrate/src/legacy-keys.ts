/**
 * The keys the predecessor wrote its records under. Project paths and agent ids may contain `:`,
 * hashes and epochs never do, so keys are split from their end; a key with a part missing or empty
 * is not one the predecessor wrote, and splits to undefined.
 */

/** `<projectPath>:<hash>`: a commit (the central database's `commits`, the per-project `commit:` keys). */
export function splitCommitKey(key: string): { readonly project: string; readonly hash: string } | undefined {
  const cut = key.lastIndexOf(':')
  if (cut <= 0 || cut === key.length - 1) return undefined
  return { project: key.slice(0, cut), hash: key.slice(cut + 1) }
}

/** `<agentId>:<hash>:<epochMillis>`: a grade event (the central database's `communication`, the per-project `communication:` keys). */
export function splitCommunicationKey(key: string): { readonly agentId: string; readonly hash: string; readonly epochMillis: number } | undefined {
  const last = key.lastIndexOf(':')
  const middle = last <= 0 ? -1 : key.lastIndexOf(':', last - 1)
  const epoch = key.slice(last + 1)
  const epochMillis = Number(epoch)
  if (middle <= 0 || last - middle <= 1 || epoch.trim() === '' || !Number.isFinite(epochMillis)) return undefined
  return { agentId: key.slice(0, middle), hash: key.slice(middle + 1, last), epochMillis }
}

/** `<agentId>:<hash>`: a retrospective of the central database. */
export function splitRetrospectiveKey(key: string): { readonly agentId: string; readonly hash: string } | undefined {
  const cut = key.lastIndexOf(':')
  if (cut <= 0 || cut === key.length - 1) return undefined
  return { agentId: key.slice(0, cut), hash: key.slice(cut + 1) }
}

/**
 * `<agentId>:<timestamp>`: an activity of the central database. The timestamp holds `:` itself, so
 * the agent is what precedes the activity's own `timestamp` field when the key ends with it, else
 * what precedes the first `:`.
 */
export function splitActivityKey(key: string, stamp: unknown): { readonly agentId: string } | undefined {
  const agentId = typeof stamp === 'string' && stamp !== '' && key.endsWith(`:${stamp}`) ? key.slice(0, -stamp.length - 1) : key.slice(0, Math.max(0, key.indexOf(':')))
  return agentId.trim() === '' ? undefined : { agentId }
}
