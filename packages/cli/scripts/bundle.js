// Bundles the built CLI (dist/) into bundle/, which the `agent-tracker` binary runs: a small
// launcher, then one file with every command (main.script.js) or the hook process's code
// (hook.script.js). Node resolves and links an ES module per file, and a command reached ~170 of
// them through the workspace packages' barrels — ~100 ms of every start.
// What is built in and what stays a package — and the check that every package left outside is a
// dependency of this one, lmdb's loading and the licences of built-in code — are the rules every
// app of the workspace is bundled by (tooling/bundling).
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { appBundling, lazyBuiltinsBanner, makeBuiltinsLazy } from '@agent-tracker/bundling'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))

/**
 * npm packages built into the bundle: plain JavaScript, no native code, no data files, nothing
 * they find by their own path. date-fns is a module per function — a command that reads times
 * loaded ~30 of them, each resolved, read and linked on its own (~18 ms of every such command).
 * commander and picocolors, which every command loads, are CommonJS: Node found, read and
 * wrapped commander's seven files and parsed them for their exports (~9 ms of every command).
 * lmdb's JavaScript — its CommonJS build and the plain JavaScript it requires — is built in too
 * (its addon is still found where lmdb is installed; see tooling/bundling): left outside, Node
 * found, read and compiled lmdb's file and its dependencies' at every start of a command or hook
 * process that opens the database (a PreToolUse hook: every tool call); in the bundle its code
 * cache has them compiled, and loading lmdb takes ~18 ms instead of ~31. weak-lru-cache ships no licence
 * file, and msgpackr-extract is msgpackr's optional native accelerator: both stay packages,
 * required from where their importers are installed.
 * Their licences go into the bundle beside them (THIRD-PARTY-LICENSES.md).
 */
const INLINED = [
  'date-fns',
  '@date-fns/tz',
  'commander',
  'picocolors',
  'lmdb',
  'msgpackr',
  'ordered-binary',
  '@harperfast/extended-iterable',
  'node-gyp-build-optional-packages',
  'detect-libc',
]
const bundling = appBundling({ root, inline: INLINED })

const outdir = `${root}bundle`
rmSync(outdir, { recursive: true, force: true })
/**
 * CommonJS built from the ES modules of dist/: their `import.meta.url` becomes the file's own URL
 * (`__importMetaUrl`, which each build's banner defines) and their dynamic imports become requires.
 */
const COMMON_JS = { format: 'cjs', supported: { 'dynamic-import': false }, define: { 'import.meta.url': '__importMetaUrl' } }
const IMPORT_META_URL = "var __importMetaUrl = require('node:url').pathToFileURL(__filename).href;"

// The launcher: what the binary (launch.cjs, below) and the package's `./main` export (launch.js, ES
// modules) load first. It decides how a command runs (in this process or under a supervisor) and
// loads the command's bundle.
await build({
  ...bundling.options,
  entryPoints: ['dist/launch.js'],
  outdir,
  splitting: true,
  format: 'esm',
  // CommonJS built in asks for Node's own modules with `require`, which an ES module lacks.
  banner: { js: "import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);" },
})
// The same launcher as one CommonJS file (launch.cjs), which the binary requires: Node starts a
// CommonJS entry without its ES module loader, which took ~20 ms of every command's start and every
// hook process's (resolving and linking the launcher's modules, wrapping each built-in it imports).
// Its imports on use (the version) are built in.
await build({
  ...bundling.options,
  entryPoints: ['dist/launch.js'],
  outfile: join(outdir, 'launch.cjs'),
  ...COMMON_JS,
  banner: { js: IMPORT_META_URL },
})
// The commands (main.script.js) and the hook process (hook.script.js), each one CommonJS function run
// by the launcher through V8's code cache (see src/compiled-bundle.ts), which only a script — not an
// ES module — can be given in Node 20. Each file is the function expression itself, so the launcher
// compiles it as read, without a copy. A module imported on use stays a function run on use.
for (const [entry, name] of [['dist/main.js', 'main'], ['dist/hook-entry.js', 'hook']]) {
  await build({
    ...bundling.options,
    entryPoints: [entry],
    outfile: join(outdir, `${name}.script.js`),
    // Dynamic imports become requires: V8 drops Node's import() handler from a script it makes from
    // cached data (Node 20), and every module the commands import on use is CommonJS or loads as such.
    ...COMMON_JS,
    banner: { js: `// agent-tracker's ${name === 'main' ? 'commands' : 'hook process'}: one CommonJS function, run by the launcher (not a module to require).\n(function (exports, require, module, __filename, __dirname) {"use strict";${IMPORT_META_URL}${lazyBuiltinsBanner()}` },
    footer: { js: '\n})' },
  })
  // crypto and child_process load when first used: most commands and hooks need neither. Both
  // bundles use them, so none made lazy means esbuild now writes these requires another way.
  if (makeBuiltinsLazy(join(outdir, `${name}.script.js`)) === 0) throw new Error(`No require of crypto or child_process in ${name}.script.js was made lazy: does esbuild write them another way? See makeBuiltinsLazy in tooling/bundling.`)
}
bundling.finish(outdir)
