import { existsSync } from 'node:fs'
import type { EvidenceRecord, EvidenceSummary, TrackerStore } from '@agent-tracker/core'
import { evidenceHandle, evidenceSummaries, fixDescription, listEvidence, parseFixPatterns } from '@agent-tracker/core'
import type { EvidenceScan, ScanEvidenceOptions } from '@agent-tracker/node-host'
import { isNodeHostError, scanEvidence } from '@agent-tracker/node-host'
import { CliError, EXIT } from '../cli-error.js'
import type { CommandContext } from '../context.js'
import { evidenceTable } from '../evidence-table.js'
import { plural, shortHash, truncate, when } from '../format.js'
import { oneLine } from '../terminal-text.js'
import { projectOf } from './lookups.js'

/** Options of `evidence`. */
export interface EvidenceOptions {
  readonly full?: boolean
  readonly fixPattern?: readonly string[]
  readonly list?: boolean
  /** Suspected bugs waiting for a verdict shown at most, newest first; default all. */
  readonly limit?: number
}

/**
 * `evidence [folder…]`: reads each project's git history for evidence about its agent commits
 * (suspected bugs, reverts, survival), records what is new, and shows the evidence per setup and
 * the suspected bugs waiting for a verdict. `--list` only shows. Ctrl-C stops a scan cleanly.
 */
export async function evidenceCommand(ctx: CommandContext, folders: readonly string[], options: EvidenceOptions): Promise<number> {
  const projects = [...new Set((folders.length === 0 ? ['.'] : folders).map((folder) => projectOf(ctx.io, folder)))]
  const store = options.list === true ? await ctx.readStore() : ctx.openStore('write')
  const scans: EvidenceScan[] = []
  /** Named folders that are no git repository with a commit, or whose git failed among others: said, and the others scanned all the same. */
  const skipped: { project: string; code: SkippedProject['code'] | 'GIT_FAILED'; reason: string }[] = []
  if (options.list !== true) {
    const fixPatterns = options.fixPattern === undefined || options.fixPattern.length === 0 ? undefined : parseFixPatterns(options.fixPattern)
    const controller = new AbortController()
    const cancel = (): void => {
      controller.abort()
    }
    // Stopped by any of these, the scan cancels its git calls and removes its temporary files.
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
    for (const signal of signals) process.once(signal, cancel)
    try {
      for (const project of projects) {
        const progress = ctx.progress(`evidence ${truncate(project, 30)}`)
        try {
          const scan = await scanOrSkip(store, project, {
            signal: controller.signal,
            ...(options.full === true ? { full: true } : {}),
            ...(fixPatterns === undefined ? {} : { fixPatterns }),
            onProgress: (step, done, total) => {
              progress.update(done, total, step)
            },
          })
          // Run from a folder that is no project, with no folder named: say how to name them (exit 1, as for that folder named).
          if ('reason' in scan && folders.length === 0) {
            if (scan.code === 'SHALLOW_CLONE') throw new CliError(scan.code, scan.message, EXIT.failure)
            throw new CliError('NOT_A_REPOSITORY', `${scan.message} evidence reads the current folder when given none: name the project folders (agent-tracker evidence ~/code/shop ~/code/api), or show what was found before with --list.`, EXIT.failure)
          }
          if ('reason' in scan) skipped.push({ project: scan.project, code: scan.code, reason: scan.reason })
          else scans.push(scan)
        } catch (error) {
          // One of several folders whose git failed: the others are still read, and the failure said with them.
          if (projects.length === 1 || !isNodeHostError(error, 'GIT_FAILED')) throw error
          skipped.push({ project, code: 'GIT_FAILED', reason: `unreadable: ${error.message}` })
        } finally {
          progress.stop()
        }
      }
    } finally {
      for (const signal of signals) process.removeListener(signal, cancel)
    }
  }
  // None of the named folders could be read: that is the answer, as an error.
  if (scans.length === 0 && skipped.length > 0) {
    const code = skipped.every((entry) => entry.code === 'SHALLOW_CLONE') ? 'SHALLOW_CLONE' : skipped.every((entry) => entry.code === 'GIT_FAILED') ? 'GIT_FAILED' : 'NOT_A_REPOSITORY'
    throw new CliError(code, skipped.map((entry) => `${entry.project} is ${entry.reason}`).join('; ') + "; evidence comes from a project's whole git history.", EXIT.failure)
  }
  // `--list` alone shows every project's; a scan shows the project it read.
  const read = options.list === true ? projects : scans.map((scan) => scan.project)
  const scope = read.length === 1 && read[0] !== undefined && !(folders.length === 0 && options.list === true) ? { project: read[0] } : {}
  const summaries = await evidenceSummaries(store, scope)
  const open = (await listEvidence(store, { ...scope, signal: 'suspected-bug', status: 'open' })).sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
  const pending = open.slice(0, options.limit ?? open.length).map((record) => ({ handle: evidenceHandle(record), ...record }))
  ctx.print({ scans, skipped, setups: summaries, pending, pendingCount: open.length }, () => [
    render(ctx, scans, summaries, pending, open.length),
    ...skipped.map((entry) => ctx.colours.yellow(`${entry.project}: skipped, ${entry.reason}.`)),
  ].join('\n'))
  return skipped.length === 0 ? EXIT.ok : EXIT.failure
}

