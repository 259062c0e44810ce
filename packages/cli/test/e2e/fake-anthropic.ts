import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One answer of the fake model: a tool call, or text. */
export type ClaudeStep = { readonly tool: string; readonly input: Record<string, unknown> } | { readonly text: string }

/** A scripted Anthropic Messages API on 127.0.0.1, and what it was sent. */
export interface FakeAnthropic {
  readonly baseURL: string
  /** The text of every tool result the model was sent, in order. */
  readonly toolResults: string[]
  /** Requests that reached the model (title requests, without tools, excluded). */
  readonly requests: number
  close(): Promise<void>
}

type Message = { role: string; content: unknown }

const textOf = (content: unknown): string =>
  typeof content === 'string' ? content : Array.isArray(content) ? content.map((block: { type?: string; text?: string; content?: unknown }) => (block.type === 'text' ? (block.text ?? '') : block.type === 'tool_result' ? textOf(block.content) : '')).join('') : ''

/**
 * Starts a fake model that streams Anthropic SSE events: the conversation whose first user text
 * holds a script's marker gets that script's steps in turn (a subagent's conversation is its own).
 * Every response spends 100 input, 50 cache-write, 30 cache-read and 20 output tokens; ids are
 * unique across runs, as real ones are.
 */
export async function startFakeAnthropic(scripts: Readonly<Record<string, readonly ClaudeStep[]>>): Promise<FakeAnthropic> {
  const run = Math.random().toString(36).slice(2, 8)
  let counter = 0
  const toolResults: string[] = []
  const state = { requests: 0 }
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
    request.on('end', () => {
      if (request.method !== 'POST') return void response.writeHead(200, { 'content-type': 'application/json' }).end('{}')
      if ((request.url ?? '').startsWith('/v1/messages/count_tokens')) return void response.writeHead(200, { 'content-type': 'application/json' }).end('{"input_tokens":100}')
      if (!(request.url ?? '').startsWith('/v1/messages')) return void response.writeHead(404).end('{}')
      const parsed = JSON.parse(body) as { model: string; messages?: Message[]; tools?: unknown[] }
      const messages = parsed.messages ?? []
      const last = messages.at(-1)
      const users = messages.filter((message) => message.role === 'user').map((message) => textOf(message.content))
      let step: ClaudeStep = { text: 'Fake title' }
      if ((parsed.tools ?? []).length > 0) {
        state.requests += 1
        if (Array.isArray(last?.content) && (last.content as { type?: string }[]).some((block) => block.type === 'tool_result')) toolResults.push(textOf(last.content))
        const marker = Object.keys(scripts).find((key) => users.some((text) => text.includes(key)))
        const turn = messages.filter((message) => message.role === 'assistant').length
        step = (marker === undefined ? undefined : scripts[marker]?.[turn]) ?? { text: 'Done.' }
      }
      const id = `msg_${run}${String(++counter)}`
      const event = (type: string, data: object): void => {
        response.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`)
      }
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': `req_${id}` })
      event('message_start', { message: { id, type: 'message', role: 'assistant', model: parsed.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 100, cache_creation_input_tokens: 50, cache_read_input_tokens: 30, output_tokens: 1 } } })
      if ('tool' in step) {
        event('content_block_start', { index: 0, content_block: { type: 'tool_use', id: `toolu_${id}`, name: step.tool, input: {} } })
        event('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: JSON.stringify(step.input) } })
      } else {
        event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } })
        event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: step.text } })
      }
      event('content_block_stop', { index: 0 })
      event('message_delta', { delta: { stop_reason: 'tool' in step ? 'tool_use' : 'end_turn', stop_sequence: null }, usage: { output_tokens: 20 } })
      event('message_stop', {})
      response.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseURL: `http://127.0.0.1:${String(port)}`,
    toolResults,
    get requests() {
      return state.requests
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => {
        resolve()
      })
    }),
  }
}
