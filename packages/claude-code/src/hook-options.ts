import type { CostEstimator, HaltMode, HostEventContext, SetupIdentity } from '@agent-tracker/core/host'
import { claudeCodeSetupParts, formatSetupId } from '@agent-tracker/core/host'
import { resolveDatabasePath } from '@agent-tracker/node-host/database-path'
import { projectRoot } from '@agent-tracker/node-host/project-root'
import type { HookInput } from './hook-input.js'
import { responseModel, subagentTranscript } from './transcript-tail.js'

/** How the hook runs: where the database is, how setups are named, how tool calls are guarded. */
export interface HookOptions {
  /** The database (`--db`); default `AGENT_TRACKER_DB`, else `~/.config/opencode/agent-tracker.lmdb`. */
  readonly databasePath?: string | undefined
  readonly env: Readonly<Record<string, string | undefined>>
  readonly homeDir: string
  /** How setups are named; default `agent+model`. */
  readonly identity?: SetupIdentity | undefined
  /** What happens to a halted setup's tool calls; default `block`. */
  readonly enforceHalt?: HaltMode | undefined
  /** Stop tool calls that touch `.env`-style secret files; default true. */
  readonly envProtection?: boolean | undefined
  /** How long the Stop hook waits for Claude Code to write its final response; default 300 ms. */
  readonly stopWaitMs?: number | undefined
  /** How long `PreToolUse` waits for the transcript to name the model of a session that names none yet; default 3000 ms. */
  readonly modelWaitMs?: number | undefined
  /** Prices responses (Claude Code records no cost); default the price catalogue. */
  readonly estimator?: CostEstimator | undefined
  readonly now?: (() => Date) | undefined
  /**
   * Writes the facts waiting in the pending folder in a process of its own (the CLI starts
   * `agent-tracker hook claude-code --write-pending`, given this event), and says how it went within
   * `waitMs`: `written`, `failed` (it ended without writing them: see `lastDetachedFailure`), or
   * `waiting` (still at it: another process holds the write lock). The hooks Claude Code waits for
   * (a push, `SessionEnd`, a user command) then never wait longer than that: a write waiting for the
   * lock keeps a process from ending at all (lmdb-js's writer thread), so that write must not be the
   * hook's own. Without it, the hook writes in its own process, however long that takes.
   */
  readonly writeElsewhere?: ((waitMs: number) => Promise<PendingWrite>) | undefined
}

/** How a write of the pending facts in another process went, within the time a hook waits for it (see `HookOptions.writeElsewhere`). */
export type PendingWrite = 'written' | 'failed' | 'waiting'

/** How long a hook Claude Code waits for waits for the write of the pending facts (see `HookOptions.writeElsewhere`): well within the 10 s Claude Code gives each hook (see `HOOK_TIMEOUT_S`). */
export const HOOK_WRITE_WAIT_MS = 4000

/**
 * The setup of the agent a hook is about: Claude Code's main agent, or the subagent the event came
 * from (by its type), on the model of the response that asked for the tool call — read from the
 * transcript, as hooks are not told the model. Undefined before any response.
 */
export function hookSetup(input: HookInput, options: Pick<HookOptions, 'identity'>, toolUseId?: string): string | undefined {
  const transcript = input.transcriptPath
  if (transcript === undefined) return undefined
  const own = input.agentId === undefined ? undefined : responseModel(subagentTranscript(transcript, input.agentId), toolUseId)
  const model = own ?? responseModel(transcript, toolUseId)
  return model === undefined ? undefined : formatSetupId(claudeCodeSetupParts(model, input.agentType), options.identity ?? 'agent+model')
}

/** The database the hook writes to and reads: `--db`, else `AGENT_TRACKER_DB`, else the default, resolved as every host resolves it. */
export function hookDatabasePath(options: Pick<HookOptions, 'databasePath' | 'env' | 'homeDir'>): string {
  return resolveDatabasePath({ databasePath: options.databasePath, env: options.env, homeDir: options.homeDir })
}

/**
 * The project a hook event is about: the git work tree root of the folder Claude Code runs in (an
 * agent started in `shop/src` works on `shop`), else that folder; see `projectRoot`.
 */
export function hookProject(input: HookInput, options: Pick<HookOptions, 'homeDir'>): string {
  return projectRoot(input.cwd, { homeDir: options.homeDir })
}

/** Where and when a hook event happened, for facts with ids derived from Claude Code's own. */
export function hookContext(input: HookInput, setup: string, options: Pick<HookOptions, 'homeDir' | 'now'>): HostEventContext {
  return { host: 'claude-code', session: input.session, setup, project: hookProject(input, options), at: (options.now?.() ?? new Date()).toISOString() }
}
