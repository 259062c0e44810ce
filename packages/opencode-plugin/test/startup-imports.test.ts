import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { publishedEntry } from './published-entry.js'

const PACKAGE = fileURLToPath(new URL('../', import.meta.url))


const STATIC = /(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]*?\sfrom\s*|[\w$*{}\s,]*?from)?\s*["']([^"']+)["']/g
const DYNAMIC = /\bimport\(\s*["']([^"']+)["']\s*\)/g

/** The bundle's files reached from `entry` through static imports, and what those files import by name or on use. */
function eagerGraph(entry: string): { files: Set<string>; packages: Set<string>; onUse: Set<string> } {
  const files = new Set<string>()
  const packages = new Set<string>()
  const onUse = new Set<string>()
  const visit = (file: string): void => {
    if (files.has(file)) return
    files.add(file)
    const text = readFileSync(file, 'utf8')
    for (const [, specifier = ''] of text.matchAll(DYNAMIC)) onUse.add(resolve(dirname(file), specifier))
    for (const [, specifier = ''] of text.matchAll(STATIC)) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier))
      else packages.add(specifier)
    }
  }
  visit(entry)
  return { files, packages, onUse }
}

const text = (files: Iterable<string>): string => [...files].map((file) => readFileSync(file, 'utf8')).join('\n')

