import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { OPENCODE_VERSION, SEEDED_CONFIG } from './harness.js'

/**
 * Installs, once before any suite starts, what OpenCode installs in its config folder on its
 * first start in a HOME: its plugin package, from the npm registry. Each suite then copies it into
 * its HOME (see `runOpencode`). Left to OpenCode, every suite's first run installed it, and in CI,
 * where the suites run beside every other package's tests, one such run took 206 s and another
 * passed the tests' 240 s.
 */
export default function setup(): void {
  if (existsSync(SEEDED_CONFIG)) return
  const staged = `${SEEDED_CONFIG}.${String(process.pid)}`
  rmSync(staged, { recursive: true, force: true })
  mkdirSync(staged, { recursive: true })
  try {
    // The package.json OpenCode writes there, and the install it runs.
    writeFileSync(`${staged}/package.json`, `${JSON.stringify({ dependencies: { '@opencode-ai/plugin': OPENCODE_VERSION } }, null, 2)}\n`)
    execFileSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: staged, stdio: 'ignore' })
    renameSync(staged, SEEDED_CONFIG)
  } catch (error) {
    // Then each suite's first run installs it, as OpenCode does by itself: slower, not wrong.
    rmSync(staged, { recursive: true, force: true })
    console.warn(`OpenCode's config folder could not be installed ahead (${(error as Error).message}); each suite's first OpenCode run installs it.`)
  }
}
