import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The agent-tracker binary a user runs. */
export const CLI_BIN = fileURLToPath(new URL('../../packages/cli/bin/agent-tracker.js', import.meta.url))
/** Preloaded into the binary's process to report its figures (see `children/command-figures.cjs`). */
const COMMAND_FIGURES = fileURLToPath(new URL('../children/command-figures.cjs', import.meta.url))

/** A process run to its end: its id, its wall time as the bench saw it, and what it said on stderr. */
export interface ProcessRun {
  readonly pid: number | undefined
  readonly wallMs: number
  readonly exitCode: number | null
  readonly stderr: string
}

/**
 * Runs a program to its end, its stdout written to /dev/null (a command's output costs its writes,
 * not a pipe the bench drains), and times it from spawn to exit. Every process a figure compares
 * is started this way — the command and `node -e 0` alike.
 */
export function runTimed(file: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint()
    const child = spawn(file, args, { env, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text))
    child.on('error', reject)
    child.on('close', (exitCode) => {
      resolve({ pid: child.pid, wallMs: Number(process.hrtime.bigint() - start) / 1e6, exitCode, stderr })
    })
  })
}

/** What a run of the binary reported of itself (see `children/command-figures.cjs`), and its wall time from the outside. */
export interface BinaryRun {
  readonly wallMs: number
  readonly code: number
  /** From the program's start (after Node's own) to its exit. */
  readonly ms: number
  /** CPU time, user and system, of every process of the command: the one started and, for a command that runs under a supervisor, the child doing its work. */
  readonly cpuMs: number
  /** The highest peak memory of those processes. */
  readonly maxRssMb: number
  /** Processes that reported (2 under a supervisor). */
  readonly processes: number
}

interface ProcessFigures {
  readonly pid: number
  readonly code: number
  readonly ms: number
  readonly cpuMs: number
  readonly maxRssMb: number
}

/**
 * Runs `agent-tracker <args>` through its real binary in a fresh process, as a user runs it.
 * @throws {Error} when it exits other than 0, with what it said on stderr.
 */
export async function runBinary(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<BinaryRun> {
  const folder = mkdtempSync(join(tmpdir(), 'bench-figures-'))
  try {
    const report = join(folder, 'figures.jsonl')
    const run = await runTimed(process.execPath, ['--require', COMMAND_FIGURES, CLI_BIN, ...args], { ...env, AGENT_TRACKER_BENCH_FIGURES: report })
    const lines = existsSync(report) ? readFileSync(report, 'utf8').split('\n').filter((line) => line !== '') : []
    const processes = lines.map((line) => JSON.parse(line) as ProcessFigures)
    const started = processes.find((figures) => figures.pid === run.pid)
    if (started?.code !== 0) {
      throw new Error(`agent-tracker ${args.join(' ')} failed (exit code ${String(started?.code ?? run.exitCode)}): ${run.stderr.trim()}`)
    }
    return {
      wallMs: run.wallMs,
      code: started.code,
      ms: started.ms,
      cpuMs: processes.reduce((sum, figures) => sum + figures.cpuMs, 0),
      maxRssMb: Math.max(...processes.map((figures) => figures.maxRssMb)),
      processes: processes.length,
    }
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}
