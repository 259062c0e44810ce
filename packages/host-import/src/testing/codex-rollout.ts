import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

/** Lines of a Codex 0.171 rollout, shaped as the real CLI writes them (see the end-to-end test for the real thing). */
export class Rollout {
  readonly lines: object[] = []
  #ordinal = 0
  #clock = Date.parse('2026-11-29T05:03:29.000Z')

  constructor(readonly thread: string, cwd: string, options: { provider?: string; parent?: string; role?: string | null; model?: string | null; startAt?: string } = {}) {
    if (options.startAt !== undefined) this.#clock = Date.parse(options.startAt)
    this.#line('session_meta', {
      session_id: options.parent ?? thread, id: thread, timestamp: new Date(this.#clock).toISOString(), cwd, originator: 'codex_exec', cli_version: '0.171.0',
      source: options.parent === undefined ? 'exec' : { subagent: { thread_spawn: { parent_thread_id: options.parent, depth: 1, agent_nickname: 'Lagrange', agent_role: options.role ?? null } } },
      model_provider: options.provider ?? 'openai',
    })
    if (options.model !== null) this.#line('turn_context', { turn_id: 't1', cwd, approval_policy: 'never', model: options.model ?? 'gpt-5-codex', sandbox_policy: { type: 'danger-full-access' } })
  }

  #line(type: string, payload: object): void {
    this.#clock += 100
    this.lines.push({ timestamp: new Date(this.#clock).toISOString(), ordinal: this.#ordinal++, type, payload })
  }

  /** An exec_command call, its CommandExecution item, its output and the response's usage. */
  exec(callId: string, cmd: string, output: string, exitCode: number, usage: { records?: boolean; total?: object } = {}): this {
    this.#line('response_item', { type: 'function_call', status: 'completed', name: 'exec_command', arguments: JSON.stringify({ cmd }), call_id: callId })
    if (usage.records !== false) this.#line('token_usage_record', { thread_id: this.thread, response_id: `resp_${callId}`, usage: USAGE })
    this.#line('event_msg', { type: 'item_completed', item: { type: 'CommandExecution', id: callId, command: ['/bin/bash', '-lc', cmd], status: exitCode === 0 ? 'completed' : 'failed', aggregated_output: output, exit_code: exitCode } })
    this.#line('response_item', { type: 'function_call_output', call_id: callId, output: `Chunk ID: 1\nWall time: 0.0000 seconds\nProcess exited with code ${String(exitCode)}\nOriginal token count: 3\nOutput:\n${output}` })
    if (usage.total !== undefined) this.#line('event_msg', { type: 'token_count', info: { total_token_usage: usage.total, last_token_usage: USAGE, last_usage_includes_reasoning: false } })
    return this
  }

  /** Time passing before the next line (a long call, the user away). */
  pause(ms: number): this {
    this.#clock += ms
    return this
  }

  /** A cumulative token count, as Codex writes after each response. */
  tokenCount(total: object): this {
    this.#line('event_msg', { type: 'token_count', info: { total_token_usage: total, last_token_usage: USAGE } })
    return this
  }

  /** Writes the rollout (creating folders); `tail` is appended as is. */
  write(file: string, tail = ''): string {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, `${this.lines.map((line) => JSON.stringify(line)).join('\n')}\n${tail}`)
    return file
  }
}

/** One response's usage as the fake server in the end-to-end test sends it. */
export const USAGE = { input_tokens: 1000, cached_input_tokens: 200, cache_write_input_tokens: 0, output_tokens: 50, reasoning_output_tokens: 7, total_tokens: 1050 }
