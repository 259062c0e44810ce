import { readdirSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { SetupIdentity } from '@agent-tracker/core/host'
import { hostUsageFact, responseCost } from '@agent-tracker/core/host'
import type { FilePosition, HistoryUsage } from '@agent-tracker/host-import/claude-code'
import { loadPriceCatalogue, transcriptEvents } from '@agent-tracker/host-import/claude-code'
import type { HookInput } from './hook-input.js'
import type { HookOptions } from './hook-options.js'
import { hookDatabasePath } from './hook-options.js'
import type { HookReply } from './hook-reply.js'
import { withHookTracker, writePendingFacts } from './open-hook-tracker.js'
import { PendingFacts } from './pending-facts.js'
import { TranscriptReads } from './transcript-reads.js'
import { waitForResponse } from './transcript-tail.js'

const STOP_WAIT_MS = 300

/**
 * `Stop`, `SubagentStop` and `SessionEnd`: the tokens of every response in the transcript (the
 * session's, a subagent's, or at the end all of them), priced from the catalogue (Claude Code
 * records no cost), added to the tool hooks' pending facts and written with them. Each transcript
 * is read from where the last of these hooks stopped (the first line of the last response read, so
 * that one whose usage line had not come yet is counted next time; one counted already keeps its
 * first count), so a turn's end costs what the turn wrote, not the session's length; the position
 * is saved once the facts are in the pending folder, and forgotten at the session's end. Fact ids come
 * from the responses' own ids, so a response read twice, or also imported, counts once. The Stop
 * hook gives Claude Code a moment to write its final response; one it has not written yet is
 * counted at the next Stop or at the session's end.
 */
export async function usageHook(input: HookInput, options: HookOptions): Promise<HookReply> {
  const transcripts = transcriptsOf(input)
  const last = input.fields.last_assistant_message
  if (input.event === 'Stop' && input.transcriptPath !== undefined && typeof last === 'string' && last !== '') await waitForResponse(input.transcriptPath, last, options.stopWaitMs ?? STOP_WAIT_MS)
  const databasePath = hookDatabasePath(options)
  const reads = new TranscriptReads(databasePath)
  const usage: HistoryUsage[] = []
  const reached = new Map<string, FilePosition | undefined>()
  for (const transcript of transcripts) {
    const read = await newUsage(transcript, reads.from(transcript), options.identity)
    // One at a time: a spread passes every element as an argument, past the stack for a long session's transcript.
    for (const event of read.usage) usage.push(event)
    reached.set(transcript, read.reached)
  }
  // The catalogue takes a while to load: only when there is something to price.
  const estimate = usage.every((event) => event.hostCost !== undefined) ? undefined : (options.estimator ?? (await loadPriceCatalogue()))
  const facts = usage.map((event) => {
    const cost = responseCost(event.hostCost, () => estimate?.({ provider: event.provider, model: event.model, tokens: event.tokens, at: event.context.at }))
    return hostUsageFact(event.context, { responseIds: event.responseIds, tokens: event.tokens, cost, message: event.message })
  })
  // What was read goes to the pending folder first, and only then is the read position moved on: a
  // write that fails (an unusable or full database) keeps the facts there for the next hook that
  // writes — whichever session that is; after a SessionEnd no hook reads this transcript again.
  new PendingFacts(databasePath).add(input.session, facts)
  for (const [transcript, position] of reached) {
    if (input.event === 'SessionEnd' || position === undefined) reads.forget(transcript)
    else reads.save(transcript, position)
  }
  // `Stop` and `SubagentStop` run detached (see `runDetachedHook`), so they may upgrade a database of
  // release 0.1.0; Claude Code waits for `SessionEnd`, which leaves that upgrade and its facts to the next Stop.
  if (input.event === 'SessionEnd') await writePendingFacts(input, options)
  else await withHookTracker(input, options, () => Promise.resolve())
  return { exitCode: 0 }
}

/** The usage of the responses of a transcript from `from` on, and where the next read goes on from (undefined: the transcript is not there). */
async function newUsage(transcript: string, from: FilePosition | undefined, identity: SetupIdentity | undefined): Promise<{ usage: HistoryUsage[]; reached: FilePosition | undefined }> {
  const usage: HistoryUsage[] = []
  const events = transcriptEvents(transcript, { only: 'usage', identity, from })
  try {
    for (let step = await events.next(); ; step = await events.next()) {
      if (step.done === true) return { usage, reached: step.value }
      if (step.value.kind === 'usage') usage.push(step.value)
    }
  } catch (error) {
    // A transcript Claude Code has not written (a session ended before its first prompt) has nothing to count.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { usage: [], reached: undefined }
    throw error
  }
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
