// @ts-check
/**
 * What bundling one of the workspace's apps (the CLI, the OpenCode plugin) with esbuild takes, so
 * that every app's bundle follows the same rules:
 *
 * - the workspace's own packages are built in;
 * - an npm package is built in only when the app names it in `inline` (plain JavaScript: no native
 *   code, no data files, nothing it finds by its own path — lmdb below is the one exception); every
 *   other one stays a package, loaded by the runtime as its authors built it, and must be a
 *   `dependencies` (or `optionalDependencies`) entry of the app — the build fails naming any that
 *   is not;
 * - a package that built-in npm code imports but that is not built in itself (one that ships no
 *   licence file, or a native accelerator its importer loads if it is there) is required at run
 *   time from where its importer is installed, as the importer would have required it: the app
 *   does not depend on it, its importer does — and must declare it (the build fails naming any
 *   that it does not);
 * - lmdb (a native addon; only its `open` is used) is loaded through its CommonJS build, one file
 *   where its ES module entry is a dozen modules to resolve and link, with the C library named
 *   (`withLibcNamed` of `@agent-tracker/node-host/native-libc`), which spares its addon finder the
 *   libc detection. Left outside, that build and its dependencies are found, read and compiled
 *   from node_modules at every start (of the ~30 ms a CLI command spends loading lmdb, ~13 ms); an app
 *   that names lmdb in `inline` builds that JavaScript in instead, and with it whatever of lmdb's
 *   dependencies it names too. lmdb finds its addon (and its compression dictionary) from its own
 *   file, `__filename`: in the bundle that is the installed lmdb's entry, found at run time as
 *   `require('lmdb')` finds it, so the addon is the installed package's (its platform package, e.g.
 *   `@lmdb/lmdb-linux-x64`). The JavaScript is then the build's and the addon the install's, so the
 *   app must depend on exactly the version built in — the build fails otherwise;
 * - the licence of each npm package built in goes beside the bundle, in THIRD-PARTY-LICENSES.md,
 *   with the version that was built in.
 *
 * Nothing here names an app: each app's build script passes its folder and its `inline` list.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { isBuiltin } from 'node:module'
import { isAbsolute, join, resolve, sep } from 'node:path'

/** The files a package may ship its licence in, in the order they are looked for. */
const LICENCE_FILES = ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'LICENCE', 'LICENCE.md', 'license', 'license.md']

/**
 * The package a bare import names: `date-fns/addDays` → `date-fns`, `@date-fns/tz/x` → `@date-fns/tz`.
 * @param {string} specifier
 * @returns {string}
 */
export function packageOf(specifier) {
  return specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0] ?? specifier
}

/**
 * The npm package an input file of a bundle belongs to, and that package's folder: the part of its
 * path after the last `node_modules/`. Undefined for the workspace's own files.
 * @param {string} file an absolute path
 * @returns {{ name: string, folder: string } | undefined}
 */
export function npmPackageOf(file) {
  const marker = `${sep}node_modules${sep}`
  const at = file.lastIndexOf(marker)
  if (at === -1) return undefined
  const name = packageOf(file.slice(at + marker.length).split(sep).join('/'))
  return { name, folder: join(file.slice(0, at + marker.length), ...name.split('/')) }
}

/**
 * The packages a package.json declares it needs: its `dependencies`, `optionalDependencies` and
 * `peerDependencies`.
 * @param {string} folder the package's folder
 * @returns {Set<string>}
 */
function dependenciesOf(folder) {
  const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'))
  return new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.optionalDependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})])
}

/**
 * The module that finds, when the bundle runs, the folder a package is installed in as Node's
 * `require` finds it from a given place: the first node_modules folder on its lookup path that
 * holds the package (its package.json), links resolved. It stops there, where `require.resolve`
 * would read the package's `exports` to name a file (~2 ms the first time in a process, for a
 * folder alone). A package in no node_modules folder (Yarn's Plug'n'Play) is found by
 * `require.resolve`, then the folder above its entry with its package.json.
 *
 * `requirePackage` requires a package left outside the bundle (weak-lru-cache, beside lmdb) as
 * `require` would, by the file its `exports` name for `require` — its main entry under the first of
 * the `node`, `require` and `default` conditions, when that is a plain path and every condition
 * there is one Node 20 knows — given by its path: Node then reads no `exports` itself, whose
 * resolver it loads on first use (~3 ms of every process that opens the database). A package
 * without `exports`, or with any other shape of them, is left to `require`, which reads them.
 */
