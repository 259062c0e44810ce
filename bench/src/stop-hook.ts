import { appendFileSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Transcript } from '@agent-tracker/host-import/testing'
import { wallMs } from './history-import.js'
import { median, round } from './stats.js'

const CLI = fileURLToPath(import.meta.resolve('@agent-tracker/cli/package.json').replace(/package\.json$/, 'bin/agent-tracker.js'))

/** What the Stop row of figure 11 measured: the hook at the end of a turn of a long session, against `node -e 0` run by turns. */
export interface StopHookFigure {
  readonly runs: number
  readonly transcriptMb: number
  readonly nodeMs: number
  /** The first Stop that met the transcript: it reads it all. */
  readonly firstMs: number
  /** A Stop after a previous one, the turn between them appended (median): what Claude Code waits for (the work goes on detached). */
  readonly nextMs: number
  readonly nextOwnMs: number
  /** The same Stop's work done in the foreground (`--foreground`, median): what the detached process does. */
  readonly workMs: number
  readonly workOwnMs: number
}

/**
 * The `Stop` hook of a session whose transcript has grown to `megabytes` (turns of tool calls with
 * their output, as Claude Code 2.1 writes them): once when it meets the transcript first, then
 * `runs` times after a previous Stop, a new turn appended before each, by turns with `node -e 0`.
 */
export async function stopHookOnLargeTranscript(megabytes: number, runs: number): Promise<StopHookFigure> {
  const folder = mkdtempSync(join(tmpdir(), 'bench-stop-'))
  try {
    const cwd = join(folder, 'project')
    const file = join(folder, 's1.jsonl')
    let turns = 0
    while (turns === 0 || statSync(file).size < megabytes * 1024 * 1024) appendFileSync(file, turn(cwd, turns++))
    const env = { PATH: process.env.PATH ?? '', HOME: folder }
    const stop = (...flags: string[]): Promise<number> => wallMs(process.execPath, [CLI, 'hook', 'claude-code', ...flags], JSON.stringify({ session_id: 's1', transcript_path: file, cwd, hook_event_name: 'Stop', stop_hook_active: false, last_assistant_message: `Turn ${String(turns - 1)} done.` }), env)
    const firstMs = round(await stop('--foreground'))
    const node: number[] = []
    const next: number[] = []
    const work: number[] = []
    for (let i = 0; i < runs; i++) {
      appendFileSync(file, turn(cwd, turns++))
      node.push(await wallMs(process.execPath, ['-e', '0'], '', env))
      next.push(await stop())
      // Its detached work runs on; let it end before the next figure.
      await new Promise((resolve) => setTimeout(resolve, DETACHED_WORK_MS))
      appendFileSync(file, turn(cwd, turns++))
      work.push(await stop('--foreground'))
    }
    const nodeMs = round(median(node))
    return {
      runs, transcriptMb: round(statSync(file).size / (1024 * 1024)), nodeMs, firstMs,
      nextMs: round(median(next)), nextOwnMs: round(median(next) - nodeMs), workMs: round(median(work)), workOwnMs: round(median(work) - nodeMs),
    }
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

/** Time left to a detached Stop's work before the next figure (it takes a few hundred milliseconds at most). */
const DETACHED_WORK_MS = 1000

/** One turn's lines: a prompt, ten tool calls with a few kilobytes of output each, and the final response over two lines. */
function turn(cwd: string, index: number): string {
  const transcript = new Transcript('s1', cwd).prompt(`Step ${String(index)}.`)
  for (let call = 0; call < 10; call++) transcript.call(`toolu_${String(index)}_${String(call)}`, call % 2 === 0 ? 'Read' : 'Bash', { file_path: 'src/index.ts', command: 'ls' }, { content: 'x'.repeat(2000) })
  transcript.response(`msg_${String(index)}_end`, [{ type: 'text', text: 'Thinking it over.' }, { type: 'text', text: `Turn ${String(index)} done.` }])
  return transcript.lines.map((line) => `${JSON.stringify(line)}\n`).join('')
}
