import type { AgentSession, GradeChannel } from '@agent-tracker/core'
import { agentSessionOf, cliGradeChannel } from '@agent-tracker/core'
import { detectAgentSession } from '@agent-tracker/node-host/hooks'
import { CliError, EXIT } from './cli-error.js'
import type { Io } from './io.js'

/**
 * The agent session the CLI runs under (see core's `agentSessionOf`), if any: for the real process
 * from its environment and ancestors; for another `Io`, as it says. Here, not in `io.ts`, so that
 * only commands that ask load the process inspection.
 */
export function agentSessionOfIo(io: Io): AgentSession | undefined {
  if (io.agentSession === 'process') return detectAgentSession(io.env)
  return io.agentSession === undefined ? agentSessionOf(io.env) : io.agentSession()
}

/** A channel a user grade can come through (not the agent's own tool). */
type UserGradeChannel = Exclude<GradeChannel, 'agent-tool'>

/** How a command that records grades was run: the channel its grades carry, and whether they are vouched for. */
export interface GradeProvenanceOfRun {
  readonly channel: UserGradeChannel
  readonly vouched: boolean
  /** The agent session the CLI runs under, if any. */
  readonly agentSession: AgentSession | undefined
}

/**
 * The provenance of the grades a command records: `channel` as given (ingest), or the CLI's own
 * (`cli-terminal` at an interactive terminal no agent session runs, else `cli-script`); vouched
 * when `--trust` was given.
 * @throws {CliError} TRUST_REFUSED for `--trust` under an agent session: vouching is the user's act.
 */
export function gradeProvenanceOf(io: Io, options: { trust?: boolean | undefined; channel?: UserGradeChannel }): GradeProvenanceOfRun {
  const agentSession = agentSessionOfIo(io)
  if (options.trust === true && agentSession !== undefined) throw refusal('TRUST_REFUSED', '--trust vouches that grades are yours', agentSession, '')
  const channel = options.channel ?? cliGradeChannel({ stdinIsTerminal: io.stdin.isTTY === true, stdoutIsTerminal: io.stdout.isTTY === true, agentSession })
  return { channel, vouched: options.trust === true, agentSession }
}

/** Why a grade recorded this way does not count as the user's, for a note; undefined when it does. */
export function uncountedGradeNote(provenance: GradeProvenanceOfRun): string | undefined {
  const { channel, vouched, agentSession } = provenance
  if (vouched || channel === 'cli-terminal' || channel === 'slash-command') return undefined
  const why = agentSession !== undefined
    ? `it was given from inside an agent session (${agentSession.evidence})`
    : channel === 'ingest' ? 'ingested grades are not your own channel' : 'agent-tracker did not run at an interactive terminal'
  const vouch = channel === 'ingest'
    ? 'for grades from your own tool, ingest the same input again with --trust (a line that gives its own "id" needs a new one)'
    : 'for grades from your own scripts, add --trust'
  return `Recorded with channel ${channel}, not counted as your grade: ${why}. Give grades in your own terminal or with /grade; ${vouch}.`
}

/**
 * Refuses, inside an agent session, a command that is the user's own call (lifting a halt, a
 * verdict on a suspected bug, the user's note on a retrospective): an agent must not make it for
 * them through the CLI.
 * @throws {CliError} `code` (a usage error), saying why and where to do it instead.
 */
export function refuseInAgentSession(io: Io, code: string, what: string, instead: string): void {
  const agentSession = agentSessionOfIo(io)
  if (agentSession !== undefined) throw refusal(code, what, agentSession, instead)
}

/** The one wording of a refusal inside an agent session: what the command does, that it is the user's call, and where to do it instead. */
function refusal(code: string, what: string, agentSession: AgentSession, instead: string): CliError {
  return new CliError(code, `${what}, which is your call, so it is refused inside an agent session (${agentSession.evidence}, so ${agentSession.host} runs this command). Run it yourself, in your own terminal${instead}.`, EXIT.usage)
}

/**
 * What a fact does that is the user's own call — lifting a halt, a verdict on a suspected bug, a
 * note as the user's — for `ingest`, which takes such a fact only with `--trust`; undefined for
 * any other fact.
 */
export function usersOwnCall(fact: { readonly kind: string; readonly userNote?: string }): string | undefined {
  if (fact.kind === 'reinstate') return 'A reinstatement lifts a halt'
  if (fact.kind === 'verdict') return 'A verdict on a suspected bug changes skill points'
  if (fact.kind === 'retrospective' && fact.userNote !== undefined) return "A retrospective's userNote is a note as the user's"
  return undefined
}
