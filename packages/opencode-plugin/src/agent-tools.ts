import { gradeLabel, hasSearchTerms, priorArt } from '@agent-tracker/core'
import type { Tracker } from '@agent-tracker/node-host'
import { profileFolder, statusCardText } from '@agent-tracker/node-host/hooks'
import type { tool as opencodeTool, ToolContext, ToolDefinition } from '@opencode-ai/plugin/tool'
import type { ZodRawShape } from 'zod'
import { config, string } from 'zod'
import en from 'zod/v4/locales/en.js'
import type { TrackerContext } from './tracker-context.js'

/** Tools that only read, so a halted agent may still use them. */
export const READ_ONLY_TOOLS: ReadonlySet<string> = new Set(['tracker_status', 'tracker_prior_art'])

// zod's `z` namespace carries every locale of zod's messages (`z.locales`: 200 kB of the bundle,
// parsed before the hooks exist); `string` alone, with the English messages `z` would have set, is
// all the tools' arguments need.
config(en())

/**
 * `tool` of @opencode-ai/plugin/tool, which returns the definition it is given; `string` here is its
 * `tool.schema.string` (the same zod), imported without that module: the plugin's bundle builds zod
 * in, where the module would have Bun load zod as ~70 files before the hooks exist.
 */
function tool<Args extends ZodRawShape>(definition: Parameters<typeof opencodeTool<Args>>[0]): ToolDefinition {
  return definition
}

/** Resolves on the event loop's next turn, after whatever OpenCode has waiting. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    setImmediate(resolve)
  })
}

/** Patterns, and mistakes, `tracker_prior_art` lists: a few, to keep the agent's context short. */
const PRIOR_ART_HITS = 5

/**
 * The agent's tools: status, self-grade, bug self-report, retrospective, journal, prior art.
 * Each waits for commits still being recorded, so the agent can grade the one it just made.
 */
