// Bundles the built plugin (dist/) into bundle/, what OpenCode loads: the package's entry
// (bundle/index.js), the code it needs before its hooks exist, and the code that opens the database
// in the background, each in a file of its own. Loading the plugin from dist/ meant ~220 modules
// for Bun or Node to resolve, read and link before the hooks existed (the workspace's barrels and
// zod's) and ~125 more to open the database (lmdb's among them); the bundle is a dozen files.
// What is built in and what stays a package — and the check that every package left outside is a
// dependency of this one, lmdb's loading and the licences of built-in code — are the rules every
// app of the workspace is bundled by (tooling/bundling).
import { rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { appBundling } from '@agent-tracker/bundling'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))

/**
 * npm packages built into the bundle: plain ES modules, no native code, no data files, nothing
 * they find by their own path. zod (the agent tools' argument schemas) is ~70 modules loaded before
 * the hooks exist; @date-fns/tz (legacy journal times, read while the project is prepared) a few
 * more. Their licences go into the bundle beside them (THIRD-PARTY-LICENSES.md).
 */
const INLINED = ['zod', '@date-fns/tz']
const bundling = appBundling({ root, inline: INLINED })

const outdir = `${root}bundle`
rmSync(outdir, { recursive: true, force: true })
await build({
  ...bundling.options,
  // index.js is the package's entry. plugin.js (not exported) shares its code and exposes
  // startTracking, the hooks with the background work, for the benchmark's start-up probes.
  // upgrade-worker.js is the worker thread that upgrades a database of release 0.1.0 off OpenCode's
  // thread: the kit starts it as `./upgrade-worker.js` beside its own code, which the chunks are.
  entryPoints: { index: 'dist/index.js', plugin: 'dist/plugin.js', 'upgrade-worker': fileURLToPath(import.meta.resolve('@agent-tracker/node-host/upgrade-worker')) },
  outdir,
  // What the plugin imports on use (the database code, after the hooks exist) stays a file loaded
  // on use.
  splitting: true,
  format: 'esm',
})
bundling.finish(outdir)
