#!/usr/bin/env node
// `pnpm test`: every check and every test of the workspace, as CI runs them.
//
// First the checks that need nothing built (the workspace's manifests, the packages' import
// boundaries), then the build, then the rest on two lanes, longest first. The machines this runs
// on have two cores: started all at once (turbo's default ten tasks at a time, each suite with its
// own workers), the suites slowed each other down five to ten times, the real-OpenCode suite
// started last and ended last (a 285 s suite took 704 s), and a 240 s test timed out. Two lanes
// keep both cores busy without that pile-up, and the longest suite starts first.
//
// Lint and typecheck run once over the whole workspace rather than once per package: each
// package's program reached its siblings' sources, so the per-package runs checked core's code
// fifteen times over (the per-package `lint` and `typecheck` scripts stay, for work on one package).
import { spawn } from 'node:child_process'

/** @typedef {{ label: string, command: string, args: string[] }} Step */

/** @type {Step[]} */
const first = [
  { label: 'manifests', command: 'manypkg', args: ['check'] },
  { label: 'boundaries', command: 'turbo', args: ['boundaries'] },
  { label: 'build', command: 'turbo', args: ['run', 'build'] },
]

/**
 * Two lanes take the next step as they come free. The real-OpenCode suite goes first: it is the
 * longest (~520 s of CPU), and one lane keeps it busy to the end. The other lane gives lint and
 * typecheck results early, then the unit suites (~560 s of CPU, two packages at a time so that
 * they use a core the OpenCode suite leaves idle), and each lane ends with about as much to do.
 * @type {Step[]}
 */
const rest = [
  { label: 'e2e opencode-plugin', command: 'turbo', args: ['run', 'test:e2e', '--filter=@agent-tracker/opencode-plugin', '--output-logs=new-only'] },
  { label: 'lint', command: 'eslint', args: ['.'] },
  { label: 'typecheck', command: 'tsc', args: ['-p', 'tsconfig.check.json'] },
  { label: 'typecheck js', command: 'tsc', args: ['-p', 'tsconfig.check-js.json'] },
  { label: 'unit', command: 'turbo', args: ['run', 'test', '--concurrency=2', '--output-logs=new-only'] },
  { label: 'e2e cli', command: 'turbo', args: ['run', 'test:e2e', '--filter=@agent-tracker/cli', '--output-logs=new-only'] },
  { label: 'packages', command: 'turbo', args: ['run', 'check:package', '--concurrency=2', '--output-logs=new-only'] },
]
const LANES = 2

/** @type {Set<import('node:child_process').ChildProcess>} */
const running = new Set()
let failed = false
/** @type {string[]} Each finished step and how long it took, for the summary at the end. */
const took = []

/** Runs one step, its output line by line behind its label; resolves to whether it passed. */
function run(/** @type {Step} */ step) {
  return new Promise((resolve) => {
    if (failed) return resolve(false)
    const started = Date.now()
    console.log(`[${step.label}] ${step.command} ${step.args.join(' ')}`)
    // Its own process group, so that a failure elsewhere stops it and everything it started.
    // turbo, eslint and tsc are .cmd shims on Windows, which only a shell runs (as in build-quietly.mjs).
    const child = spawn(step.command, step.args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, shell: process.platform === 'win32' })
    running.add(child)
    for (const stream of [child.stdout, child.stderr]) {
      let partial = ''
      stream.setEncoding('utf8')
      stream.on('data', (/** @type {string} */ chunk) => {
        const lines = (partial + chunk).split('\n')
        partial = lines.pop() ?? ''
        for (const line of lines) console.log(`[${step.label}] ${line}`)
      })
      stream.on('end', () => {
        if (partial !== '') console.log(`[${step.label}] ${partial}`)
      })
    }
    child.on('error', (error) => {
      console.error(`[${step.label}] could not start ${step.command}: ${error.message} (run it through pnpm, which puts the workspace's tools on the PATH)`)
    })
    child.on('close', (code, signal) => {
      running.delete(child)
      const seconds = ((Date.now() - started) / 1000).toFixed(0)
      took.push(`${step.label} ${seconds} s`)
      if (code === 0) {
        console.log(`[${step.label}] passed in ${seconds} s`)
        return resolve(true)
      }
      if (!failed) {
        failed = true
        console.error(`[${step.label}] FAILED (${signal ?? `exit ${String(code)}`}) after ${seconds} s; stopping the other steps.`)
        for (const other of running) stop(other)
      }
      resolve(false)
    })
  })
}

function stop(/** @type {import('node:child_process').ChildProcess} */ child) {
  try {
    // The whole group on POSIX; Windows has no process groups to signal.
    if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGTERM')
    else child.kill()
  } catch {
    // Already gone.
  }
}

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(signal, () => {
    failed = true
    for (const child of running) stop(child)
    process.exit(130)
  })
}

const started = Date.now()
for (const step of first) {
  if (!(await run(step))) process.exit(1)
}
const queue = [...rest]
await Promise.all(Array.from({ length: LANES }, async () => {
  for (let step = queue.shift(); step !== undefined && !failed; step = queue.shift()) await run(step)
}))
const minutes = ((Date.now() - started) / 60_000).toFixed(1)
console.log(`Steps, in the order they ended: ${took.join(', ')}.`)
if (failed) {
  console.error(`pnpm test: failed after ${minutes} min.`)
  process.exit(1)
}
console.log(`pnpm test: every check and test passed in ${minutes} min.`)
