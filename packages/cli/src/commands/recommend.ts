import type { SetupRecommendation } from '@agent-tracker/core'
import { answerRecommendation, haltedLead, readRecommendation } from '@agent-tracker/core'
import { profileFolder } from '@agent-tracker/node-host/hooks'
import { CliError, EXIT } from '../cli-error.js'
import { withLoopsCompiledAtOnce } from '../compile-at-once.js'
import type { CommandContext } from '../context.js'
import { grade, moneyPerCommit, perCommit, plural, score } from '../format.js'
import { estimateMark } from '../estimated-cost.js'
import { oneLine } from '../terminal-text.js'
import { projectOf } from './lookups.js'
import { plainWholeNumber } from '../plain-number.js'

/** `recommend [project-dir]`: which setup to use for a project like this one. */
export async function recommendCommand(ctx: CommandContext, projectDir: string | undefined, options: { minSamples?: string }): Promise<void> {
  if (projectDir?.trim() === '') {
    // An empty argument (a script's unset variable) is no folder; left out, it would be the current one.
    throw new CliError('NOT_A_FOLDER', `The project folder argument is ${projectDir === '' ? 'empty' : 'blank'}: name a folder, or leave it out for the current one.`, EXIT.usage)
  }
  const folder = projectOf(ctx.io, projectDir)
  const profile = profileFolder(folder)
  if (profile === undefined) {
    throw new CliError('NOT_A_FOLDER', `"${projectDir ?? '.'}" is not a project folder (looked at ${folder}).`, EXIT.usage)
  }
  const minSamples = options.minSamples === undefined ? undefined : plainWholeNumber(options.minSamples) ?? 0
  if (minSamples !== undefined && minSamples < 1) {
    throw new CliError('INVALID_OPTION', `Invalid --min-samples "${options.minSamples ?? ''}": a whole number ≥ 1 in plain digits.`, EXIT.usage)
  }
  const store = await ctx.readStore()
  const reading = await readRecommendation(store, { project: folder, profile, ...(minSamples === undefined ? {} : { minSamples }) }, { profileFolder })
  // Nothing more is read: the database's pages the reads touched (~40 MB of a large database's
  // mapped file, resident) are let go before the model's work, which allocates most of the rest.
  await ctx.close()
  const result = withLoopsCompiledAtOnce(() => answerRecommendation(reading))
  ctx.print(result, () => {
    const c = ctx.colours
    // Recorded text (paths, a profile's dependencies read from a project's files) on one line each: a line break in it would print a forged line.
    const text = (value: string): string => oneLine(value, c.isColorSupported)
    const halted = new Set(result.halted)
    const kind = [profile.language, profile.framework, profile.scope].join(' / ')
    const lines = [`${c.bold('Project')}  ${text(folder)}`, `${c.bold('Profile')}  ${text(`${kind}${profile.dependencies.length === 0 ? '' : ` · ${profile.dependencies.slice(0, 6).join(', ')}`}`)}`]
    lines.push(`${c.bold('Similar')}  ${result.similarProjects.length === 0 ? 'none recorded' : result.similarProjects.slice(0, 5).map((p) => `${text(p.path.split(/[\\/]/).at(-1) ?? p.path)} (${p.similarity.toFixed(2)})`).join(', ')}`)
    if (result.setups.length > 0) {
      lines.push('', ctx.table<SetupRecommendation>([
        { header: '#', value: (s) => (s.rank === null ? '–' : String(s.rank)), align: 'right', priority: 10 },
        { header: 'SETUP', value: (s) => (halted.has(s.setup) ? `${s.setup} ${c.red('(halted)')}` : s.setup), priority: 10 },
        { header: 'EXPECTED GRADE', value: (s) => `${grade(s.expectedGrade)} (${grade(s.interval[0])}–${grade(s.interval[1])})`, priority: 9 },
        { header: 'N', value: (s) => String(s.samples), align: 'right', priority: 8 },
        { header: 'SCORE', value: (s) => (s.enoughData ? score(s.score) : '–'), align: 'right', priority: 7 },
        { header: 'P(BEST)', value: (s) => `${String(Math.round(s.chanceBest * 100))}%`, align: 'right', priority: 6 },
        { header: 'BUGS/C', value: (s) => perCommit(s.bugsPerCommit), align: 'right', priority: 6 },
        { header: 'COST/C', value: (s) => `${estimateMark(s.costEstimated)}${moneyPerCommit(s.costPerCommit)}`, align: 'right', priority: 5 },
      ], result.setups))
      lines.push(c.dim(`SCORE = expected user grade − 2 × bugs per commit; N = user-graded commits on similar projects; P(BEST) = chance its score is the highest.${result.setups.some((s) => s.costEstimated) ? ' ~ cost estimated from list prices.' : ''}${result.setups.some((s) => s.commits > 0 && s.costPerCommit === null) ? ' COST/C – : unknown (no usage recorded, or a model without a known price).' : ''}`))
      lines.push('', c.bold('Why'), ...result.setups.map((s) => `  ${s.rank === null ? '–' : String(s.rank)}  ${s.setup}: ${text(s.reason)}`))
    }
    lines.push('', result.state === 'ranked' && haltedLead(result, halted) === undefined ? c.green(result.message) : c.yellow(result.message))
    if (result.explore !== null) {
      const stopped = halted.has(result.explore.setup) ? ` It is halted: reinstate it first (agent-tracker reinstate ${result.explore.setup}).` : ''
      lines.push(`${c.cyan('To learn (exploration, not the best bet):')} give the next task to ${result.explore.setup} — ${result.explore.reason}.${stopped}`)
    }
    if (result.unprofiledProjects.length > 0) lines.push(c.yellow(text(unprofiledNote(result.unprofiledProjects))))
    return lines.join('\n')
  })
}

/** A sentence about projects left out for lack of a profile. */
function unprofiledNote(unprofiled: readonly string[]): string {
  const listed = `${unprofiled.slice(0, 5).join(', ')}${unprofiled.length > 5 ? `, and ${String(unprofiled.length - 5)} more` : ''}`
  const head = unprofiled.length === 1
    ? '1 recorded project has no profile and its folder is not here, so its outcomes were left out'
    : `${plural(unprofiled.length, 'recorded project')} have no profile and their folders are not here, so their outcomes were left out`
  return `${head}: ${listed}. Run agent-tracker projects --refresh on a machine that has them.`
}
