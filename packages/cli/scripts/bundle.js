// Bundles the built CLI (dist/) into bundle/, which the `agent-tracker` binary runs: one file per
// command, with the code they share in chunks. Node resolves and links an ES module per file, and
// a command reached ~170 of them through the workspace packages' barrels — ~100 ms of every start.
// Only the workspace's own packages are bundled: every other package stays a package, loaded by
// Node as its authors built it (native addons, CommonJS, data files), and must be a dependency of
// this one — the build fails naming any that is not.
import { readFileSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
const manifest = JSON.parse(readFileSync(`${root}package.json`, 'utf8'))
const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.optionalDependencies ?? {})])
const undeclared = new Set()

/** Leaves every import of a package outside the workspace to Node, noting those not declared here. */
const packagesOutside = {
  name: 'packages-outside',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, ({ path }) => {
      if (path.startsWith('node:') || path.startsWith('@agent-tracker/')) return undefined
      const name = path.startsWith('@') ? path.split('/').slice(0, 2).join('/') : path.split('/')[0]
      if (!declared.has(name)) undeclared.add(name)
      return { path, external: true }
    })
  },
}

/**
 * Loads lmdb through its CommonJS build: one file, where its ES module entry is a dozen modules
 * for Node to resolve and link — some 15 ms of every command that opens the database. Only
 * `open` is used from it.
 */
const lmdbAsCommonJs = {
  name: 'lmdb-as-commonjs',
  setup(builder) {
    builder.onResolve({ filter: /^lmdb$/ }, () => {
      if (!declared.has('lmdb')) undeclared.add('lmdb')
      return { path: 'lmdb', namespace: 'lmdb-as-commonjs' }
    })
    builder.onLoad({ filter: /.*/, namespace: 'lmdb-as-commonjs' }, () => ({
      contents: "import { createRequire } from 'node:module'\nexport const { open } = createRequire(import.meta.url)('lmdb')\n",
      loader: 'js',
    }))
  },
}

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
  plugins: [lmdbAsCommonJs, packagesOutside],
  minifySyntax: true,
  minifyWhitespace: true,
  sourcemap: 'linked',
  logLevel: 'warning',
})
if (undeclared.size > 0) {
  rmSync(outdir, { recursive: true, force: true })
  process.stderr.write(`The bundle imports packages that are not dependencies of ${manifest.name}: ${[...undeclared].sort().join(', ')}. Add them to its package.json.\n`)
  process.exit(1)
}
