import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BacktestFigures, BacktestSummary } from '@agent-tracker/core'
import { EVIDENCE_WEIGHT, backtest, backtestFigures, combineBacktests } from '@agent-tracker/core'
import type { HistoryScenario } from '@agent-tracker/core/backtest'
import { KNOWN_TRUTH_SCENARIOS, MIN_REALISED_GRADES, generateHistory, median } from '@agent-tracker/core/backtest'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { profileFolder } from '@agent-tracker/node-host'
import type { SavedBacktest } from '../backtest-file.js'
import { backtestFilePath, saveBacktest } from '../backtest-file.js'
import { CliError, EXIT } from '../cli-error.js'
import type { CommandContext } from '../context.js'
import { playHistory } from '../demo/play-history.js'
import { whyNotWritten } from '../export/output-sink.js'
import { percent } from '../format.js'
import { decisionColumns, describeBacktest } from './backtest-text.js'
import { plainWholeNumber } from '../plain-number.js'

/** Options of `backtest`. */
export interface BacktestOptions {
  readonly every?: string
  readonly horizon?: string
  readonly minSamples?: string
  readonly scenario?: string
  readonly seeds?: string
  readonly seed?: string
  readonly evidenceWeight?: string
  readonly gradeRate?: string
  readonly save?: boolean
  readonly decisions?: boolean
}

/**
 * `backtest`: replays the database and judges what `recommend` would have said at each decision
 * point against what each setup realised afterwards, and saves the result beside the database
 * for the HTML report; with `--scenario`, plays histories with known truth into temporary
 * databases and judges against the truth instead.
 */
export async function backtestCommand(ctx: CommandContext, options: BacktestOptions): Promise<void> {
  const every = wholeNumber(options.every, '--every', 10)
  // Fewer later grades than a realised outcome needs would judge nothing (and the saved result would be overwritten by an empty one).
  const horizon = wholeNumber(options.horizon, '--horizon', 20, MIN_REALISED_GRADES, `a setup is judged by the mean of its next n grades on similar projects, which takes at least ${String(MIN_REALISED_GRADES)}`)
  const minSamples = wholeNumber(options.minSamples, '--min-samples', 5)
  const evidenceWeight = share(options.evidenceWeight, '--evidence-weight', EVIDENCE_WEIGHT)
  if (options.scenario !== undefined) {
    const replayOnly = [options.horizon === undefined ? undefined : '--horizon', options.decisions === true ? '--decisions' : undefined].filter((flag) => flag !== undefined)
    if (replayOnly.length > 0) throw new CliError('USAGE', `${replayOnly.join(', ')} ${replayOnly.length === 1 ? 'belongs' : 'belong'} to the replay of your database: with --scenario, decisions are judged against the known truth and summed over every history, so leave ${replayOnly.length === 1 ? 'it' : 'them'} out.`, EXIT.usage)
    const gradeRate = options.gradeRate === undefined ? undefined : share(options.gradeRate, '--grade-rate', 0)
    await scenarioBacktest(ctx, { scenario: options.scenario, seeds: wholeNumber(options.seeds, '--seeds', 5), seed: wholeNumber(options.seed, '--seed', 1), every, minSamples, evidenceWeight, gradeRate })
    return
  }
  const scenarioOnly = [options.gradeRate === undefined ? undefined : '--grade-rate', options.seeds === undefined ? undefined : '--seeds', options.seed === undefined ? undefined : '--seed'].filter((flag) => flag !== undefined)
  if (scenarioOnly.length > 0) throw new CliError('USAGE', `${scenarioOnly.join(', ')} ${scenarioOnly.length === 1 ? 'changes' : 'change'} generated histories: use ${scenarioOnly.length === 1 ? 'it' : 'them'} with --scenario (without it, backtest replays your database).`, EXIT.usage)
  // As every read: without a database yet, an empty one answers and the output says how to start. A team URL is refused by openStore.
  const store = ctx.teamUrl === undefined ? await ctx.readStore() : ctx.openStore('read')
  const progress = ctx.progress('Replaying')
  const result = await backtest(store, { every, horizon, minSamples, evidenceWeight, onDecision: (done, total) => { progress.update(done, total, 'decision points') } }, { profileFolder })
  progress.stop()
  const figures = backtestFigures(result.summary)
  const savedTo = options.save === false || ctx.missingDatabase ? null : savedBeside(ctx, { format: 'agent-tracker-backtest', version: 1, at: new Date().toISOString(), database: store.path, every, horizon, summary: result.summary, figures })
  ctx.print({ database: store.path, savedTo, every, horizon, summary: result.summary, figures, unprofiledProjects: result.unprofiledProjects, ...(options.decisions === true ? { decisions: result.decisions } : {}) }, () => {
    const c = ctx.colours
    const projects = new Set(result.decisions.map((d) => d.project)).size
    return [
      `${c.bold('Backtest')} of ${store.path}: ${String(result.summary.decisionPoints)} decision points on ${String(projects)} project${projects === 1 ? '' : 's'} (each project's first commit and every ${String(every)} commits after), each answered from the history before it and judged by what the setups realised afterwards (their next ${String(horizon)} graded commits on similar projects).`,
      '',
      ...describeBacktest(result.summary, figures),
      ...(options.decisions === true && result.decisions.length > 0 ? ['', c.bold('Decision points'), ctx.table(decisionColumns(), result.decisions)] : []),
      ...(result.summary.decisionPoints === 0 ? ['', c.yellow('Nothing to replay yet: no project with a profile has commits.')] : []),
      ...(result.unprofiledProjects.length === 0 ? [] : ['', c.yellow(`${String(result.unprofiledProjects.length)} recorded project(s) have no profile and no folder here, so they were left out: ${result.unprofiledProjects.slice(0, 5).join(', ')}.`)]),
      ...(savedTo === null ? [] : ['', c.dim(`Saved for the HTML report (export --format html): ${savedTo}`)]),
    ].join('\n')
  })
}

