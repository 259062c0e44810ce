// Child process (Node or Bun): imports the built plugin as OpenCode does and starts it for a
// project. Prints, in milliseconds from the start of the import: when its hooks were ready (what
// OpenCode waits for), when its database was open, and when its start-up work — the legacy
// migration check and the project profile — was done (both in the background); and, from the
// plugin's start to the end of that work, the longest stretch the event loop could not turn, as a
// 1 ms timer saw it (less its period) and as the CPU the process spent between two of its ticks.
import { watchEventLoop } from './loop-watch.js'
const [pluginPath, databasePath, projectDir] = process.argv.slice(2)
type Tracking = { hooks: object; runtime: Promise<unknown>; startup: Promise<void> }
const start = performance.now()
await import(pluginPath ?? '')
// `server()` is startTracking plus a tick; calling it directly exposes the background work. The
// package's entry is the plugin's bundle; plugin.js beside it is the bundle's second entry, which
// shares the entry's files and exports startTracking.
const { startTracking } = (await import(new URL('plugin.js', `file://${pluginPath ?? ''}`).href)) as { startTracking: (client: unknown, project: string, options: unknown) => Tracking }
const imported = performance.now()
const client = { tui: { showToast: () => new Promise(() => undefined) }, app: { log: () => Promise.resolve() } }
const watch = watchEventLoop()
const tracking = startTracking(client, projectDir ?? '', { databasePath })
const ready = performance.now()
if ((await tracking.runtime) === undefined) throw new Error('tracking is paused: the probe could not open its database')
const open = performance.now()
// The plugin starts this work on an unref'd timer (it never keeps a host alive); OpenCode's own
// handles keep the loop running, so the probe holds it open the same way while it waits.
const keepAlive = setInterval(() => undefined, 1000)
await tracking.startup
const started = performance.now()
// The stretch the work ended in counts too: one more tick closes it.
await new Promise((resolve) => setTimeout(resolve, 5))
const stretch = watch.stop()
clearInterval(keepAlive)
process.stdout.write(JSON.stringify({ importMs: imported - start, hooksReadyMs: ready - start, databaseOpenMs: open - start, startupWorkMs: started - start, ...stretch }))
process.exit(0)
