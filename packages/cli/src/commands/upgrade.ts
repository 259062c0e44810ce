import { statSync } from 'node:fs'
import { describeDatabaseFormat, locateDataFile } from '@agent-tracker/lmdb-store'
import type { PredecessorKind, UpgradeOutcome, UpgradePlan } from '@agent-tracker/migrate'
import { upgradePredecessorDatabase } from '@agent-tracker/node-host'
import { EXIT } from '../cli-error.js'
import type { CommandContext } from '../context.js'
import { plural, when } from '../format.js'
import { parseSizeLimit } from '../parse-size.js'

/** What each of the predecessor's sub-databases becomes. */
const BECOMES: Readonly<Record<PredecessorKind, string>> = {
  agents: 'setups, with their scores and grades',
  commits: 'commits',
  communication: 'grade events',
  retrospectives: 'retrospectives, each with the grade event of its grades',
  activities: 'journal entries',
  projects: 'project profiles',
  migrations: 'records of the per-project databases it migrated',
}

/** `upgrade`: replaces the predecessor's central database at the path with agent-tracker's, importing everything. */
export async function upgradeCommand(ctx: CommandContext, options: { dryRun?: boolean }): Promise<number> {
  const timeZone = ctx.timeZone
  // A --db postgres://… is refused here: taken for a path, the message about it showed the password.
  const path = ctx.localDatabasePath()
  const maxSize = ctx.maxSize
  const progress = ctx.progress('Upgrading')
  const outcome = await upgradePredecessorDatabase({
    databasePath: path,
    dryRun: options.dryRun === true,
    lookBack: true,
    timeZone,
    ...(maxSize === undefined ? {} : { maxDatabaseSize: parseSizeLimit(maxSize, ctx.maxSizeOrigin) }),
    onProgress: (p) => { progress.update(p.processed, p.total) },
  }).finally(() => { progress.stop() })
  ctx.print(outcome, () => describeUpgrade(path, outcome))
  return outcome.status === 'planned' || outcome.status === 'nothing-to-upgrade' || (outcome.status === 'upgraded' && outcome.report.errors.length === 0) ? EXIT.ok : EXIT.failure
}

function describeUpgrade(path: string, outcome: UpgradeOutcome): string {
  switch (outcome.status) {
    case 'planned':
      return [`${path} is the central database of agent-tracker's predecessor (opencode-agent-tracker). An upgrade would import:`, ...moves(outcome.plan), `and keep the old database, unchanged, as ${outcome.plan.backup}. Nothing was changed; run agent-tracker upgrade without --dry-run to do it.`].join('\n')
    case 'upgraded': {
      const { report, plan } = outcome
      return [
        `Upgraded ${path} to an agent-tracker database: ${plural(report.migrated, 'record')} imported from:`,
        ...moves(plan),
        `The predecessor's database is kept, unchanged, as ${plan.backup}.`,
        ...(report.notes ?? []),
        ...(report.errors.length === 0 ? [] : [`${plural(report.errors.length, 'entry', 'entries')} could not be read; everything else was imported:`, ...report.errors.map((issue) => `  ${issue.position === undefined ? '' : `${issue.position}: `}${issue.message}`)]),
      ].join('\n')
    }
    case 'nothing-to-upgrade': {
      const before = outcome.upgradedBefore
      if (before !== undefined) return `Nothing to upgrade: ${path} was upgraded from the predecessor's database on ${when(before.at)}; the old one is kept as ${before.source}.`
      if (outcome.format.kind !== 'absent') return `Nothing to upgrade: ${path} is ${describeDatabaseFormat(outcome.format)}.`
      // An empty file is there, yet holds no database: one is made in it on the first write.
      const empty = statSync(locateDataFile(path).dataFile, { throwIfNoEntry: false })?.isFile() === true
      return `Nothing to upgrade: ${path} is ${empty ? 'an empty file (a database is made in it on the first write)' : 'not there yet (it is created on the first write)'}.`
    }
    case 'refused':
      return `${path} is ${describeDatabaseFormat(outcome.format)}; upgrade only replaces the predecessor's central database. Nothing was changed.`
    case 'in-use':
      return `The predecessor's database ${path} is open in process ${outcome.pids.join(', ')} (an OpenCode with the old plugin?). Close it and run agent-tracker upgrade again. Nothing was changed.`
    case 'busy':
      return `Process ${String(outcome.pid)} is upgrading ${path} right now; run this again when it is done. Nothing was changed.`
    case 'failed':
      return [`The upgrade could not finish; the predecessor's database is still at ${path}, unchanged:`, ...outcome.report.errors.map((issue) => `  ${issue.message}`)].join('\n')
    case 'error':
      return `The upgrade stopped: ${outcome.message}. ${path} holds what it held before.`
  }
}

function moves(plan: UpgradePlan): string[] {
  return (Object.entries(plan.counts) as [PredecessorKind, number][]).map(([kind, count]) => `  ${String(count).padStart(6)} ${kind} → ${BECOMES[kind]}`)
}
