// Bundles the built CLI (dist/) into bundle/, which the `agent-tracker` binary runs: one file per
// command, with the code they share in chunks. Node resolves and links an ES module per file, and
// a command reached ~170 of them through the workspace packages' barrels — ~100 ms of every start.
// Packages with native code or optional native parts stay outside (they are dependencies here).
import { rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
const outdir = `${root}bundle`
rmSync(outdir, { recursive: true, force: true })
await build({
  absWorkingDir: root,
  entryPoints: ['dist/main.js', 'dist/hook-command.js', 'dist/io.js', 'dist/supervise.js'],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['lmdb', 'pg'],
  // ES module builds first: jsonc-parser's `main` is a UMD build whose require('./impl/format') a bundle cannot follow.
  mainFields: ['module', 'main'],
  // Bundled CommonJS packages (commander, jsonc-parser) call require for Node's own modules.
  banner: { js: "import { createRequire as __agentTrackerRequire } from 'node:module'; const require = __agentTrackerRequire(import.meta.url);" },
  minifySyntax: true,
  minifyWhitespace: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
})
