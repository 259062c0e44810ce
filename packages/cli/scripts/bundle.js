// Bundles the built CLI (dist/) into bundle/, which the `agent-tracker` binary runs: a small
// launcher, then one file with every command (main.script.js) or the hook process's code
// (hook.script.js). Node resolves and links an ES module per file, and a command reached ~170 of
// them through the workspace packages' barrels — ~100 ms of every start.
// Bundled are the workspace's own packages and a few npm packages of plain JavaScript, ES modules
// or CommonJS (see INLINED); every other package stays a package, loaded by Node as its authors
// built it (native addons, data files, code that finds files by its own path). Every npm package, inlined or not, must be a dependency of this
// one — the build fails naming any that is not.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
const manifest = JSON.parse(readFileSync(`${root}package.json`, 'utf8'))
const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.optionalDependencies ?? {})])
const undeclared = new Set()

/**
 * npm packages built into the bundle: plain JavaScript, no native code, no data files, nothing
 * they find by their own path. date-fns is a module per function — a command that reads times
 * loaded ~30 of them, each resolved, read and linked on its own (~18 ms of every such command).
 * commander and picocolors, which every command loads, are CommonJS: Node found, read and
 * wrapped commander's seven files and parsed them for their exports (~9 ms of every command).
 * Their licences go into the bundle beside them (THIRD-PARTY-LICENSES.md).
 */
const INLINED = ['date-fns', '@date-fns/tz', 'commander', 'picocolors']

/** The package a bare import names: `date-fns/addDays` → `date-fns`, `@date-fns/tz/x` → `@date-fns/tz`. */
function packageOf(path) {
  return path.startsWith('@') ? path.split('/').slice(0, 2).join('/') : path.split('/')[0]
}

/** Leaves every import of a package outside the workspace to Node, noting those not declared here. */
const packagesOutside = {
  name: 'packages-outside',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, ({ path }) => {
      if (path.startsWith('node:') || path.startsWith('@agent-tracker/')) return undefined
      const name = packageOf(path)
      if (!declared.has(name)) undeclared.add(name)
      return INLINED.includes(name) ? undefined : { path, external: true }
    })
  },
}

/**
 * Loads lmdb through its CommonJS build: one file, where its ES module entry is a dozen modules
 * for Node to resolve and link — some 15 ms of every command that opens the database. Only
 * `open` is used from it. It is loaded with the C library named (see src/native-libc.ts), which
 * spares its addon finder another ~9 ms of finding that out.
 */
const lmdbAsCommonJs = {
  name: 'lmdb-as-commonjs',
  setup(builder) {
    builder.onResolve({ filter: /^lmdb$/ }, () => {
      if (!declared.has('lmdb')) undeclared.add('lmdb')
      return { path: 'lmdb', namespace: 'lmdb-as-commonjs' }
    })
    builder.onLoad({ filter: /.*/, namespace: 'lmdb-as-commonjs' }, () => ({
      contents: "import { createRequire } from 'node:module'\nimport { withLibcNamed } from './native-libc.js'\nexport const { open } = withLibcNamed(() => createRequire(import.meta.url)('lmdb'))\n",
      loader: 'js',
      resolveDir: `${root}dist`,
    }))
  },
}

const outdir = `${root}bundle`
rmSync(outdir, { recursive: true, force: true })
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  plugins: [lmdbAsCommonJs, packagesOutside],
  minifySyntax: true,
  minifyWhitespace: true,
  sourcemap: 'linked',
  logLevel: 'warning',
}
// The launcher (ES modules): what the binary and the package's `./main` export load first. It
// decides how a command runs (in this process or under a supervisor) and loads the command's bundle.
await build({
  ...common,
  entryPoints: ['dist/launch.js'],
  outdir,
  splitting: true,
  format: 'esm',
  // CommonJS built in asks for Node's own modules with `require`, which an ES module lacks.
  banner: { js: "import { createRequire as __createRequire } from 'node:module';const require = __createRequire(import.meta.url);" },
})
// The commands (main.script.js) and the hook process (hook.script.js), each one CommonJS function run
// by the launcher through V8's code cache (see src/compiled-bundle.ts), which only a script — not an
// ES module — can be given in Node 20. Each file is the function expression itself, so the launcher
// compiles it as read, without a copy. A module imported on use stays a function run on use.
for (const [entry, name] of [['dist/main.js', 'main'], ['dist/hook-entry.js', 'hook']]) {
  await build({
    ...common,
    entryPoints: [entry],
    outfile: join(outdir, `${name}.script.js`),
    format: 'cjs',
    // Dynamic imports become requires: V8 drops Node's import() handler from a script it makes from
    // cached data (Node 20), and every module the commands import on use is CommonJS or loads as such.
    supported: { 'dynamic-import': false },
    define: { 'import.meta.url': '__importMetaUrl' },
    banner: { js: `// agent-tracker's ${name === 'main' ? 'commands' : 'hook process'}: one CommonJS function, run by launch.js (not a module to require).\n(function (exports, require, module, __filename, __dirname) {"use strict";var __importMetaUrl = require('node:url').pathToFileURL(__filename).href;` },
    footer: { js: '\n})' },
  })
}
if (undeclared.size > 0) {
  rmSync(outdir, { recursive: true, force: true })
  process.stderr.write(`The bundle imports packages that are not dependencies of ${manifest.name}: ${[...undeclared].sort().join(', ')}. Add them to its package.json.\n`)
  process.exit(1)
}
writeFileSync(join(outdir, 'THIRD-PARTY-LICENSES.md'), thirdPartyLicences(INLINED))

/** The licence of each inlined package, as its package ships it, with the version built in. */
function thirdPartyLicences(names) {
  const require = createRequire(join(root, 'package.json'))
  const sections = names.map((name) => {
    const folder = packageFolder(require, name)
    const { version, license } = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'))
    const text = readFileSync(join(folder, ['LICENSE.md', 'LICENSE', 'LICENSE.txt'].find((file) => existsSync(join(folder, file))) ?? 'LICENSE'), 'utf8')
    return `## ${name} ${version} (${license})\n\n${text.trim()}\n`
  })
  return `# Third-party code in this bundle\n\nThe files in this folder include the following packages, built in unchanged.\n\n${sections.join('\n')}`
}

/** The folder of an installed package: up from its entry to its package.json (not every package exports it). */
function packageFolder(require, name) {
  let folder = dirname(require.resolve(name))
  while (!existsSync(join(folder, 'package.json')) || JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')).name !== name) {
    if (dirname(folder) === folder) throw new Error(`No package.json of ${name} above ${require.resolve(name)}`)
    folder = dirname(folder)
  }
  return folder
}