/** Saves a backtest beside its database for the HTML report; a file that cannot be written (a folder not the user's, a full disk) costs the report its section, never the answer. */
function savedBeside(ctx: CommandContext, saved: SavedBacktest): string | null {
  try {
    return saveBacktest(saved)
  } catch (error) {
    const path = backtestFilePath(saved.database)
    ctx.warn('BACKTEST_NOT_SAVED', `Not saved for the HTML report: cannot write ${path} (${whyNotWritten(path, error)}). The result stands; --no-save skips saving.`)
    return null
  }
}

interface ScenarioRun {
  readonly scenario: HistoryScenario
  readonly seeds: readonly number[]
  readonly commits: number
  readonly summary: BacktestSummary
  readonly figures: BacktestFigures
}

async function scenarioBacktest(ctx: CommandContext, options: { scenario: string; seeds: number; seed: number; every: number; minSamples: number; evidenceWeight: number; gradeRate: number | undefined }): Promise<void> {
  const chosen = options.scenario === 'all' ? KNOWN_TRUTH_SCENARIOS : KNOWN_TRUTH_SCENARIOS.filter((s) => s.name === options.scenario)
  if (chosen.length === 0) {
    throw new CliError('INVALID_OPTION', `Unknown --scenario "${options.scenario}": accepted are all, ${KNOWN_TRUTH_SCENARIOS.map((s) => s.name).join(', ')}.`, EXIT.usage)
  }
  const seeds = Array.from({ length: options.seeds }, (_, index) => options.seed + index)
  const progress = ctx.progress('Backtesting')
  const runs: ScenarioRun[] = []
  const total = chosen.length * seeds.length
  for (const scenario of chosen) {
    const summaries: BacktestSummary[] = []
    let commits = 0
    for (const seed of seeds) {
      progress.update(runs.length * seeds.length + summaries.length, total, `${scenario.name} seed ${String(seed)}`)
      const folder = mkdtempSync(join(tmpdir(), 'agent-tracker-backtest-'))
      try {
        const databasePath = join(folder, 'agent-tracker.lmdb')
        const played = await playHistory(folder, databasePath, generateHistory(options.gradeRate === undefined ? scenario : { ...scenario, userGradeRate: options.gradeRate }, scenario.seed * 1000 + seed), { evidence: options.evidenceWeight > 0 })
        commits += played.commits
        const store = openLmdbStore({ databasePath, readOnly: true })
        try {
          summaries.push((await backtest(store, { truth: played.truth, every: options.every, minSamples: options.minSamples, evidenceWeight: options.evidenceWeight })).summary)
        } finally {
          await store.close()
        }
      } finally {
        rmSync(folder, { recursive: true, force: true })
      }
    }
    const summary = combineBacktests(summaries)
    runs.push({ scenario, seeds, commits, summary, figures: backtestFigures(summary) })
  }
  progress.stop()
  const overall = combineBacktests(runs.map((r) => r.summary))
  const overallFigures = backtestFigures(overall)
  ctx.print({
    seeds,
    every: options.every,
    evidenceWeight: options.evidenceWeight,
    ...(options.gradeRate === undefined ? {} : { gradeRate: options.gradeRate }),
    scenarios: runs.map((r) => ({ name: r.scenario.name, description: r.scenario.description, histories: r.seeds.length, commits: r.commits, summary: r.summary, figures: r.figures })),
    overall: { summary: overall, figures: overallFigures },
  }, () => renderScenarios(ctx, runs, overall, overallFigures, options))
}

