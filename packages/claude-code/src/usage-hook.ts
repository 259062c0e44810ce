import { readdirSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { Fact } from '@agent-tracker/core/host'
import { hostUsageFact, responseCost } from '@agent-tracker/core/host'
import { loadPriceCatalogue, transcriptEvents } from '@agent-tracker/host-import/claude-code'
import type { HookInput } from './hook-input.js'
import type { HookOptions } from './hook-options.js'
import type { HookReply } from './hook-reply.js'
import { withHookTracker } from './open-hook-tracker.js'
import { waitForResponse } from './transcript-tail.js'

const STOP_WAIT_MS = 300

/**
 * `Stop`, `SubagentStop` and `SessionEnd`: the tokens of every response in the transcript (the
 * session's, a subagent's, or at the end all of them), priced from the catalogue (Claude Code
 * records no cost), written with the tool hooks' pending facts. Fact ids come from the responses' own ids, so a response counted at
 * an earlier Stop, or by an import, counts once. The Stop hook gives Claude Code a moment to write
 * its final response; one it has not written yet is counted at the next Stop or at the session's end.
 */
export async function usageHook(input: HookInput, options: HookOptions): Promise<HookReply> {
  const transcripts = transcriptsOf(input)
  const last = input.fields.last_assistant_message
  if (input.event === 'Stop' && input.transcriptPath !== undefined && typeof last === 'string' && last !== '') await waitForResponse(input.transcriptPath, last, options.stopWaitMs ?? STOP_WAIT_MS)
  const estimate = options.estimator ?? (await loadPriceCatalogue())
  const facts: Fact[] = []
  for (const transcript of transcripts) {
    for await (const event of transcriptEvents(transcript, { only: 'usage', identity: options.identity })) {
      if (event.kind !== 'usage') continue
      const cost = responseCost(event.hostCost, () => estimate({ provider: event.provider, model: event.model, tokens: event.tokens, at: event.context.at }))
      facts.push(hostUsageFact(event.context, { responseIds: event.responseIds, tokens: event.tokens, cost, message: event.message }))
    }
  }
  await withHookTracker(input, options, async (tracker) => {
    if (facts.length > 0) await tracker.buffer.applyFacts(facts)
  })
  return { exitCode: 0 }
}

/** The transcripts an event covers: a subagent's at SubagentStop, the session's at Stop, and with its subagents' at SessionEnd. */
function transcriptsOf(input: HookInput): string[] {
  const own = input.transcriptPath
  const subagent = input.fields.agent_transcript_path
  if (input.event === 'SubagentStop') return typeof subagent === 'string' ? [subagent] : []
  if (own === undefined) return []
  if (input.event === 'Stop') return [own]
  const folder = join(dirname(own), basename(own, '.jsonl'), 'subagents')
  let subagents: string[] = []
  try {
    subagents = readdirSync(folder).filter((name) => name.endsWith('.jsonl')).map((name) => join(folder, name))
  } catch {
    // No subagent ran in this session.
  }
  return [own, ...subagents]
}
