/** The slice of the OpenCode client the plugin uses to talk to people. */
export interface NotifyClient {
  readonly tui: { showToast(options: { body: { title?: string; message: string; variant: 'info' | 'success' | 'warning' | 'error'; duration?: number } }): unknown }
  readonly app: { log(options: { body: { service: string; level: 'debug' | 'info' | 'warn' | 'error'; message: string; extra?: Record<string, unknown> } }): unknown }
}

/** Toasts and log lines, sent without waiting: in headless runs `showToast` never settles. */
export interface Notifier {
  toast(message: string, variant?: 'info' | 'success' | 'warning' | 'error'): void
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string, extra?: Record<string, unknown>): void
}

/** A notifier over the OpenCode client; it never throws and never blocks. */
export function createNotifier(client: NotifyClient): Notifier {
  const send = (call: () => unknown): void => {
    try {
      void Promise.resolve(call()).catch(() => undefined)
    } catch {
      // A client that throws synchronously must not break the hook that notified.
    }
  }
  return {
    toast: (message, variant = 'info') => {
      send(() => client.tui.showToast({ body: { title: 'agent-tracker', message, variant } }))
    },
    log: (level, message, extra) => {
      send(() => client.app.log({ body: { service: 'agent-tracker', level, message, ...(extra === undefined ? {} : { extra }) } }))
    },
  }
}
