import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The agent-tracker binary a user runs. */
export const CLI_BIN = fileURLToPath(new URL('../../packages/cli/bin/agent-tracker.js', import.meta.url))
/** Preloaded into the binary's process to report its figures (see `children/command-figures.cjs`). */
const COMMAND_FIGURES = fileURLToPath(new URL('../children/command-figures.cjs', import.meta.url))

/** A process run to its end: its wall time as the bench saw it, what it said on stderr, and what it wrote to file descriptor 3. */
export interface ProcessRun {
  readonly wallMs: number
  readonly exitCode: number | null
  readonly stderr: string
  readonly reported: string
}

/**
 * Runs a program to its end, its stdout written to /dev/null (a command's output costs its writes,
 * not a pipe the bench drains), and times it from spawn to exit. Every process a figure compares
 * is started this way — the command and `node -e 0` alike.
 */
export function runTimed(file: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint()
    const child = spawn(file, args, { env, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] })
    let stderr = ''
    let reported = ''
    child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text))
    const fd3 = child.stdio[3]
    if (fd3 !== null && fd3 !== undefined && 'setEncoding' in fd3) fd3.setEncoding('utf8').on('data', (text: string) => (reported += text))
    child.on('error', reject)
    child.on('close', (exitCode) => {
      resolve({ wallMs: Number(process.hrtime.bigint() - start) / 1e6, exitCode, stderr, reported })
    })
  })
}

/** What the binary's process reported of itself (see `children/command-figures.cjs`), and its wall time from the outside. */
export interface BinaryRun {
  readonly wallMs: number
  readonly code: number
  /** From the program's start (after Node's own) to its exit. */
  readonly ms: number
  /** The whole process's CPU time, user and system. */
  readonly cpuMs: number
  readonly maxRssMb: number
}

/**
 * Runs `agent-tracker <args>` through its real binary in a fresh process, as a user runs it.
 * @throws {Error} when it exits other than 0, with what it said on stderr.
 */
export async function runBinary(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<BinaryRun> {
  const run = await runTimed(process.execPath, ['--require', COMMAND_FIGURES, CLI_BIN, ...args], env)
  const figures = JSON.parse(run.reported === '' ? 'null' : run.reported) as Omit<BinaryRun, 'wallMs'> | null
  if (figures?.code !== 0) {
    throw new Error(`agent-tracker ${args.join(' ')} failed (exit code ${String(figures?.code ?? run.exitCode)}): ${run.stderr.trim()}`)
  }
  return { wallMs: run.wallMs, ...figures }
}
