import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One answer of the fake model: a shell command, another function call, or text. */
export type CodexStep =
  | { readonly shell: string }
  | { readonly call: string; readonly namespace?: string; readonly args: Record<string, unknown> }
  | { readonly text: string }

/** A scripted OpenAI Responses API on 127.0.0.1. */
export interface FakeResponses {
  readonly baseURL: string
  /** Every function call output the model was sent, in order. */
  readonly outputs: string[]
  close(): Promise<void>
}

type InputItem = { type?: string; role?: string; content?: unknown; output?: unknown }

const textOf = (item: InputItem): string => (Array.isArray(item.content) ? item.content.map((part: { text?: string }) => part.text ?? '').join('') : typeof item.content === 'string' ? item.content : '')

/**
 * Starts a fake model that streams Responses API events: the conversation whose user input holds a
 * script's marker (the first marker listed that matches) gets that script's steps in turn, one per
 * tool output already sent. `$LAST_ID` in a call's arguments stands for the agent id the previous
 * output named (to wait for a spawned subagent). Every response spends 1000 input (200 cached) and 50
 * output (7 reasoning) tokens.
 */
export async function startFakeResponses(scripts: Readonly<Record<string, readonly CodexStep[]>>): Promise<FakeResponses> {
  const run = Math.random().toString(36).slice(2, 8)
  let counter = 0
  const outputs: string[] = []
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
    request.on('end', () => {
      if (!(request.url ?? '').endsWith('/responses')) return void response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}')
      const parsed = JSON.parse(body) as { model: string; input?: InputItem[] }
      const input = parsed.input ?? []
      const results = input.filter((item) => item.type === 'function_call_output' || item.type === 'custom_tool_call_output')
      const last = input.at(-1)
      if (last?.type === 'function_call_output') outputs.push(typeof last.output === 'string' ? last.output : JSON.stringify(last.output))
      const users = input.filter((item) => item.role === 'user').map(textOf)
      const marker = Object.keys(scripts).find((key) => users.some((text) => text.includes(key)))
      const step: CodexStep = (marker === undefined ? undefined : scripts[marker]?.[results.length]) ?? { text: 'Done.' }
      const id = `resp_${run}${String(++counter)}`
      const event = (type: string, data: object): void => {
        response.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`)
      }
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
      event('response.created', { response: { id, object: 'response', status: 'in_progress', model: parsed.model } })
      let item: object
      if ('shell' in step) {
        item = { type: 'function_call', id: `fc_${id}`, status: 'completed', call_id: `call_${id}`, name: 'exec_command', arguments: JSON.stringify({ cmd: step.shell }) }
      } else if ('call' in step) {
        const output = results.at(-1)?.output
        const previous = typeof output === 'string' ? output : JSON.stringify(output ?? '')
        const agent = /"agent_id"\s*:\s*"([^"]+)"/.exec(previous)?.[1] ?? 'unknown'
        item = { type: 'function_call', id: `fc_${id}`, status: 'completed', call_id: `call_${id}`, name: step.call, ...(step.namespace === undefined ? {} : { namespace: step.namespace }), arguments: JSON.stringify(step.args).replaceAll('$LAST_ID', agent) }
      } else {
        item = { type: 'message', id: `msg_${id}`, status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: step.text, annotations: [] }] }
        event('response.output_item.added', { output_index: 0, item: { ...item, content: [] } })
        event('response.output_text.delta', { output_index: 0, item_id: `msg_${id}`, content_index: 0, delta: step.text })
      }
      event('response.output_item.done', { output_index: 0, item })
      event('response.completed', { response: { id, object: 'response', status: 'completed', model: parsed.model, output: [item], usage: { input_tokens: 1000, input_tokens_details: { cached_tokens: 200 }, output_tokens: 50, output_tokens_details: { reasoning_tokens: 7 }, total_tokens: 1050 } } })
      response.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseURL: `http://127.0.0.1:${String(port)}/v1`,
    outputs,
    close: () => new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => {
        resolve()
      })
    }),
  }
}
