// @ts-check
/**
 * What bundling one of the workspace's apps (the CLI, the OpenCode plugin) with esbuild takes, so
 * that every app's bundle follows the same rules:
 *
 * - the workspace's own packages are built in;
 * - an npm package is built in only when the app names it in `inline` (plain JavaScript: no native
 *   code, no data files, nothing it finds by its own path); every other one stays a package, loaded
 *   by the runtime as its authors built it, and must be a `dependencies` (or
 *   `optionalDependencies`) entry of the app — the build fails naming any that is not;
 * - lmdb (a native addon; only its `open` is used) is loaded through its CommonJS build, one file
 *   where its ES module entry is a dozen modules to resolve and link, with the C library named
 *   (`withLibcNamed` of `@agent-tracker/node-host/native-libc`), which spares its addon finder the
 *   libc detection;
 * - the licence of each npm package built in goes beside the bundle, in THIRD-PARTY-LICENSES.md,
 *   with the version that was built in.
 *
 * Nothing here names an app: each app's build script passes its folder and its `inline` list.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve, sep } from 'node:path'

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
 * @typedef {object} AppBundling
 * @property {import('esbuild').Plugin[]} plugins for every esbuild build of the app (they turn its metafile on)
 * @property {import('esbuild').BuildOptions} options what every esbuild build of the app shares: these
 *   plugins, run from the app's folder, for Node 20, minified, with linked source maps
 * @property {(outdir: string) => void} finish after the last build: throws naming the packages the
 *   bundle imports that are not dependencies of the app (and removes `outdir`), else writes
 *   `outdir`/THIRD-PARTY-LICENSES.md
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
  /** @type {Map<string, string>} package name → the folder its built-in files came from */
  const builtIn = new Map()
  /** @param {string} name */
  const leftOutside = (name) => {
    if (!declared.has(name)) undeclared.add(name)
  }

  /** @type {import('esbuild').Plugin} */
  const packagesOutside = {
    name: 'packages-outside',
    setup(builder) {
      builder.initialOptions.metafile = true
      builder.onResolve({ filter: /^[^./]/ }, ({ path }) => {
        if (path.startsWith('node:') || path.startsWith('@agent-tracker/')) return undefined
        const name = packageOf(path)
        if (inline.includes(name)) return undefined
        leftOutside(name)
        return { path, external: true }
      })
      builder.onEnd(({ metafile }) => {
        for (const input of Object.keys(metafile?.inputs ?? {})) {
          if (input.includes(':')) continue // a virtual module (lmdb below), not a file
          const found = npmPackageOf(resolve(root, input))
          if (found !== undefined && !builtIn.has(found.name)) builtIn.set(found.name, found.folder)
        }
      })
    },
  }

  /** @type {import('esbuild').Plugin} */
  const lmdbAsCommonJs = {
    name: 'lmdb-as-commonjs',
    setup(builder) {
      builder.onResolve({ filter: /^lmdb$/ }, () => {
        leftOutside('lmdb')
        return { path: 'lmdb', namespace: 'lmdb-as-commonjs' }
      })
      builder.onLoad({ filter: /.*/, namespace: 'lmdb-as-commonjs' }, () => ({
        contents: "import { createRequire } from 'node:module'\nimport { withLibcNamed } from '@agent-tracker/node-host/native-libc'\nexport const { open } = withLibcNamed(() => createRequire(import.meta.url)('lmdb'))\n",
        loader: 'js',
        resolveDir: root,
      }))
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
      const unlisted = [...builtIn.keys()].filter((name) => !inline.includes(name))
      if (unlisted.length > 0) throw new Error(`The bundle built in packages it was not asked to: ${unlisted.join(', ')}.`)
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
  const sections = [...packages].sort(([a], [b]) => a.localeCompare(b)).map(([name, folder]) => {
    const { version, license } = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'))
    const file = LICENCE_FILES.find((candidate) => existsSync(join(folder, candidate)))
    if (file === undefined) throw new Error(`${name} ${String(version)} ships no licence file (looked for ${LICENCE_FILES.join(', ')} in ${folder}); leave it outside the bundle.`)
    return `## ${name} ${String(version)} (${String(license)})\n\n${readFileSync(join(folder, file), 'utf8').trim()}\n`
  })
  const body = sections.length === 0 ? 'None: every npm package the bundle uses is loaded as a package.\n' : `The files in this folder include the following packages, built in unchanged.\n\n${sections.join('\n')}`
  return `# Third-party code in this bundle\n\n${body}`
}
