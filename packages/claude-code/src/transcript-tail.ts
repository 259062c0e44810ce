import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { CLAUDE_CODE_SYNTHETIC_MODEL } from '@agent-tracker/core/host'

const TAIL_BYTES = 1024 * 1024

/** The transcript a subagent writes beside its session's: `<session>/subagents/agent-<id>.jsonl`. */
export function subagentTranscript(sessionTranscript: string, agentId: string): string {
  return join(dirname(sessionTranscript), basename(sessionTranscript, '.jsonl'), 'subagents', `agent-${agentId}.jsonl`)
}

/**
 * The model of the response that asked for a tool call (the assistant line holding its id: Claude
 * Code writes it before the call's hooks run), else of the latest response. Reads the end of the
 * transcript, and further back only when that holds no response at all — a response whose line
 * is longer than the end read (a Write of a large file) is read whole — up to {@link MAX_TAIL_BYTES}.
 * Undefined when no response is there yet.
 */
export function responseModel(transcript: string, toolUseId?: string): string | undefined {
  for (let bytes = TAIL_BYTES; ; bytes *= 4) {
    const tail = tailLines(transcript, bytes)
    const found = modelIn(tail.lines, toolUseId)
    if (found.asked !== undefined) return found.asked
    // Further back only while the end read holds no response at all (one line longer than it): a response
    // not written yet is waited for by the caller, which reads again, and must not cost a long read each time.
    if (found.latest !== undefined || tail.whole || bytes >= MAX_TAIL_BYTES) return found.latest
  }
}

/** The farthest back {@link responseModel} reads for a response: 16 MiB, read at most 21 MiB in all. */
const MAX_TAIL_BYTES = 16 * TAIL_BYTES

/** In lines of a transcript: the model of the response holding `toolUseId` (or of the latest, without one), and of the latest response. */
function modelIn(lines: readonly string[], toolUseId: string | undefined): { readonly asked?: string; readonly latest?: string } {
  let latest: string | undefined
  for (let index = lines.length - 1; index >= 0; index--) {
    const line = lines[index] ?? ''
    if (!line.includes('"assistant"') || (toolUseId !== undefined && latest !== undefined && !line.includes(toolUseId))) continue
    const message = parseLine(line)?.message as { model?: unknown; content?: unknown } | undefined
    const model = typeof message?.model === 'string' && message.model !== CLAUDE_CODE_SYNTHETIC_MODEL ? message.model : undefined
    if (model === undefined) continue
    if (toolUseId === undefined) return { asked: model, latest: model }
    if (Array.isArray(message?.content) && (message.content as { id?: unknown }[]).some((block) => block.id === toolUseId)) return { asked: model, latest: latest ?? model }
    latest ??= model
  }
  return latest === undefined ? {} : { latest }
}

/**
 * Waits until the transcript holds a response with this text, up to `timeoutMs`: Claude Code runs
 * the Stop hook before it has always written the final response. True when it arrived.
 */
export async function waitForResponse(transcript: string, text: string, timeoutMs: number): Promise<boolean> {
  const needle = JSON.stringify(text).slice(1, -1)
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (tailLines(transcript).lines.some((line) => line.includes('"assistant"') && line.includes(needle))) return true
    if (Date.now() >= deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** The complete lines of the last `bytes` of a file (none when it is missing), and whether that is the whole file. */
function tailLines(file: string, bytes = TAIL_BYTES): { readonly lines: string[]; readonly whole: boolean } {
  if (!existsSync(file)) return { lines: [], whole: true }
  const fd = openSync(file, 'r')
  try {
    const { size } = fstatSync(fd)
    const start = Math.max(0, size - bytes)
    const buffer = Buffer.alloc(size - start)
    readSync(fd, buffer, 0, buffer.length, start)
    const lines = buffer.toString('utf8').split('\n')
    if (start > 0) lines.shift()
    return { lines: lines.filter((line) => line.trim() !== ''), whole: start === 0 }
  } finally {
    closeSync(fd)
  }
}

function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>
  } catch {
    return undefined
  }
}
