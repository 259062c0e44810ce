import type { Notifier } from './notifier.js'
import { inPluginTerms } from './plugin-errors.js'

/**
 * Wraps a hook so that nothing it throws reaches OpenCode: failures are logged and swallowed.
 * Errors `passThrough` accepts are rethrown (a blocked tool call must reach the host).
 */
export function guardHook<A extends unknown[]>(notifier: Notifier, name: string, hook: (...args: A) => Promise<void> | void, passThrough?: (error: unknown) => boolean): (...args: A) => Promise<void> {
  return async (...args: A): Promise<void> => {
    try {
      await hook(...args)
    } catch (error) {
      if (passThrough?.(error) === true) throw error
      notifier.log('error', `agent-tracker ${name} hook failed (ignored): ${inPluginTerms(error)}`)
    }
  }
}