function renderScenarios(ctx: CommandContext, runs: readonly ScenarioRun[], overall: BacktestSummary, figures: BacktestFigures, options: { every: number; evidenceWeight: number; gradeRate: number | undefined }): string {
  const { every } = options
  const c = ctx.colours
  const seeds = runs[0]?.seeds ?? []
  type Row = { name: string; summary: BacktestSummary; figures: BacktestFigures }
  const rows: Row[] = [...runs.map((r) => ({ name: r.scenario.name, summary: r.summary, figures: r.figures })), { name: 'all', summary: overall, figures }]
  const separation = (f: BacktestFigures, gap: number): string => {
    const s = f.separation.find((x) => x.gap === gap)
    return s === undefined || s.pairs === 0 ? '–' : s.median === null ? `– (0/${String(s.pairs)})` : `${String(s.median)} (${String(s.separated)}/${String(s.pairs)})`
  }
  const lines = [
    `${c.bold('Backtest on histories with known truth')}: ${String(runs.length)} scenario${runs.length === 1 ? '' : 's'} × ${String(seeds.length)} seed${seeds.length === 1 ? '' : 's'} (${String(seeds[0] ?? 0)}–${String(seeds.at(-1) ?? 0)}), each played through the tracking path into a temporary LMDB database and replayed with a decision point at each project's first commit and every ${String(every)} commits after; ${options.evidenceWeight > 0 ? `git evidence recorded and weighed at ${String(options.evidenceWeight)} of a grade per commit` : 'no git evidence'}${options.gradeRate === undefined ? '' : `; the user grades ${String(Math.round(options.gradeRate * 100))}% of commits`}.`,
    '',
    ctx.table<Row>([
      { header: 'SCENARIO', value: (r) => r.name, priority: 10 },
      { header: 'DECISIONS', value: (r) => String(r.summary.decisionPoints), align: 'right', priority: 4 },
      { header: 'COVERAGE 90%', value: (r) => percent(r.figures.coverage), align: 'right', priority: 9 },
      { header: 'BEST NAMED', value: (r) => percent(r.summary.decisionPoints === 0 ? null : r.summary.verdicts.named / r.summary.decisionPoints), align: 'right', priority: 6 },
      { header: 'NAMED RIGHT', value: (r) => percent(r.figures.winnerPrecision), align: 'right', priority: 9 },
      { header: 'NO WINNER', value: (r) => percent(r.figures.noWinnerRate), align: 'right', priority: 8 },
      { header: 'WARRANTED', value: (r) => percent(r.figures.heldBackWarranted), align: 'right', priority: 5 },
      { header: 'REGRET', value: (r) => (r.figures.regret === null ? '–' : r.figures.regret.toFixed(3)), align: 'right', priority: 8 },
      { header: '0.5 APART', value: (r) => separation(r.figures, 0.5), align: 'right', priority: 5 },
      { header: '1.0 APART', value: (r) => separation(r.figures, 1), align: 'right', priority: 5 },
    ], rows),
    c.dim('COVERAGE: share of 90% intervals holding the true expected grade. NAMED RIGHT: named best setups that were the true best. NO WINNER: decision points naming none.'),
    c.dim('WARRANTED: "not distinguishable" and "not enough data" answers where the leader was not the true best or the true gap was within the noise.'),
    c.dim('REGRET: score points lost per decision against always choosing the true best. x APART: median graded commits per setup before the better of two setups x grade points apart was named best (pairs told apart / pairs).'),
    '',
    `Calibration (nominal → realised): ${overall.calibration.map((cal) => `${String(Math.round(cal.level * 100))}% → ${percent(cal.scored === 0 ? null : cal.covered / cal.scored)}`).join(' · ')}`,
    `90% coverage by graded commits: ${overall.coverageBySamples.filter((b) => b.scored > 0).map((b) => `${b.label} ${percent(b.covered / b.scored)} (${String(b.scored)})`).join(' · ') || 'none scored (no interval was checked against a graded outcome)'}`,
    ...(overall.spread === null ? [] : [`At the measured spread of one grade (${overall.spread.toFixed(2)}), naming the better of two setups takes about ${overall.separation.map((s) => `${String(s.planned?.even ?? '–')} graded commits each ${s.gap.toFixed(1)} points apart (${String(s.planned?.likely ?? '–')} for an 80% chance)`).join(', and ')}.`]),
  ]
  for (const run of runs.filter((r) => r.summary.drift.length > 0)) {
    const delays = run.summary.drift.map((d) => d.commitsUntilSwitch)
    const followed = delays.filter((d): d is number => d !== null)
    const changed = run.summary.drift.flatMap((d) => (d.changedSetupCommits === null ? [] : [d.changedSetupCommits]))
    // Histories that never followed count as slower than any that did.
    const threeQuarters = delays.map((d) => d ?? Infinity).sort((a, b) => a - b)[Math.ceil(delays.length * 0.75) - 1] ?? Infinity
    const within = Number.isFinite(threeQuarters) ? `; in ${String(delays.filter((d) => d !== null && d <= threeQuarters).length)} of ${String(delays.length)} histories within ${String(threeQuarters)} commits` : ''
    lines.push(`Drift (${run.scenario.name}): the best bet followed the drift after a median of ${String(median(followed) ?? '–')} commits on that kind of project (${String(median(changed) ?? '–')} by the setup that changed)${within}; range ${String(Math.min(...followed))}–${String(Math.max(...followed))}; ${String(delays.length - followed.length)} of ${String(delays.length)} histories did not follow within the history.`)
  }
  return lines.join('\n')
}

function share(value: string | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback
  const parsed = Number(value)
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed < 0 || parsed > 1) throw new CliError('INVALID_OPTION', `Invalid ${option} "${value}": a number from 0 to 1.`, EXIT.usage)
  return parsed
}

function wholeNumber(value: string | undefined, option: string, fallback: number, least = 1, why?: string): number {
  if (value === undefined) return fallback
  const parsed = plainWholeNumber(value)
  if (parsed === undefined || parsed < least) throw new CliError('INVALID_OPTION', `Invalid ${option} "${value}": a whole number ≥ ${String(least)} in plain digits${why === undefined ? '' : ` (${why})`}.`, EXIT.usage)
  return parsed
}
