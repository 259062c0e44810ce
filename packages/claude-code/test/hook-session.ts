import { join } from 'node:path'
import { Transcript } from '@agent-tracker/host-import/testing'
import type { HookOptions } from '../src/hook-options.js'
import type { HookReply } from '../src/hook-reply.js'
import { runClaudeCodeHook } from '../src/run-hook.js'
import { tempFolder } from '@agent-tracker/test-folders'

/** A Claude Code session in a project, as its hooks see it: the transcript Claude Code writes, and the hook events it sends. */
export class HookSession {
  readonly transcript: Transcript
  readonly transcriptPath: string
  readonly options: HookOptions

  constructor(readonly session: string, readonly cwd: string, databasePath: string) {
    const home = tempFolder('home-')
    this.transcript = new Transcript(session, cwd)
    this.transcriptPath = join(home, '.claude', 'projects', cwd.replace(/\//g, '-'), `${session}.jsonl`)
    this.options = { databasePath, env: {}, homeDir: home, stopWaitMs: 0 }
    this.transcript.write(this.transcriptPath)
  }

  /** Sends a hook event (its JSON on stdin), with the fields every event has. */
  send(event: string, fields: Record<string, unknown> = {}): Promise<HookReply> {
    return runClaudeCodeHook(this.input(event, fields), this.options)
  }

  /** A hook event's JSON, as Claude Code writes it on the hook's stdin, once the transcript is written as it stands. */
  input(event: string, fields: Record<string, unknown> = {}): string {
    this.transcript.write(this.transcriptPath)
    return JSON.stringify({ session_id: this.session, transcript_path: this.transcriptPath, cwd: this.cwd, hook_event_name: event, ...fields })
  }

  /** A tool call as Claude Code runs it: the response asking for it is written, then PreToolUse; unless denied, the call runs and PostToolUse (or PostToolUseFailure) follows. */
  async call(id: string, tool: string, input: Record<string, unknown>, run: () => { response?: unknown; error?: string }): Promise<HookReply> {
    this.transcript.response(`msg_${id}`, [{ type: 'tool_use', id, name: tool, input }])
    const pre = await this.send('PreToolUse', { tool_name: tool, tool_input: input, tool_use_id: id })
    if (pre.stdout?.includes('"deny"') === true) return pre
    const ran = run()
    return ran.error === undefined
      ? this.send('PostToolUse', { tool_name: tool, tool_input: input, tool_use_id: id, tool_response: ran.response, duration_ms: 50 })
      : this.send('PostToolUseFailure', { tool_name: tool, tool_input: input, tool_use_id: id, error: ran.error, is_interrupt: false, duration_ms: 50 })
  }
}