const FINDER = `import { createRequire } from 'node:module'
import { readFileSync, realpathSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
export const appRequire = () => createRequire(import.meta.url)
export const requireIn = (folder) => createRequire(join(folder, 'package.json'))
export function installedFolder(name, from) {
  for (const path of from.resolve.paths(name) ?? []) {
    const folder = join(path, name)
    if (statSync(join(folder, 'package.json'), { throwIfNoEntry: false }) !== undefined) return realpathSync(folder)
  }
  for (let folder = dirname(from.resolve(name)); ; folder = dirname(folder)) {
    if (statSync(join(folder, 'package.json'), { throwIfNoEntry: false }) !== undefined && JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')).name === name) return folder
    if (dirname(folder) === folder) throw Object.assign(new Error(\`Cannot find the folder of module '\${name}'\`), { code: 'MODULE_NOT_FOUND' })
  }
}
export function requirePackage(from, name) {
  let folder, manifest
  try {
    folder = installedFolder(name, from)
    manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'))
  } catch {
    return from(name)
  }
  const entry = commonJsEntry(manifest.exports)
  return entry === undefined ? from(name) : from(join(folder, entry))
}
const CONDITIONS = new Set(['node', 'require', 'default', 'import', 'types'])
function commonJsEntry(exports) {
  const main = typeof exports === 'object' && exports !== null && !Array.isArray(exports) && Object.keys(exports).some((key) => key.startsWith('.')) ? exports['.'] : exports
  if (typeof main === 'string') return main.startsWith('./') ? main : undefined
  if (typeof main !== 'object' || main === null || Array.isArray(main) || Object.keys(main).some((key) => !CONDITIONS.has(key))) return undefined
  const key = Object.keys(main).find((condition) => condition === 'node' || condition === 'require' || condition === 'default')
  const target = key === undefined ? undefined : main[key]
  return typeof target === 'string' && target.startsWith('./') ? target : undefined
}
`

/**
 * The module that tells where a built-in npm package is installed when the bundle runs — found from
 * where the package that imported it at build time is installed (itself found so), or from the
 * bundle for one the app's own code imported — and requires from there. Looked up once, on first use.
 * @param {string} name the built-in package
 * @param {string | undefined} from the built-in package that imported it; undefined: the app
 * @returns {string}
 */
function locationModule(name, from) {
  const parent = from === undefined ? 'const parent = appRequire\n' : `import { requireOf as parent } from ${JSON.stringify(`npm-location:${from}`)}\n`
  return `import { join } from 'node:path'\nimport { appRequire, installedFolder as find, requireIn, requirePackage as findPackage } from 'npm-location'\n${parent}let folder, found\nexport const installedFolder = () => (folder ??= find(${JSON.stringify(name)}, parent()))\nexport const installedFile = (path) => join(installedFolder(), path)\nexport const requireOf = () => (found ??= requireIn(installedFolder()))\nexport const requirePackage = (name) => findPackage(requireOf(), name)\n`
}

/**
 * Node's own modules a bundle loads when first used rather than when the code that imports them is
 * loaded: crypto (with its eleven internal modules) and child_process (with net and streams) were
 * ~3–4 ms of every command's and hook process's start, and most need neither — a key part too long
 * to be a key is hashed, a git repository is read, now and then.
 */
const LAZY_BUILTINS = ['crypto', 'child_process']

/** Stands for `require` where a bundle loads one of {@link LAZY_BUILTINS}: as long, so that no column moves and the source map holds. */
const LAZY_REQUIRE = '__rlazy'

