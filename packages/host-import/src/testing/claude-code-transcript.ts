import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

/** Lines of a Claude Code 2.1 transcript, shaped as the real CLI writes them (see the end-to-end test for the real thing). */
export class Transcript {
  readonly lines: object[] = []
  #clock = Date.parse('2026-11-29T05:01:24.000Z')
  readonly #base: Record<string, unknown>

  constructor(session: string, cwd: string, options: { sidechain?: { agentId: string; agentType: string }; startAt?: string } = {}) {
    if (options.startAt !== undefined) this.#clock = Date.parse(options.startAt)
    this.#base = {
      isSidechain: options.sidechain !== undefined, ...(options.sidechain === undefined ? {} : { agentId: options.sidechain.agentId }),
      userType: 'external', entrypoint: 'sdk-cli', cwd, sessionId: session, version: '2.1.197', gitBranch: 'main',
    }
    this.#attribution = options.sidechain?.agentType
  }

  readonly #attribution: string | undefined

  #at(): string {
    this.#clock += 250
    return new Date(this.#clock).toISOString()
  }

  /** Time passing before the next line (a long tool call, the user away). */
  pause(ms: number): this {
    this.#clock += ms
    return this
  }

  /** A prompt the user typed. */
  prompt(text: string): this {
    this.lines.push({ type: 'queue-operation', operation: 'enqueue', timestamp: this.#at(), sessionId: this.#base.sessionId, content: text })
    this.lines.push({ ...this.#base, parentUuid: null, type: 'user', message: { role: 'user', content: text }, uuid: crypto.randomUUID(), timestamp: this.#at() })
    return this
  }

  /** One API response: a line per content block, each with the response's usage. */
  response(id: string, blocks: readonly object[], options: { model?: string; usage?: object; requestId?: string | null } = {}): this {
    const usage = options.usage ?? { input_tokens: 100, cache_creation_input_tokens: 50, cache_read_input_tokens: 30, output_tokens: 20, service_tier: 'standard' }
    for (const block of blocks) {
      this.lines.push({
        ...this.#base, parentUuid: null, type: 'assistant', uuid: crypto.randomUUID(), timestamp: this.#at(),
        ...(options.requestId === null ? {} : { requestId: options.requestId ?? `req_${id}` }),
        ...(this.#attribution === undefined ? {} : { attributionAgent: this.#attribution }),
        message: { id, type: 'message', role: 'assistant', model: options.model ?? 'claude-opus-4-8', content: [block], stop_reason: 'tool_use', usage },
      })
    }
    return this
  }

  /** A tool call in its own response, and its result. */
  call(id: string, name: string, input: object, result: { content: string; isError?: boolean; toolUseResult?: unknown }): this {
    this.response(`msg_${id}`, [{ type: 'tool_use', id, name, input }])
    this.lines.push({
      ...this.#base, parentUuid: null, type: 'user', uuid: crypto.randomUUID(), timestamp: this.#at(),
      message: { role: 'user', content: [{ tool_use_id: id, type: 'tool_result', content: result.content, is_error: result.isError === true }] },
      toolUseResult: result.toolUseResult ?? (result.isError === true ? `Error: ${result.content}` : { stdout: result.content, stderr: '', interrupted: false }),
    })
    return this
  }

  /** Writes the lines as JSON lines (creating folders); `tail` is appended as is (a cut-off line, say). */
  write(file: string, tail = ''): string {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, `${this.lines.map((line) => JSON.stringify(line)).join('\n')}\n${tail}`)
    return file
  }
}
