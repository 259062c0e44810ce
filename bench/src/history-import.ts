import { execFile, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { Transcript } from '@agent-tracker/host-import/testing'
import { median, round, timeMs } from './stats.js'
import { CLI_BIN as CLI, runBinary } from './binary-run.js'

const run = promisify(execFile)
const CHILDREN = fileURLToPath(new URL('../dist/', import.meta.url))

/** What figure 7 measured: `import claude-code` of a transcript history in a fresh process, against the floor of reading its lines. */
export interface HistoryImportFigure {
  readonly lines: number
  readonly files: number
  readonly facts: number
  /** The whole import: read, map, price, write; in a fresh process. */
  readonly importMs: number
  readonly importMaxRssMb: number
  /** The floor: the same files streamed line by line and parsed, nothing more. */
  readonly floorMs: number
  readonly floorMaxRssMb: number
  readonly ratio: number
}

/**
 * Writes Claude Code transcripts of `lines` lines in all, shaped as Claude Code 2.1 writes them:
 * sessions of about a hundred lines — prompts, tool calls and their results (some failing, some
 * committing in a folder long gone), responses written over two lines.
 */
export function writeTranscripts(folder: string, lines: number): { files: number } {
  let written = 0
  let files = 0
  while (written < lines) {
    const session = `bench-${String(files)}`
    const transcript = new Transcript(session, `/work/project-${String(files % 40)}`).prompt('Implement the next step.')
    for (let step = 0; transcript.lines.length < 96 && written + transcript.lines.length < lines; step++) {
      const id = `toolu_${String(files)}_${String(step)}`
      if (step % 9 === 4) transcript.call(id, 'Bash', { command: `git commit -m 'step ${String(step)}'` }, { content: `[main ${(0x1000000 + files * 100 + step).toString(16)}] step ${String(step)}\n 1 file changed` })
      else if (step % 7 === 3) transcript.call(id, 'Bash', { command: 'npm test' }, { content: 'Exit code 1\n1 failing', isError: true })
      else transcript.call(id, step % 2 === 0 ? 'Read' : 'Bash', { file_path: 'src/index.ts', command: 'ls' }, { content: 'x'.repeat(400) })
      if (step % 5 === 0) transcript.response(`msg_${String(files)}_${String(step)}_text`, [{ type: 'text', text: 'Thinking about it.' }, { type: 'text', text: 'Done with this part.' }])
    }
    transcript.write(join(folder, `-work-project-${String(files % 40)}`, `${session}.jsonl`))
    written += transcript.lines.length
    files += 1
  }
  return { files }
}

/** Figure 7: 100,000 transcript lines imported in a fresh process (median of `runs`), with its peak memory, against streaming and parsing them. */
export async function historyImport(lines: number, runs: number): Promise<HistoryImportFigure> {
  const folder = mkdtempSync(join(tmpdir(), 'bench-history-'))
  try {
    const projects = join(folder, 'projects')
    const { files } = writeTranscripts(projects, lines)
    const imports: { ms: number; maxRssMb: number; facts: number }[] = []
    const floors: { ms: number; maxRssMb: number }[] = []
    for (let i = 0; i < runs; i++) {
      const database = join(folder, `import-${String(i)}.lmdb`)
      const measured = await runBinary(['import', 'claude-code', '--from', projects, '--db', database, '--json'])
      imports.push({ ms: measured.ms, maxRssMb: measured.maxRssMb, facts: 0 })
      floors.push(JSON.parse((await run(process.execPath, [join(CHILDREN, 'measure-read-lines.js'), projects])).stdout) as { ms: number; maxRssMb: number })
    }
    const facts = await countFacts(join(folder, 'import-0.lmdb'))
    const importMs = round(median(imports.map((r) => r.ms)))
    const floorMs = round(median(floors.map((r) => r.ms)))
    return { lines, files, facts, importMs, importMaxRssMb: round(Math.max(...imports.map((r) => r.maxRssMb))), floorMs, floorMaxRssMb: round(Math.max(...floors.map((r) => r.maxRssMb))), ratio: round(importMs / floorMs) }
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

async function countFacts(database: string): Promise<number> {
  const { stdout } = await run(process.execPath, [CLI, 'status', '--db', database, '--json'], { maxBuffer: 64 * 1024 * 1024 })
  // The answer of `status --json`: the data of its envelope.
  return (JSON.parse(stdout) as { data: { state: { toolCalls: number; commits: number; messages: number } }[] }).data.reduce((sum, row) => sum + row.state.toolCalls + row.state.commits + row.state.messages, 0)
}

/** What figure 8 measured: one hook process per event, against `node -e 0` run by turns. */
export interface HookProcessFigure {
  readonly runs: number
  readonly nodeMs: number
  readonly events: readonly { readonly event: string; readonly ms: number; readonly ownMs: number }[]
}

/** Figure 8: the wall time of `agent-tracker hook claude-code` processes per event, and their own time beyond Node's start (`node -e 0`, measured by turns with them). */
export async function hookProcesses(runs: number): Promise<HookProcessFigure> {
  const folder = mkdtempSync(join(tmpdir(), 'bench-hook-'))
  try {
    const cwd = join(folder, 'project')
    const transcriptPath = new Transcript('s1', cwd).prompt('Work.').response('msg_1', [{ type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } }]).write(join(folder, 's1.jsonl'))
    const base = { session_id: 's1', transcript_path: transcriptPath, cwd, prompt_id: 'p1', permission_mode: 'default' }
    const events: Record<string, object> = {
      'UserPromptSubmit (no command)': { ...base, hook_event_name: 'UserPromptSubmit', prompt: 'Carry on.' },
      'PreToolUse (.env guard and halt check)': { ...base, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'ls' }, tool_use_id: 'toolu_1' },
      'PostToolUse (recorded, pending)': { ...base, hook_event_name: 'PostToolUse', tool_name: 'Bash', tool_input: { command: 'ls' }, tool_use_id: 'toolu_1', tool_response: { stdout: 'a', stderr: '' }, duration_ms: 5 },
    }
    const env = { PATH: process.env.PATH ?? '', HOME: folder }
    await wallMs(process.execPath, [CLI, 'hook', 'claude-code'], JSON.stringify(events['PostToolUse (recorded, pending)']), env)
    await wallMs(process.execPath, [CLI, 'status', '--json'], '', env)
    const node: number[] = []
    const times = new Map<string, number[]>()
    for (let i = 0; i < runs; i++) {
      for (const [event, input] of Object.entries(events)) {
        node.push(await wallMs(process.execPath, ['-e', '0'], '', env))
        times.set(event, [...(times.get(event) ?? []), await wallMs(process.execPath, [CLI, 'hook', 'claude-code'], JSON.stringify(input), env)])
      }
    }
    const nodeMs = round(median(node))
    return { runs, nodeMs, events: [...times].map(([event, ms]) => ({ event, ms: round(median(ms)), ownMs: round(median(ms) - nodeMs) })) }
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

/** The wall time of a process given `input` on stdin, in milliseconds. */
export function wallMs(command: string, args: readonly string[], input: string, env: Record<string, string>): Promise<number> {
  return timeMs(() => new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'ignore', 'ignore'] })
    child.on('error', reject)
    child.on('exit', () => {
      resolve()
    })
    child.stdin.end(input)
  }))
}
