import { execFile, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

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

/** How long the bench waits for a measured process before it calls it hung (the slowest, an export of 2M activities, takes ~20 s; a hung run and its second try stay inside the bench tests' 600 s). */
const HUNG_AFTER_MS = 120_000

/** A measured process that did not exit in time and was killed. */
export class HungProcessError extends Error {
  constructor(readonly command: string, readonly limitMs: number) {
    super(`${command} did not exit within ${String(limitMs / 1000)} s and was killed. A process that hangs on its way out after its work is done is Node 20's exit deadlock (nodejs/node#54918: the main thread waits for a background compile that waits for the main thread); fixed in later Node lines.`)
    this.name = 'HungProcessError'
  }
}

/**
 * Runs a program to its end, its stdout written to /dev/null (a command's output costs its writes,
 * not a pipe the bench drains), and times it from spawn to exit. Every process a figure compares
 * is started this way — the command and `node -e 0` alike. A process still running after
 * `limitMs` is killed, and the run fails with {@link HungProcessError}.
 */
export function runTimed(file: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env, limitMs = HUNG_AFTER_MS): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint()
    const child = spawn(file, args, { env, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    let hung = false
    const watch = setTimeout(() => {
      hung = true
      child.kill('SIGKILL')
    }, limitMs)
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text))
    child.on('error', (error) => {
      clearTimeout(watch)
      reject(error)
    })
    child.on('close', (exitCode) => {
      clearTimeout(watch)
      if (hung) reject(new HungProcessError([file, ...args].join(' '), limitMs))
      else resolve({ pid: child.pid, wallMs: Number(process.hrtime.bigint() - start) / 1e6, exitCode, stderr })
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
  /** Minor page faults of those processes, added up: Node's own start-up's among them. */
  readonly minorFaults: number
  /** Processes that reported (2 under a supervisor). */
  readonly processes: number
}

interface ProcessFigures {
  readonly pid: number
  readonly code: number
  readonly ms: number
  readonly cpuMs: number
  readonly maxRssMb: number
  readonly minorFaults: number
}

/**
 * Runs `agent-tracker <args>` through its real binary in a fresh process, as a user runs it.
 * @throws {Error} when it exits other than 0, with what it said on stderr.
 * @throws {HungProcessError} when it hung twice (see {@link runReported}).
 */
export async function runBinary(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<BinaryRun> {
  const { run, processes } = await runReported([CLI_BIN, ...args], env)
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
    minorFaults: processes.reduce((sum, figures) => sum + figures.minorFaults, 0),
    processes: processes.length,
  }
}

/**
 * The minor page faults of `node -e 0` started as {@link runBinary} starts the binary (the same
 * preload): what every process pays before its program runs.
 */
export async function nodeStartFaults(): Promise<number> {
  const { run, processes } = await runReported(['-e', '0'], process.env)
  const started = processes.find((figures) => figures.pid === run.pid)
  if (started === undefined) throw new Error(`node -e 0 reported no figures (exit code ${String(run.exitCode)}): ${run.stderr.trim()}`)
  return started.minorFaults
}

/**
 * Runs Node with `args` and the figures preload; what each of its processes reported. A run that
 * hangs is killed and run once more (a hang on the way out is Node's, see {@link HungProcessError},
 * and rare): the bench says so on stderr, and fails when the second run hangs too.
 */
export async function runReported(args: readonly string[], env: NodeJS.ProcessEnv, limitMs = HUNG_AFTER_MS): Promise<{ run: ProcessRun; processes: ProcessFigures[] }> {
  try {
    return await runReportedOnce(args, env, limitMs)
  } catch (error) {
    if (!(error instanceof HungProcessError)) throw error
    process.stderr.write(`bench: ${error.message} Running it once more.\n`)
    return runReportedOnce(args, env, limitMs)
  }
}

async function runReportedOnce(args: readonly string[], env: NodeJS.ProcessEnv, limitMs: number): Promise<{ run: ProcessRun; processes: ProcessFigures[] }> {
  const folder = mkdtempSync(join(tmpdir(), 'bench-figures-'))
  try {
    const report = join(folder, 'figures.jsonl')
    const run = await runTimed(process.execPath, ['--require', COMMAND_FIGURES, ...args], { ...env, AGENT_TRACKER_BENCH_FIGURES: report }, limitMs)
    const lines = existsSync(report) ? readFileSync(report, 'utf8').split('\n').filter((line) => line !== '') : []
    return { run, processes: lines.map((line) => JSON.parse(line) as ProcessFigures) }
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

/**
 * What a minor page fault costs here: a fresh process touches 32 MB of fresh memory a page at a
 * time, and the time it took is shared among the faults it caused. On hardware a fault is a
 * fraction of a microsecond; on a virtual machine each can cost tens of times that, and a
 * command's own time then goes largely to the pages it touches first (its code, its heap, the
 * map of the database).
 */
export async function pageFaultCost(): Promise<{ readonly usPerFault: number; readonly faults: number }> {
  const script = 'const u=()=>process.resourceUsage().minorPageFault,f=u(),t=process.hrtime.bigint(),b=Buffer.allocUnsafeSlow(32<<20);for(let i=0;i<b.length;i+=4096)b[i]=1;const ns=Number(process.hrtime.bigint()-t);process.stdout.write(JSON.stringify({ns,faults:u()-f}))'
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { encoding: 'utf8' })
  const { ns, faults } = JSON.parse(stdout) as { ns: number; faults: number }
  return { usPerFault: faults > 0 ? ns / 1000 / faults : 0, faults }
}