/**
 * Makes the bundle `file` (CommonJS, as esbuild writes it, with {@link lazyBuiltinsBanner} in its
 * banner) load {@link LAZY_BUILTINS} on first use. Each `x = require("node:crypto")` becomes
 * `x = __rlazy("node:crypto")`, an object that requires the module at its first property read: what
 * esbuild's code does with such a module (`(0, x.createHash)(…)`), and npm code with
 * `childProcess.spawn(…)`. A module imported on use (`__toESM(require(…))`) is left as it is.
 * @param {string} file
 * @returns {number} the requires made lazy
 * @throws {Error} when the bundle lacks the banner's helper, or already uses its name elsewhere
 */
export function makeBuiltinsLazy(file) {
  const code = readFileSync(file, 'utf8')
  const banner = lazyBuiltinsBanner()
  const at = code.indexOf(banner)
  if (at === -1) throw new Error(`${file} lacks the helper that loads built-in modules on use: put lazyBuiltinsBanner() in its banner.`)
  if (code.indexOf(LAZY_REQUIRE, at + banner.length) !== -1) throw new Error(`${file} uses the name ${LAZY_REQUIRE} itself: choose another name for the helper that loads built-in modules on use.`)
  let count = 0
  const pattern = new RegExp(`(=\\s*)require\\("((?:node:)?(?:${LAZY_BUILTINS.join('|')}))"\\)`, 'g')
  const lazy = code.replace(pattern, (_, assignment, id) => {
    count += 1
    return `${String(assignment)}${LAZY_REQUIRE}(${JSON.stringify(id)})`
  })
  writeFileSync(file, lazy)
  return count
}

/**
 * The helper {@link makeBuiltinsLazy} points the requires at, for the banner of a CommonJS bundle:
 * one line, in the scope of the bundle's `require`.
 * @returns {string}
 */
export function lazyBuiltinsBanner() {
  return `var ${LAZY_REQUIRE}=(id)=>{let loaded;return new Proxy({},{get:(_,key)=>(loaded??=require(id))[key]})};`
}

/**
 * @typedef {object} AppBundling
 * @property {import('esbuild').Plugin[]} plugins for every esbuild build of the app (they turn its metafile on)
 * @property {import('esbuild').BuildOptions} options what every esbuild build of the app shares: these
 *   plugins, run from the app's folder, for Node 20, minified, with linked source maps
 * @property {(outdir: string) => void} finish after the last build: throws naming the packages the
 *   bundle imports that are not dependencies of the app, or of the built-in package that imports
 *   them, or an lmdb built in at another version than the app depends on (and removes `outdir`),
 *   else writes `outdir`/THIRD-PARTY-LICENSES.md
 */

/**
 * The esbuild plugins for bundling the app in `root` (its folder, with its package.json), and the
 * step that checks and completes the bundle after its builds.
 * @param {{ root: string, inline: readonly string[] }} options `inline`: the npm packages to build in
 * @returns {AppBundling}
 */
