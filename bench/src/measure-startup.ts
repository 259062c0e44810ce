// Child process (Node or Bun): imports the built plugin and starts it as OpenCode would. Prints
// when its hooks were ready (what OpenCode waits for) and when its database was open (in the
// background), in milliseconds from the start of the import.
const [pluginPath, databasePath, projectDir] = process.argv.slice(2)
type Hook = (input: unknown, output: unknown) => Promise<void>
const start = performance.now()
const plugin = (await import(pluginPath ?? '')) as { default: { server: (input: unknown, options: unknown) => Promise<Record<string, Hook>> } }
const imported = performance.now()
const client = { tui: { showToast: () => new Promise(() => undefined) }, app: { log: () => Promise.resolve() } }
const hooks = await plugin.default.server({ client, directory: projectDir, worktree: projectDir, project: {}, serverUrl: new URL('http://127.0.0.1:1'), $: undefined, experimental_workspace: { register: () => undefined } }, { databasePath })
const ready = performance.now()
// This hook waits for the database: it resolves once the store is open.
await hooks['tool.execute.before']?.({ tool: 'read', sessionID: 'ses_probe', callID: 'call_probe' }, { args: {} })
const open = performance.now()
process.stdout.write(JSON.stringify({ importMs: imported - start, hooksReadyMs: ready - start, databaseOpenMs: open - start }))
process.exit(0)
