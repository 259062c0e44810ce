import type { RetrospectiveRecord } from '@agent-tracker/core'
import { retrospectives } from '@agent-tracker/core'
import { CliError, EXIT } from '../cli-error.js'
import { refuseInAgentSession } from '../trust.js'
import type { CommandContext } from '../context.js'
import { shortHash, truncate, utcCell } from '../format.js'
import { moreHint, pageOf } from '../pagination.js'
import { commitReference, findGivenCommit, givenText, requireSetup, resolveProject } from './lookups.js'
import { trackingService } from './tracking.js'

/** `retro [setup]`: lists retrospectives; with `--note`, adds the user's note to one. */
export async function retroCommand(ctx: CommandContext, setup: string | undefined, options: { commit?: string; note?: string; task?: string; project?: string; limit: number }): Promise<void> {
  if (options.note === undefined && options.task !== undefined) {
    // --task names what a noted commit was for: alone it would list retrospectives and drop the task unsaid.
    throw new CliError('MISSING_NOTE', '--task says what the commit was for, with a note: give your --note too (agent-tracker retro <setup> --commit <hash> --note "…" --task "…"). Without --note, retro lists retrospectives.', EXIT.usage)
  }
  if (options.note !== undefined) {
    givenText('--note', options.note, 'your note')
    givenText('--task', options.task, 'the task the commit was for')
    if (setup === undefined) throw new CliError('MISSING_SETUP', 'Name the setup whose retrospective the note is for: agent-tracker retro <setup> --commit <hash> --note "…".', EXIT.usage)
    refuseInAgentSession(ctx.io, 'NOTE_REFUSED', 'retro --note records a note as yours', '')
    const ref = options.commit === undefined ? undefined : commitReference(options.commit, '--commit')
    const store = ctx.openExistingStore('retrospective to note')
    setup = (await requireSetup(store, setup)).setup
    const service = trackingService(store)
    // --project narrows the commit to that project's (the latest there, or the one the hash names there).
    const project = options.project === undefined ? undefined : await resolveProject(store, options.project, ctx.io)
    const { commit } = await findGivenCommit(store, setup, ref, ctx.io, project)
    // What the user had noted before: a note already among them is not added again, and is said so.
    const before = (await store.get('retrospectives', [setup, commit.hash]))?.userNote
    const retro = await service.recordRetrospective({ setup, by: 'user', note: options.note, commit: commit.hash, ...(options.task === undefined ? {} : { task: options.task }) })
    const lead = before !== undefined && before === retro?.userNote ? `Already noted on ${shortHash(commit.hash)} of ${setup}; nothing changed. Your notes on it:` : `Noted on ${shortHash(commit.hash)} of ${setup}. Your notes on it:`
    ctx.print(retro, () => [lead, ...(retro?.userNote ?? '').split('\n').map((line) => `  ${line}`)].join('\n'))
    return
  }
  // --commit lists that commit's retrospective: a setup's commit, found as grade finds it.
  const ref = options.commit === undefined ? undefined : commitReference(options.commit, '--commit')
  if (ref !== undefined && setup === undefined) throw new CliError('MISSING_SETUP', 'Name the setup whose commit --commit is: agent-tracker retro <setup> --commit <hash>.', EXIT.usage)
  const store = await ctx.readStore()
  if (setup !== undefined) setup = (await requireSetup(store, setup)).setup
  const project = options.project === undefined ? undefined : await resolveProject(store, options.project, ctx.io)
  const one = ref === undefined || setup === undefined ? undefined : await store.get('retrospectives', [setup, (await findGivenCommit(store, setup, ref, ctx.io, project)).commit.hash])
  const page = ref !== undefined ? pageOf(one === undefined ? [] : [one], options.limit) : pageOf(await retrospectives(store, { setup, project, limit: options.limit + 1 }), options.limit)
  ctx.print({ entries: page.entries, more: page.more }, () => {
    if (page.entries.length === 0) return 'No retrospectives recorded.'
    const table = ctx.table<RetrospectiveRecord>([
      { header: 'WHEN (UTC)', value: (r) => utcCell(r.at), priority: 7 },
      { header: 'SETUP', value: (r) => r.setup, priority: setup === undefined ? 9 : 1 },
      { header: 'COMMIT', value: (r) => shortHash(r.commit), priority: 8 },
      { header: 'TASK', value: (r) => truncate(r.task ?? '', 40), priority: 6 },
      { header: 'AGENT', value: (r) => (r.agentGrade === undefined ? '–' : String(r.agentGrade)), align: 'right', priority: 9 },
      { header: 'USER', value: (r) => (r.userGrade === undefined ? '–' : String(r.userGrade)), align: 'right', priority: 10 },
      // The user's notes are one to a line; in a table's cell they read one after another.
      { header: 'NOTES', value: (r) => truncate([r.userNote, r.agentNote].filter((n) => n !== undefined).join(' · ').replace(/\s*\n\s*/g, ' / '), 60), priority: 5 },
    ], page.entries)
    return page.more ? `${table}\n${ctx.colours.dim(moreHint(page, options.project === undefined ? '--project' : '', 'retrospective'))}` : table
  })
}