export function appBundling({ root, inline }) {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.optionalDependencies ?? {})])
  /** @type {Set<string>} */
  const undeclared = new Set()
  /** @type {Set<string>} what built-in packages import without declaring it, as `name (by importer)` */
  const undeclaredByBuiltIn = new Set()
  /** @type {Map<string, string>} package name → the folder its built-in files came from */
  const builtIn = new Map()
  /** @type {Map<string, string | undefined>} built-in package → the built-in package it was first imported by (undefined: the app) */
  const importedBy = new Map()
  /** @param {string} name */
  const leftOutside = (name) => {
    if (!declared.has(name)) undeclared.add(name)
  }

  /** @type {import('esbuild').Plugin} */
  const packagesOutside = {
    name: 'packages-outside',
    setup(builder) {
      builder.initialOptions.metafile = true
      // `npm-location:<package>` (where a built-in package is installed), `npm-location` (the finder
      // they share; a name no package can have).
      builder.onResolve({ filter: /^npm-location(:|$)/ }, ({ path }) => ({ path: path === 'npm-location' ? 'the finder' : path.slice('npm-location:'.length), namespace: 'npm-location' }))
      builder.onLoad({ filter: /.*/, namespace: 'npm-location' }, ({ path }) => ({ contents: path === 'the finder' ? FINDER : locationModule(path, importedBy.get(path)), loader: 'js', resolveDir: root }))
      builder.onResolve({ filter: /^[^./]/ }, ({ path, importer, namespace }) => {
        // Node's own modules (some npm code names them without `node:`) are esbuild's to leave outside.
        if (isBuiltin(path) || path.startsWith('@agent-tracker/') || isAbsolute(path)) return undefined
        const name = packageOf(path)
        const from = namespace === 'file' ? npmPackageOf(importer) : undefined
        if (inline.includes(name)) {
          if (!importedBy.has(name)) importedBy.set(name, from?.name)
          return undefined
        }
        if (from === undefined) {
          leftOutside(name)
          return { path, external: true }
        }
        if (!dependenciesOf(from.folder).has(name)) undeclaredByBuiltIn.add(`${name} (by ${from.name})`)
        return { path: `${path} beside ${from.name}`, namespace: 'npm-beside', pluginData: { path, from: from.name } }
      })
      // CommonJS, so that the importer's `require` gets the package itself, as it would have.
      builder.onLoad({ filter: /.*/, namespace: 'npm-beside' }, ({ pluginData }) => ({
        contents: `module.exports = require(${JSON.stringify(`npm-location:${String(pluginData.from)}`)}).${pluginData.path === packageOf(pluginData.path) ? 'requirePackage' : 'requireOf()'}(${JSON.stringify(pluginData.path)})\n`,
        loader: 'js',
        resolveDir: root,
      }))
      builder.onEnd(({ metafile }) => {
        for (const input of Object.keys(metafile?.inputs ?? {})) {
          if (input.includes(':')) continue // a virtual module (lmdb's, a location), not a file
          const found = npmPackageOf(resolve(root, input))
          if (found !== undefined && !builtIn.has(found.name)) builtIn.set(found.name, found.folder)
        }
      })
    },
  }

  const lmdbBuiltIn = inline.includes('lmdb')
  /** @type {string | undefined} the file of lmdb's CommonJS build that is built in */
  let lmdbEntry
  /** @type {import('esbuild').Plugin} */
  const lmdbAsCommonJs = {
    name: 'lmdb-as-commonjs',
    setup(builder) {
      builder.onResolve({ filter: /^lmdb$/ }, ({ pluginData }) => {
        if (pluginData?.lmdbItself === true) return undefined
        // Built in or not, lmdb is a package the app needs installed: its addon is found there.
        leftOutside('lmdb')
        return { path: 'lmdb', namespace: 'lmdb-as-commonjs' }
      })
      builder.onLoad({ filter: /.*/, namespace: 'lmdb-as-commonjs' }, async () => {
        if (!lmdbBuiltIn) {
          return {
            contents: "import { createRequire } from 'node:module'\nimport { withLibcNamed } from '@agent-tracker/node-host/native-libc'\nexport const { open, openAsClass } = withLibcNamed(() => createRequire(import.meta.url)('lmdb'))\n",
            loader: 'js',
            resolveDir: root,
          }
        }
        const found = await builder.resolve('lmdb', { kind: 'require-call', resolveDir: root, pluginData: { lmdbItself: true } })
        if (found.errors.length > 0) return { errors: found.errors }
        lmdbEntry = found.path
        importedBy.set('lmdb', undefined)
        // `require`, in the function: the built-in lmdb runs when it is loaded, as it did left outside.
        return {
          contents: `import { withLibcNamed } from '@agent-tracker/node-host/native-libc'\nexport const { open, openAsClass } = withLibcNamed(() => require(${JSON.stringify(found.path)}))\n`,
          loader: 'js',
          resolveDir: root,
        }
      })
      // lmdb's own file, given the installed entry's path for `__filename` (`__dirname` its folder).
      // Each use is replaced where it stands and the function that finds it put after the code,
      // so that every line stays where it was, for source maps and stack traces.
      builder.onLoad({ filter: /[\\/]node_modules[\\/]lmdb[\\/].*\.c?js$/ }, async ({ path }) => {
        if (path !== lmdbEntry) return undefined
        const code = await readFile(path, 'utf8')
        if (!/\b__filename\b/.test(code)) return { errors: [{ text: `${path} no longer finds its addon from __filename: see how it does before building lmdb in.` }] }
        const inPackage = path.slice((npmPackageOf(path)?.folder ?? '').length + 1).split(sep).join('/')
        const inFolder = inPackage.includes('/') ? inPackage.slice(0, inPackage.lastIndexOf('/')) : '.'
        return {
          contents: `${code.replace(/\b__filename\b/g, '__installedLmdb()').replace(/\b__dirname\b/g, `__installedLmdb(${JSON.stringify(inFolder)})`)}\nfunction __installedLmdb(path = ${JSON.stringify(inPackage)}) { return require('npm-location:lmdb').installedFile(path) }\n`,
          loader: 'js',
        }
      })
    },
  }

  /** @type {import('esbuild').Plugin[]} */
  const plugins = [lmdbAsCommonJs, packagesOutside]
  return {
    plugins,
    options: {
      absWorkingDir: root,
      bundle: true,
      platform: 'node',
      target: 'node20',
      plugins,
      minifySyntax: true,
      minifyWhitespace: true,
      sourcemap: 'linked',
      logLevel: 'warning',
    },
    finish(outdir) {
      if (undeclared.size > 0) {
        rmSync(outdir, { recursive: true, force: true })
        throw new Error(`The bundle imports packages that are not dependencies of ${String(manifest.name)}: ${[...undeclared].sort().join(', ')}. Add them to its package.json.`)
      }
      if (undeclaredByBuiltIn.size > 0) {
        rmSync(outdir, { recursive: true, force: true })
        throw new Error(`Built-in packages import packages they do not declare, which could not be found beside them: ${[...undeclaredByBuiltIn].sort().join(', ')}. Leave the importer outside the bundle.`)
      }
      const unlisted = [...builtIn.keys()].filter((name) => !inline.includes(name))
      if (unlisted.length > 0) throw new Error(`The bundle built in packages it was not asked to: ${unlisted.join(', ')}.`)
      const lmdbFolder = builtIn.get('lmdb')
      if (lmdbFolder !== undefined) {
        const { version } = JSON.parse(readFileSync(join(lmdbFolder, 'package.json'), 'utf8'))
        const wanted = manifest.dependencies?.lmdb ?? manifest.optionalDependencies?.lmdb
        if (wanted !== version) {
          rmSync(outdir, { recursive: true, force: true })
          throw new Error(`The bundle built in lmdb ${String(version)}, whose addon is found where lmdb is installed: ${String(manifest.name)} must depend on exactly that version, not ${String(wanted)}.`)
        }
      }
      writeFileSync(join(outdir, 'THIRD-PARTY-LICENSES.md'), thirdPartyLicences(builtIn))
    },
  }
}

/**
 * The licence of each package built in, as its package ships it, with the version built in.
 * @param {ReadonlyMap<string, string>} packages name → folder
 * @returns {string}
 */
function thirdPartyLicences(packages) {
  // Code-unit order, not localeCompare: the same file on every machine, whatever its locale.
  const sections = [...packages].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, folder]) => {
    const { version, license } = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'))
    const file = LICENCE_FILES.find((candidate) => existsSync(join(folder, candidate)))
    if (file === undefined) throw new Error(`${name} ${String(version)} ships no licence file (looked for ${LICENCE_FILES.join(', ')} in ${folder}); leave it outside the bundle.`)
    return `## ${name} ${String(version)} (${String(license)})\n\n${readFileSync(join(folder, file), 'utf8').trim()}\n`
  })
  // lmdb built in has the name of its own file (`__filename`) replaced by the installed lmdb's.
  const changed = packages.has('lmdb') ? ", but for lmdb's references to its own file, which name the installed lmdb's entry instead" : ''
  const body = sections.length === 0 ? 'None: every npm package the bundle uses is loaded as a package.\n' : `The files in this folder include the following packages, built in unchanged${changed}.\n\n${sections.join('\n')}`
  return `# Third-party code in this bundle\n\n${body}`
}
