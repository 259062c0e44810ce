// Child process (Node or Bun): imports the built plugin and starts it as OpenCode would, then
// prints how long the import and server() took, in milliseconds.
const [pluginPath, databasePath, projectDir] = process.argv.slice(2)
const start = performance.now()
const plugin = (await import(pluginPath ?? '')) as { default: { server: (input: unknown, options: unknown) => Promise<object> } }
const imported = performance.now()
const client = { tui: { showToast: () => new Promise(() => undefined) }, app: { log: () => Promise.resolve() } }
const hooks = await plugin.default.server({ client, directory: projectDir, worktree: projectDir, project: {}, serverUrl: new URL('http://127.0.0.1:1'), $: undefined, experimental_workspace: { register: () => undefined } }, { databasePath })
const started = performance.now()
process.stdout.write(JSON.stringify({ importMs: imported - start, serverMs: started - imported, totalMs: started - start, hooks: Object.keys(hooks).length }))
process.exit(0)
