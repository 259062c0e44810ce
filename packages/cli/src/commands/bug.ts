import type { EvidenceRecord } from '@agent-tracker/core'
import { evidenceHandle, findEvidence, fixDescription, listEvidence, verdictFacts } from '@agent-tracker/core'
import { CliError, EXIT } from '../cli-error.js'
import type { CommandContext } from '../context.js'
import { plural, score, shortHash } from '../format.js'
import { oneLine } from '../terminal-text.js'
import { commitLabel } from '../commit-label.js'
import { commitReference, findGivenCommit, givenText, latestProjectOf, projectOf, rebasedNote, recordedSetupId, requireSetup } from './lookups.js'
import { trackingService } from './tracking.js'
import { refuseInAgentSession } from '../trust.js'

/** Options of `bug`. */
export interface BugOptions {
  readonly commit?: string
  readonly note?: string
  readonly confirm?: string
  readonly dismiss?: string
}

/**
 * `bug <setup> [--commit] [--note]`: a bug the user found; SP −1, halt at 0.
 * `bug --confirm <handle>` / `--dismiss <handle>`: the user's verdict on a suspected bug from git
 * evidence (a confirmed one becomes a bug). `bug` alone lists the suspected bugs waiting for one.
 */
export async function bugCommand(ctx: CommandContext, setup: string | undefined, options: BugOptions): Promise<void> {
  if (options.confirm !== undefined && options.dismiss !== undefined) {
    throw new CliError('INVALID_OPTION', 'Give either --confirm or --dismiss, not both.', EXIT.usage)
  }
  givenText('--note', options.note, 'what went wrong')
  const handle = options.confirm ?? options.dismiss
  if (handle !== undefined) {
    await judgeSuspectedBug(ctx, setup, handle, options.confirm === undefined ? 'dismissed' : 'confirmed', options.note)
    return
  }
  if (setup === undefined) {
    await listPending(ctx)
    return
  }
  const ref = options.commit === undefined ? undefined : commitReference(options.commit, '--commit')
  const store = ctx.openExistingStore('setup to report a bug against')
  const before = await requireSetup(store, setup)
  setup = before.setup
  const service = trackingService(store)
  const given = ref === undefined ? undefined : await findGivenCommit(store, setup, ref, ctx.io)
  const commit = given?.commit
  const project = commit?.project ?? (await latestProjectOf(store, setup, projectOf(ctx.io)))
  const status = await service.reportBug({
    setup,
    project,
    by: 'user',
    ...(commit === undefined ? {} : { commit: commit.hash }),
    ...(options.note === undefined ? {} : { note: options.note }),
  })
  ctx.print(commit === undefined ? status : { ...status, commit: commit.hash, ...(given?.rebased === undefined ? {} : { rebased: given.rebased }) }, () => {
    const halted = status.halted ? ctx.colours.red(` ${setup} ${before.halted ? 'stays' : 'is now'} HALTED: its tool calls are blocked until you run agent-tracker reinstate ${setup}.`) : ''
    // A setup with XP banked levels up again at once: the XP it spent is said, or SP would seem to have barely moved.
    const experience = before.state.experience === status.state.experience ? '' : `, XP ${score(before.state.experience)} → ${score(status.state.experience)}`
    const against = commit === undefined ? setup : `${setup}'s commit ${commitLabel(commit)}`
    const rebased = given === undefined ? '' : rebasedNote(given)
    return `${rebased === '' ? '' : `${rebased}\n`}Bug recorded against ${against}: SP ${score(before.state.skillPoints)} → ${score(status.state.skillPoints)} (${status.trustTier})${experience}, ${plural(status.state.bugs, 'bug')}.${halted}`
  })
}

async function judgeSuspectedBug(ctx: CommandContext, setup: string | undefined, handle: string, verdict: 'confirmed' | 'dismissed', note: string | undefined): Promise<void> {
  refuseInAgentSession(ctx.io, 'VERDICT_REFUSED', `bug --${verdict === 'confirmed' ? 'confirm' : 'dismiss'} gives a verdict on a suspected bug`, '')
  const store = ctx.openExistingStore('suspected bug to judge')
  const record = await findEvidence(store, handle, { signal: 'suspected-bug', ...(setup === undefined ? {} : { setup: await recordedSetupId(store, setup) }) })
  const result = await store.applyFacts(verdictFacts(record, verdict, new Date().toISOString(), note))
  const recorded = result.applied > 0
  const status = await trackingService(store).getStatus(record.setup)
  const judged = await store.get('evidence', [record.setup, record.id])
  ctx.print({ verdict, recorded, evidence: judged ?? record, status }, () => {
    const what = `${evidenceHandle(record)} (${record.setup}, commit ${shortHash(record.commit)}, fixed by ${shortHash(record.source)})`
    if (!recorded) return `${what} is already ${judged?.status ?? verdict}; nothing recorded.`
    if (verdict === 'dismissed') return `Dismissed suspected bug ${what}.`
    const halted = status?.halted === true ? ctx.colours.red(` ${record.setup} is now HALTED: its tool calls are blocked until you run agent-tracker reinstate ${record.setup}.`) : ''
    return `Confirmed suspected bug ${what} as a bug: SP now ${score(status?.state.skillPoints)} (${status?.trustTier ?? '–'}), ${plural(status?.state.bugs ?? 0, 'bug')}.${halted}`
  })
}

async function listPending(ctx: CommandContext): Promise<void> {
  const store = await ctx.readStore()
  const pending = await listEvidence(store, { signal: 'suspected-bug', status: 'open' })
  ctx.print({ pending: pending.map((record) => ({ handle: evidenceHandle(record), ...record })) }, () => pendingText(pending))
}

/** The suspected bugs waiting for a verdict, one line each, or a sentence saying there are none. */
export function pendingText(pending: readonly EvidenceRecord[]): string {
  if (pending.length === 0) return 'No suspected bugs are waiting for a verdict. (agent-tracker evidence finds them in git history; report a bug with agent-tracker bug <setup>.)'
  return [
    `Suspected bugs waiting for your verdict (${String(pending.length)}):`,
    ...pending.map((record) => oneLine(`  ${evidenceHandle(record)}  ${record.setup}: commit ${shortHash(record.commit)}, fix ${shortHash(record.source)}${fixDescription(record, { files: false })}`)),
    'Confirm one as a bug with agent-tracker bug --confirm <handle>, or dismiss it with --dismiss <handle>.',
  ].join('\n')
}
