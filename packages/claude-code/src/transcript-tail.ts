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
 * transcript only. Undefined when no response is there yet.
 */
export function responseModel(transcript: string, toolUseId?: string): string | undefined {
  let latest: string | undefined
  for (const line of tailLines(transcript).reverse()) {
    if (!line.includes('"assistant"') || (toolUseId !== undefined && latest !== undefined && !line.includes(toolUseId))) continue
    const message = parseLine(line)?.message as { model?: unknown; content?: unknown } | undefined
    const model = typeof message?.model === 'string' && message.model !== CLAUDE_CODE_SYNTHETIC_MODEL ? message.model : undefined
    if (model === undefined) continue
    const asked = toolUseId !== undefined && Array.isArray(message?.content) && (message.content as { id?: unknown }[]).some((block) => block.id === toolUseId)
    if (toolUseId === undefined || asked) return model
    latest ??= model
  }
  return latest
}

/**
 * Waits until the transcript holds a response with this text, up to `timeoutMs`: Claude Code runs
 * the Stop hook before it has always written the final response. True when it arrived.
 */
export async function waitForResponse(transcript: string, text: string, timeoutMs: number): Promise<boolean> {
  const needle = JSON.stringify(text).slice(1, -1)
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (tailLines(transcript).some((line) => line.includes('"assistant"') && line.includes(needle))) return true
    if (Date.now() >= deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** The complete lines of the last megabyte of a file (none when it is missing). */
function tailLines(file: string): string[] {
  if (!existsSync(file)) return []
  const fd = openSync(file, 'r')
  try {
    const { size } = fstatSync(fd)
    const start = Math.max(0, size - TAIL_BYTES)
    const buffer = Buffer.alloc(size - start)
    readSync(fd, buffer, 0, buffer.length, start)
    const lines = buffer.toString('utf8').split('\n')
    if (start > 0) lines.shift()
    return lines.filter((line) => line.trim() !== '')
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
