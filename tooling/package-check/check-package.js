#!/usr/bin/env node
// @ts-check
/**
 * Checks the package in the working folder as it would be published. It packs the package with
 * pnpm (which turns `workspace:` ranges into versions, as publishing does), then checks the tarball:
 *
 * - it holds README.md, the repository's LICENSE, and a package.json with `license` and a
 *   `repository` whose `directory` is the package's folder;
 * - publint in strict mode finds nothing (warnings fail like errors);
 * - Are the Types Wrong? finds no type-resolution problem under the `esm-only` profile: the packages
 *   ship ES modules only (no `require` condition, Node ≥ 20.19), so consumers resolve them with
 *   `node16`/`nodenext` or `bundler` from ESM; `node10` (which reads no `exports` map) and `require`
 *   from CommonJS are out of scope, and `strict` would report them for every subpath.
 *
 * Runs in any package (`"check:package": "check-package"`); nothing here names one. Exits 1 on any
 * problem, listing every one.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, relative, sep } from 'node:path'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'

const ATTW_PROFILE = 'esm-only'
const require = createRequire(import.meta.url)

/**
 * The folder holding pnpm-workspace.yaml, at or above `from`.
 * @param {string} from
 * @returns {string}
 */
function workspaceRoot(from) {
  for (let folder = from; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'pnpm-workspace.yaml'))) return folder
    if (dirname(folder) === folder) throw new Error(`check-package: no pnpm-workspace.yaml at or above ${from}`)
  }
}

/**
 * @param {string} path
 * @returns {Record<string, unknown>}
 */
function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'))
}

/**
 * Packs the package in `pkgDir` into `into` and unpacks it there; returns the tarball and the unpacked folder.
 * @param {string} pkgDir
 * @param {string} into
 */
function packAndUnpack(pkgDir, into) {
  execFileSync('pnpm', ['pack', '--pack-destination', into], { cwd: pkgDir, stdio: ['ignore', 'ignore', 'inherit'] })
  const tarball = readdirSync(into).find((name) => name.endsWith('.tgz'))
  if (tarball === undefined) throw new Error(`check-package: pnpm pack wrote no tarball into ${into}`)
  execFileSync('tar', ['-xzf', join(into, tarball), '-C', into])
  return { tarball: join(into, tarball), unpacked: join(into, 'package') }
}

/**
 * What the tarball lacks of README, LICENSE, license and repository.
 * @param {string} unpacked the unpacked tarball
 * @param {string} root the workspace root
 * @param {string} directory the package's folder, relative to the root, with forward slashes
 * @returns {string[]}
 */
function contentProblems(unpacked, root, directory) {
  const problems = []
  const manifest = readJson(join(unpacked, 'package.json'))
  const readme = join(unpacked, 'README.md')
  if (!existsSync(readme)) problems.push('README.md is not in the tarball: add one (what the package is, how to install it, a minimal example).')
  else if (!readFileSync(readme, 'utf8').includes(String(manifest.name))) problems.push(`README.md never names the package ${String(manifest.name)}: show how to install it.`)
  const license = join(unpacked, 'LICENSE')
  if (!existsSync(license)) problems.push('LICENSE is not in the tarball: copy the repository\'s LICENSE into the package folder.')
  else if (readFileSync(license, 'utf8') !== readFileSync(join(root, 'LICENSE'), 'utf8')) problems.push('LICENSE differs from the repository\'s LICENSE: copy it again.')
  const rootManifest = readJson(join(root, 'package.json'))
  if (manifest.license !== rootManifest.license) problems.push(`package.json "license" is ${JSON.stringify(manifest.license)}; the repository's is ${JSON.stringify(rootManifest.license)}.`)
  const expected = { .../** @type {object} */ (rootManifest.repository), directory }
  if (JSON.stringify(manifest.repository) !== JSON.stringify(expected)) {
    problems.push(`package.json "repository" is ${JSON.stringify(manifest.repository)}; expected ${JSON.stringify(expected)} (the repository's, with this package's folder).`)
  }
  const ranges = ['dependencies', 'peerDependencies', 'optionalDependencies'].flatMap((field) => Object.entries(/** @type {Record<string, string>} */ (manifest[field] ?? {})))
  for (const [name, range] of ranges) if (range.startsWith('workspace:')) problems.push(`dependency ${name} is still "${range}" in the tarball.`)
  return problems
}

/**
 * publint's findings about the unpacked tarball, strict: warnings count as errors; suggestions are only shown.
 * @param {string} unpacked
 */
async function publintFindings(unpacked) {
  const { messages, pkg } = await publint({ pkgDir: unpacked, pack: false, strict: true })
  const line = (/** @type {import('publint').Message} */ message) => `publint ${message.code}: ${formatMessage(message, pkg, { color: false }) ?? ''}`
  return {
    problems: messages.filter((message) => message.type !== 'suggestion').map(line),
    suggestions: messages.filter((message) => message.type === 'suggestion').map(line),
  }
}

/**
 * Are the Types Wrong?'s report on the tarball, or undefined when it finds nothing.
 * @param {string} tarball
 * @returns {string | undefined}
 */
function attwReport(tarball) {
  const bin = join(dirname(require.resolve('@arethetypeswrong/cli/package.json')), 'dist', 'index.js')
  const result = spawnSync(process.execPath, [bin, tarball, '--profile', ATTW_PROFILE, '--format', 'table-flipped', '--no-color', '--no-emoji'], { encoding: 'utf8' })
  return result.status === 0 ? undefined : `${result.stdout}${result.stderr}`.trim()
}

const pkgDir = process.cwd()
const root = workspaceRoot(pkgDir)
const directory = relative(root, pkgDir).split(sep).join('/')
const work = mkdtempSync(join(tmpdir(), 'check-package-'))
try {
  const { name, version } = readJson(join(pkgDir, 'package.json'))
  const { tarball, unpacked } = packAndUnpack(pkgDir, work)
  const contents = contentProblems(unpacked, root, directory)
  const lint = await publintFindings(unpacked)
  const types = attwReport(tarball)
  for (const suggestion of lint.suggestions) console.log(`  suggestion: ${suggestion}`)
  const problems = [...contents, ...lint.problems, ...(types === undefined ? [] : [`Are the Types Wrong? (profile ${ATTW_PROFILE}) found problems:\n${types}`])]
  if (problems.length > 0) {
    console.error(`✗ ${String(name)}@${String(version)} is not ready to publish:`)
    for (const problem of problems) console.error(`  - ${problem}`)
    process.exitCode = 1
  } else {
    console.log(`✓ ${String(name)}@${String(version)}: README, LICENSE and repository packed; publint (strict) and Are the Types Wrong? (${ATTW_PROFILE}) find nothing.`)
  }
} finally {
  rmSync(work, { recursive: true, force: true })
}
