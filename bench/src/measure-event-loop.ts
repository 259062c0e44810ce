// Child process (Node or Bun): starts the built plugin as OpenCode does, against a large database,
// and runs one of its agent tools a few times while a 1 ms timer watches the event loop. Prints,
// in milliseconds: the largest gap between ticks less the 1 ms period (what the loop saw, which on
// a busy machine includes the time the OS gave other processes), the most CPU the process spent
// between two ticks (the longest stretch of its own work), and each call's wall time.
import { watchEventLoop } from './loop-watch.js'
const [pluginPath, databasePath, projectDir, toolName = 'tracker_prior_art', runs = '5'] = process.argv.slice(2)
type ToolDefinition = { execute(args: Record<string, unknown>, context: Record<string, unknown>): Promise<string> }
type Tracking = { hooks: { tool?: Record<string, ToolDefinition> }; runtime: Promise<unknown>; startup: Promise<void> }
const { startTracking } = (await import(new URL('plugin.js', `file://${pluginPath ?? ''}`).href)) as { startTracking: (client: unknown, project: string, options: unknown) => Tracking }
const client = { tui: { showToast: () => Promise.resolve() }, app: { log: () => Promise.resolve() } }
const tracking = startTracking(client, projectDir ?? '', { databasePath, migrateOnStart: false })
if ((await tracking.runtime) === undefined) throw new Error('tracking is paused: the probe could not open its database')
const keepAlive = setInterval(() => undefined, 1000)
await tracking.startup
const tool = tracking.hooks.tool?.[toolName]
if (tool === undefined) throw new Error(`no tool ${toolName}`)
const watch = watchEventLoop()
const calls: number[] = []
for (let run = 0; run < Number(runs); run++) {
  await new Promise((resolve) => setTimeout(resolve, 20))
  watch.restart()
  const start = performance.now()
  await tool.execute({ task: 'stripe webhook retries' }, { sessionID: 'ses_probe', messageID: 'msg_probe', agent: 'build', abort: new AbortController().signal })
  calls.push(performance.now() - start)
}
await new Promise((resolve) => setTimeout(resolve, 20))
const stretch = watch.stop()
clearInterval(keepAlive)
process.stdout.write(JSON.stringify({ ...stretch, callMs: calls }))
process.exit(0)
