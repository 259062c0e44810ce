/** What a hook process answers Claude Code: its stdout, stderr and exit code. */
export interface HookReply {
  readonly stdout?: string
  readonly stderr?: string
  readonly exitCode: number
}

/** Denies a tool call; Claude Code gives the model the reason as the call's result. */
export function denyToolCall(reason: string): HookReply {
  return { stdout: JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason } }), exitCode: 0 }
}

/** Lets a tool call run and shows the user a warning. */
export function warnUser(message: string): HookReply {
  return { stdout: JSON.stringify({ systemMessage: message }), exitCode: 0 }
}

/** Keeps a prompt from the model; Claude Code shows the user the reason. */
export function blockPrompt(reason: string): HookReply {
  return { stdout: JSON.stringify({ decision: 'block', reason }), exitCode: 0 }
}

/**
 * A failure of agent-tracker itself: a non-blocking hook error (exit 1) that Claude Code shows the
 * user, never one that stops the agent's work.
 */
export function trackingFailed(error: unknown): HookReply {
  return { stderr: `agent-tracker: ${error instanceof Error ? error.message : String(error)}\n`, exitCode: 1 }
}