export function agentTools(context: Pick<TrackerContext, 'runtime' | 'sessions' | 'settled'>): Record<string, ToolDefinition> {
  const { sessions } = context
  const ready = async (): Promise<Tracker> => {
    const runtime = await context.runtime
    if (runtime === undefined) throw new Error('agent-tracker is paused (see the OpenCode log for why); nothing was recorded.')
    await context.settled()
    return runtime
  }
  const here = async (ctx: ToolContext): Promise<{ runtime: Tracker; context: { setup: string; project: string; session: string } }> => {
    const runtime = await ready()
    const setup = sessions.setupOf(ctx.sessionID, ctx.agent)
    if (setup === undefined) throw new Error('agent-tracker does not know this session’s agent yet; try again after your first reply.')
    runtime.noteWork(setup)
    return { runtime, context: { setup, project: runtime.project, session: ctx.sessionID } }
  }
  const only = (args: object, allowed: readonly string[], tool: string): void => {
    const extra = Object.keys(args).filter((key) => !allowed.includes(key))
    if (extra.includes('userGrade') || extra.includes('user_grade') || extra.includes('user')) {
      throw new Error(`${tool} records only your own grade. The user grade comes from the user (/grade or the agent-tracker CLI); it was not recorded.`)
    }
    if (extra.length > 0) throw new Error(`${tool} does not take ${extra.join(', ')}; it takes ${allowed.join(', ')}.`)
  }
  return {
    tracker_status: tool({
      description: 'Your agent-tracker status: skill points (trust), experience, communication score, commits, bugs, and whether you are halted.',
      args: {},
      async execute(_args, ctx) {
        const { runtime, context: { setup } } = await here(ctx)
        const status = await runtime.service.getStatus(setup)
        return status === undefined ? `${setup} has no recorded work yet.` : statusCardText(status)
      },
    }),
    tracker_self_grade: tool({
      description: 'Grade your own latest commit (or a given one): bad, neutral, good or excellence, with a short note. Only your own grade: the user grades separately.',
      args: {
        grade: string().describe('your grade: bad, neutral, good, excellence (or -1, 1, 2, 5)'),
        note: string().optional().describe('one or two sentences on how it went'),
        commit: string().optional().describe('commit hash or prefix (default: your latest commit here)'),
      },
      async execute(args, ctx) {
        only(args, ['grade', 'note', 'commit'], 'tracker_self_grade')
        const { runtime, context } = await here(ctx)
        const outcome = await runtime.service.selfGrade({ ...context, grade: args.grade, ...(args.note === undefined ? {} : { note: args.note }), ...(args.commit === undefined ? {} : { commit: args.commit }) })
        const grade = outcome.retrospective?.agentGrade
        return `Recorded your grade ${grade === undefined ? '' : gradeLabel(grade)} for ${outcome.commit.hash.slice(0, 8)}${outcome.commit.message.trim() === '' ? '' : ` (${outcome.commit.message})`}. The user's grade comes separately.`
      },
    }),
    tracker_report_bug: tool({
      description: 'Report a bug you introduced (honest self-reports are valued): costs one skill point.',
      args: { note: string().describe('what is wrong'), commit: string().optional().describe('the commit that introduced it') },
      async execute(args, ctx) {
        only(args, ['note', 'commit'], 'tracker_report_bug')
        const { runtime, context } = await here(ctx)
        const status = await runtime.service.reportBug({ ...context, by: 'agent', note: args.note, ...(args.commit === undefined ? {} : { commit: args.commit }) })
        return `Bug recorded. ${statusCardText(status)}`
      },
    }),
    tracker_retrospective: tool({
      description: 'Write the retrospective of a commit: what the task was and what you learned.',
      args: { note: string().describe('lessons learned'), task: string().optional().describe('what the commit was for'), commit: string().optional().describe('commit hash or prefix (default: your latest)') },
      async execute(args, ctx) {
        only(args, ['note', 'task', 'commit'], 'tracker_retrospective')
        const { runtime, context } = await here(ctx)
        const retro = await runtime.service.recordRetrospective({ ...context, by: 'agent', note: args.note, ...(args.task === undefined ? {} : { task: args.task }), ...(args.commit === undefined ? {} : { commit: args.commit }) })
        return `Retrospective noted for ${retro?.commit.slice(0, 8) ?? 'the commit'}.`
      },
    }),
    tracker_log_activity: tool({
      description: 'Log a journal entry: the task, what you did, the outcome and decisions made.',
      args: { task: string(), actions: string().optional(), outcome: string().optional(), decisions: string().optional() },
      async execute(args, ctx) {
        only(args, ['task', 'actions', 'outcome', 'decisions'], 'tracker_log_activity')
        const { runtime, context } = await here(ctx)
        await runtime.service.logActivity({ ...context, task: args.task, ...(args.actions === undefined ? {} : { actions: args.actions }), ...(args.outcome === undefined ? {} : { outcome: args.outcome }), ...(args.decisions === undefined ? {} : { decisions: args.decisions }) })
        return 'Logged.'
      },
    }),
    tracker_prior_art: tool({
      description: 'Search earlier work (all projects) for a task: patterns that were graded well, and mistakes to avoid.',
      args: { task: string().describe('words describing the task') },
      async execute(args) {
        if (!hasSearchTerms(args.task)) return `${JSON.stringify(args.task)} has no words to search for: give words of two or more letters or digits (of any script), other than common words such as "the" or "fix".`
        const runtime = await ready()
        // A page of records, then a slice of scoring, then OpenCode's event loop turns: never a long block.
        const result = await priorArt(runtime.buffer, { task: args.task, project: runtime.project, limit: PRIOR_ART_HITS }, { profileFolder, pause: nextTurn })
        const graded = (hit: (typeof result.patterns)[number]): string => hit.grade === undefined ? '' : ` (${hit.gradedBy === 'agent' ? 'self-graded' : 'user grade'} ${gradeLabel(hit.grade)})`
        const line = (hit: (typeof result.patterns)[number]): string => `- ${hit.title}${graded(hit)} — ${hit.project.split(/[\\/]/).at(-1) ?? hit.project}${hit.detail === '' ? '' : `: ${hit.detail}`}`
        return [
          `Patterns to repeat (${String(result.patterns.length)}):`, ...result.patterns.map(line),
          `Mistakes to avoid (${String(result.mistakes.length)}):`, ...result.mistakes.map(line),
        ].join('\n')
      },
    }),
  }
}