/** A project evidence cannot be read from: no git repository with a commit, or a shallow clone. */
export interface SkippedProject {
  readonly project: string
  readonly code: 'NOT_A_REPOSITORY' | 'SHALLOW_CLONE'
  readonly reason: string
  /** The scan's own words. */
  readonly message: string
}

/** A project's evidence scan, or why it was skipped: it is no git repository with a commit, or a shallow clone. Other failures are thrown. */
export async function scanOrSkip(store: TrackerStore, project: string, options: ScanEvidenceOptions = {}): Promise<EvidenceScan | SkippedProject> {
  try {
    return await scanEvidence(store, project, options)
  } catch (error) {
    if (isNodeHostError(error, 'NOT_A_REPOSITORY')) return { project, code: error.code, reason: existsSync(project) ? 'not a git repository with a commit' : 'a folder that does not exist', message: error.message }
    if (isNodeHostError(error, 'SHALLOW_CLONE')) return { project, code: error.code, reason: 'a shallow clone (git fetch --unshallow there, then scan again)', message: error.message }
    throw error
  }
}

function render(ctx: CommandContext, scans: readonly EvidenceScan[], summaries: readonly EvidenceSummary[], pending: readonly EvidenceRecord[], pendingCount: number): string {
  const c = ctx.colours
  const lines = scans.map((scan) => `${c.bold(scan.project)}: ${scan.mode} scan to ${shortHash(scan.head)}, ${plural(scan.commitsRead, 'commit')} read, ${plural(scan.fixesBlamed, 'fix', 'fixes')} blamed${scan.fixesSkipped === 0 ? '' : ` (${String(scan.fixesSkipped)} skipped: formatting-only or too large)`}; ${plural(scan.recorded, 'new fact')}${scan.retracted === 0 ? '' : `, ${String(scan.retracted)} retracted (history rewritten)`}.`)
  if (summaries.length === 0) {
    lines.push('No evidence yet: no scanned project has tracked agent commits.')
    return lines.join('\n')
  }
  lines.push(...(lines.length === 0 ? [] : ['']), ...evidenceTable(ctx, summaries))
  if (pending.length > 0) {
    lines.push('', c.bold('Suspected bugs waiting for your verdict'))
    for (const record of pending) {
      // One line each, whatever a file name holds (git allows tabs and line breaks in them).
      lines.push(oneLine(`  ${evidenceHandle(record)}  ${record.setup}: ${shortHash(record.commit)} — fix ${shortHash(record.source)} ${when(record.at)}${fixDescription(record, { files: true, fitSubject: (subject) => truncate(subject, 50) })}`))
    }
    if (pendingCount > pending.length) lines.push(c.dim(`  … and ${String(pendingCount - pending.length)} more (--limit ${String(pendingCount)} shows them all)`))
    lines.push(c.dim('Confirm one as a bug (SP −1) with agent-tracker bug --confirm <handle>, or dismiss it with --dismiss <handle>.'))
  }
  return lines.join('\n')
}
