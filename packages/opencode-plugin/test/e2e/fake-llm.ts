import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One answer of the fake model: call a tool, or reply with text. */
export type Step = { readonly tool: string; readonly args: Record<string, unknown> } | { readonly text: string }

/** A message the fake model received (the conversation so far, as OpenAI chat messages). */
export interface ReceivedMessage {
  readonly role: string
  readonly content?: unknown
  readonly tool_call_id?: string
}

/** A scripted OpenAI-compatible chat completions server on 127.0.0.1. */
export interface FakeLlm {
  readonly baseURL: string
  /** Every tool result the model was sent, in order. */
  readonly toolResults: string[]
  /** Every user prompt the model was sent, in order. */
  readonly prompts: string[]
  close(): Promise<void>
}

/**
 * Starts a fake model that answers each request from OpenCode's agent with the next step of the
 * script (a `tool_calls` delta, or text), streamed as server-sent events. Requests without tools
 * (OpenCode's hidden title agent) get a short title.
 */
export async function startFakeLlm(script: readonly Step[]): Promise<FakeLlm> {
  let next = 0
  const toolResults: string[] = []
  const prompts: string[] = []
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
    request.on('end', () => {
      if (!(request.url ?? '').endsWith('/chat/completions')) {
        response.writeHead(404).end()
        return
      }
      const parsed = JSON.parse(body) as { messages?: ReceivedMessage[]; tools?: unknown[] }
      const messages = parsed.messages ?? []
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
      const chunk = (delta: object, finish: string | null = null): void => {
        response.write(`data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model: 'fake', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`)
      }
      const isTitle = (parsed.tools ?? []).length === 0
      if (!isTitle) {
        const last = messages.at(-1)
        if (last?.role === 'tool') toolResults.push(contentText(last.content))
        if (last?.role === 'user') prompts.push(contentText(last.content))
      }
      const step: Step = isTitle ? { text: 'Fake session' } : (script[next++] ?? { text: 'Done.' })
      if ('tool' in step) {
        chunk({ role: 'assistant', tool_calls: [{ index: 0, id: `call_${String(next)}`, type: 'function', function: { name: step.tool, arguments: JSON.stringify(step.args) } }] })
        chunk({}, 'tool_calls')
      } else {
        chunk({ role: 'assistant', content: step.text })
        chunk({}, 'stop')
      }
      response.write(`data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model: 'fake', choices: [], usage: { prompt_tokens: 1000, completion_tokens: 50, total_tokens: 1050 } })}\n\n`)
      response.end('data: [DONE]\n\n')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseURL: `http://127.0.0.1:${String(port)}/v1`,
    toolResults,
    prompts,
    close: () => new Promise((resolve) => {
      server.close(() => {
        resolve()
      })
    }),
  }
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content
  if (Array.isArray(content)) return content.map((part: { text?: unknown }) => (typeof part.text === 'string' ? part.text : '')).join('')
  return JSON.stringify(content)
}