describe('the published plugin at start-up', () => {
  it('is one bundle that loads neither LMDB nor the stores, the buffer or the migrations before its hooks exist', () => {
    const entry = publishedEntry()
    expect(entry).toBe(join(PACKAGE, 'bundle', 'index.js'))
    const eager = eagerGraph(entry)
    // The walk reaches the hooks and the agent tools (so an empty walk cannot pass)...
    expect(text(eager.files)).toContain('"tracker_prior_art"')
    // ...every package of the workspace and zod are built in: only Node's own modules are imported by name...
    expect([...eager.packages].filter((name) => !name.startsWith('node:'))).toEqual([])
    // ...and opening the database is imported on use, in the background: LMDB is loaded there only.
    expect(text(eager.files)).not.toContain('"lmdb"')
    const later = new Set([...eager.onUse].flatMap((file) => [...eagerGraph(file).files]))
    expect(text(later)).toContain('withLibcNamed(()=>createRequire')
    expect(text(later)).toContain('"lmdb"')
  })

  it('builds in zod without the locales of its messages but English', () => {
    // zod's `z` namespace holds every locale (German says "erwartet" where English says "expected").
    const eager = text(eagerGraph(publishedEntry()).files)
    expect(eager).toContain('Invalid input: expected')
    expect(eager).not.toContain('erwartet')
  })

  it('lists the licences of the npm code it built in', () => {
    const licences = readFileSync(join(PACKAGE, 'bundle', 'THIRD-PARTY-LICENSES.md'), 'utf8')
    expect(licences).toMatch(/^## zod \d+\.\d+\.\d+ \(MIT\)\n\nMIT License\n\nCopyright \(c\) \d+ Colin McDonnell/m)
  })
})

describe('the published plugin, started in Node', () => {
  const folder = mkdtempSync(join(tmpdir(), 'plugin-bundle-'))
  afterAll(() => {
    rmSync(folder, { recursive: true, force: true })
  })

  it.runIf(process.platform === 'linux')('opens its database from the bundle alone, with LMDB loaded as one CommonJS file and no libc detection', { timeout: 60_000 }, async () => {
    mkdirSync(join(folder, 'project'))
    // A module hook tells the script every ES module the process loads; the script writes them down
    // with the CommonJS ones once the start-up work is done.
    const loaded = join(folder, 'loaded.json')
    writeFileSync(join(folder, 'start.mjs'), [
      "import { register, createRequire } from 'node:module'",
      "import { writeFileSync } from 'node:fs'",
      "const [entry, databasePath, project, loaded] = process.argv.slice(2)",
      "const urls = []",
      "const { port1, port2 } = new MessageChannel()",
      "port1.on('message', (url) => urls.push(url))",
      "port1.unref()",
      "register('./hooks-channel.mjs', { parentURL: import.meta.url, data: { port: port2 }, transferList: [port2] })",
      "await import(entry)",
      "const { startTracking } = await import(new URL('plugin.js', entry).href)",
      "const client = { tui: { showToast: () => Promise.resolve() }, app: { log: ({ body }) => { process.stderr.write(`${body.message}\\n`); return Promise.resolve() } } }",
      "const tracking = startTracking(client, project, { databasePath })",
      "if ((await tracking.runtime) === undefined) process.exit(1)",
      "const keepAlive = setInterval(() => undefined, 1000)",
      "await tracking.startup",
      "await (await tracking.runtime).close()",
      "clearInterval(keepAlive)",
      "await new Promise((done) => setTimeout(done, 50))",
      "writeFileSync(loaded, JSON.stringify({ esm: urls, cjs: Object.keys(createRequire(import.meta.url).cache) }))",
    ].join('\n'))
    writeFileSync(join(folder, 'hooks-channel.mjs'), "let port\nexport function initialize(data) { port = data.port }\nexport async function load(url, context, next) { port.postMessage(url); return next(url, context) }\n")
    const run = await new Promise<{ code: number; stderr: string }>((done) => {
      execFile(process.execPath, [join(folder, 'start.mjs'), pathToFileURL(publishedEntry()).href, join(folder, 'tracker.lmdb'), join(folder, 'project'), loaded], (error, _stdout, stderr) => {
        done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stderr })
      })
    })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const { esm, cjs } = JSON.parse(readFileSync(loaded, 'utf8')) as { esm: string[]; cjs: string[] }
    const plugin = esm.filter((url) => url.startsWith(pathToFileURL(PACKAGE).href) || url.includes('/node_modules/'))
    // Only the bundle's own files, nothing of the workspace's packages or of zod...
    expect(plugin.length).toBeGreaterThan(0)
    expect(plugin.filter((url) => !url.startsWith(pathToFileURL(join(PACKAGE, 'bundle')).href))).toEqual([])
    // ...and LMDB's CommonJS build, loaded without detect-libc.
    expect(cjs.some((path) => path.includes('/lmdb/dist/index.cjs'))).toBe(true)
    expect(cjs.filter((path) => path.includes('detect-libc'))).toEqual([])
  })

  it('checks an agent tool\'s arguments with zod\'s English messages', { timeout: 60_000 }, async () => {
    // The tools' schemas come from the zod built into the bundle, configured there: what OpenCode
    // tells an agent that called a tool with a wrong argument.
    writeFileSync(join(folder, 'parse.mjs'), [
      "const [entry, databasePath, project] = process.argv.slice(2)",
      "const { startTracking } = await import(new URL('plugin.js', entry).href)",
      "const client = { tui: { showToast: () => Promise.resolve() }, app: { log: () => Promise.resolve() } }",
      "const tracking = startTracking(client, project, { databasePath })",
      "const parsed = tracking.hooks.tool.tracker_self_grade.args.grade.safeParse(5)",
      "process.stdout.write(JSON.stringify({ success: parsed.success, message: parsed.error?.issues[0]?.message }))",
      "await (await tracking.runtime)?.close()",
      "process.exit(0)",
    ].join('\n'))
    mkdirSync(join(folder, 'parse-project'))
    const run = await new Promise<{ error: Error | null; stdout: string; stderr: string }>((done) => {
      execFile(process.execPath, [join(folder, 'parse.mjs'), pathToFileURL(publishedEntry()).href, join(folder, 'parse.lmdb'), join(folder, 'parse-project')], (error, stdout, stderr) => {
        done({ error, stdout, stderr })
      })
    })
    expect(run.stderr).toBe('')
    expect(run.error).toBeNull()
    expect(JSON.parse(run.stdout)).toEqual({ success: false, message: 'Invalid input: expected string, received number' })
  })
})
