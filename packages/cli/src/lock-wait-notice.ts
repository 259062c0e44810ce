import { writesUnderWay } from '@agent-tracker/lmdb-store/writes-under-way'

/** How long a write waits for another process's write lock before a person at the terminal is told. */
export const LOCK_WAIT_NOTICE_MS = 1000

/** How often the writes under way are looked at. */
const LOOK_EVERY_MS = 200

/**
 * Watches this process's writes (see `writesUnderWay`): once one has waited `ms` for the write
 * lock of the database at `path` — another process holds it: the OpenCode plugin or a Claude Code
 * hook mid-write, another agent-tracker command, or one stopped with Ctrl-Z — `say` gets one line
 * saying so, once per command, instead of a terminal that seems to hang; `holder` names that
 * process where it can be told (`none`: no other process holds the lock now, so nothing is said yet). The watch keeps no process alive. Returns the function that ends it.
 */
export function watchLockWaits(path: string, say: (text: string) => void, holder: () => number | 'none' | undefined = () => undefined, ms = LOCK_WAIT_NOTICE_MS): () => void {
  const timer = setInterval(() => {
    const since = writesUnderWay().waitingSince
    if (since === undefined || Date.now() - since < ms) return
    const pid = holder()
    // No other process holds it (this one's own commit, or it just came free): looked at again on the next tick.
    if (pid === 'none') return
    clearInterval(timer)
    say(`Waiting to write to ${path}: another process${pid === undefined ? '' : ` (${String(pid)})`} holds its write lock (the OpenCode plugin or a Claude Code hook while it writes, another agent-tracker command, or one stopped with Ctrl-Z until it goes on). This command goes on once the lock is free; Ctrl-C gives up.`)
  }, LOOK_EVERY_MS)
  timer.unref()
  return () => {
    clearInterval(timer)
  }
}
