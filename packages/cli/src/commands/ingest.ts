import { createReadStream, statSync } from 'node:fs'
import type { Fact, SkippedFact } from '@agent-tracker/core'
import { REPEAT, bugsOfConfirmations, checkFactFields, checkHostFact, expandCommitPrefixes, factsOnAnotherSetupsCommit, gradeWithoutCommitReason, gradesWithoutCommit, isCountedGrade, validateFact, verdictFactId } from '@agent-tracker/core'
import type { LmdbStore } from '@agent-tracker/lmdb-store'
import { isLmdbStoreError } from '@agent-tracker/lmdb-store'
import { CliError, EXIT } from '../cli-error.js'
import { describeFailure } from '../describe-failure.js'
import type { CommandContext } from '../context.js'
import { plural } from '../format.js'
import { NotUtf8Input, numberedLines } from '../ingest/json-lines.js'
import type { SpeltAs } from '../ingest/input-fact-ids.js'
import { InputFactIds } from '../ingest/input-fact-ids.js'
import { absolutePath } from '../io.js'
import { shellWord } from '../hooks/shell-quote.js'
import { gradeProvenanceOf, uncountedGradeNote, usersOwnCall } from '../trust.js'

const BATCH = 1000
/** The id a fact without one has while it is checked: the one derived from it replaces it. */
const UNNAMED = 'ingest:unnamed'

/** A line that was not stored, and why. */
export interface IngestedLine {
  readonly line: number
  readonly message: string
}

/** What `ingest` did. */
export interface IngestSummary {
  readonly lines: number
  readonly ingested: number
  /** Facts already stored (same id): sent or ingested before. */
  readonly repeats: number
  /** The last line of the last batch written: everything up to it is stored. */
  readonly lastCommittedLine: number
  /** Lines that were not facts, or failed a check: nothing from them was stored. */
  readonly rejected: readonly IngestedLine[]
  /** Facts that were valid but changed nothing (e.g. a grade for a commit never recorded). */
  readonly ignored: readonly IngestedLine[]
  /** User grades stored with channel `ingest` that do not count as the user's (no `--trust`). */
  readonly uncountedGrades: number
  /** Set when a signal stopped the run early. */
  readonly interrupted?: NodeJS.Signals
}

const SIGNAL_CODES: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 }

/**
 * `ingest`: one fact per JSON line on stdin (or `--file`), the way other agent hosts feed the
 * tracker. Every fact has a stable id (its own, or one derived from what it says: see
 * {@link InputFactIds}), so ingesting the same input again, corrected or added to, stores nothing
 * twice. Bad lines are reported by number and skipped; every good line is stored, in batches, each
 * at once. A line's project must be an absolute path and its commits git hashes, as the tracker's
 * own hosts record them. Stopped by a signal, it says up to which line the input is stored. Grades
 * carry the channel `ingest` whatever a line says; user grades count only with `--trust`.
 * @throws {CliError} NO_INPUT at a terminal without `--file` or for a missing file; NOT_UTF8 for input in UTF-16 or UTF-32 (by its byte-order mark), of which nothing is stored; TRUST_REFUSED for `--trust` inside an agent session.
 */
export async function ingestCommand(ctx: CommandContext, options: { file?: string; trust?: boolean }): Promise<number> {
  const input = openInput(ctx, options.file)
  const provenance = gradeProvenanceOf(ctx.io, { trust: options.trust, channel: 'ingest' })
  // Opened now when it is there (its problems said first); else with the first good batch: input whose every line is rejected makes no database.
  let opened = ctx.openStoreIfThere()
  const storeOf = (): LmdbStore => (opened ??= ctx.openStore('write'))
  const rejected: IngestedLine[] = []
  const ignored: IngestedLine[] = []
  /** Lines to store; `earlier` is the id an earlier release gave a line's fact, where it differs (see {@link InputFactIds.idsOf}). */
  let pending: { line: number; fact: Fact; earlier?: string }[] = []
  let lines = 0
  let ingested = 0
  let repeats = 0
  let lastCommittedLine = 0
  let interrupted: NodeJS.Signals | undefined
  let uncountedGrades = 0
  const ids = new InputFactIds()
  const progress = ctx.progress('Ingesting')
  const noteSkipped = (skipped: readonly SkippedFact[], lineOf: ReadonlyMap<string, number>): void => {
    for (const { id, reason } of skipped) {
      if (reason === REPEAT) repeats += 1
      else ignored.push({ line: lineOf.get(id) ?? 0, message: reason })
    }
  }
  const write = async (given: readonly { line: number; fact: Fact }[]): Promise<void> => {
    // An abbreviated commit reference (git rev-parse --short) is written out in full where it names one commit.
    const expanded = await expandCommitPrefixes(storeOf(), given.map((entry) => entry.fact))
    const full = given.map((entry, index) => ({ line: entry.line, fact: expanded.facts[index] ?? entry.fact }))
    // A grade, bug or retrospective of a commit another setup made is refused, as grade and bug refuse it.
    const another = await factsOnAnotherSetupsCommit(storeOf(), full.map((entry) => entry.fact))
    const refuse = (line: number, message: string): void => {
      // A batch written again line by line (see writeOneByOne) meets the same line again.
      if (!rejected.some((entry) => entry.line === line && entry.message === message)) rejected.push({ line, message })
    }
    for (const [index, message] of [...expanded.ambiguous, ...another]) refuse(full[index]?.line ?? 0, message)
    const accepted = full.filter((_, index) => !expanded.ambiguous.has(index) && !another.has(index))
    // A confirmation of a suspected bug brings the user's bug against its commit, as `bug --confirm` records it (evidence refused above brings none).
    const confirmations = await bugsOfConfirmations(storeOf(), accepted.map((entry) => entry.fact))
    for (const [index, message] of confirmations.refused) refuse(accepted[index]?.line ?? 0, message)
    const entries = accepted.flatMap((entry, index) => {
      if (confirmations.refused.has(index)) return []
      const bug = confirmations.bugs.get(index)
      return bug === undefined ? [entry] : [entry, { line: entry.line, fact: bug }]
    })
    // A grade needs its commit: one for a commit never recorded is held back, by line.
    const orphans = new Set(await gradesWithoutCommit(storeOf(), entries.map((entry) => entry.fact)))
    const batch = orphans.size === 0 ? entries : entries.filter((_, index) => !orphans.has(index))
    for (const index of orphans) {
      const entry = entries[index]
      if (entry !== undefined) ignored.push({ line: entry.line, message: gradeWithoutCommitReason(entry.fact) })
    }
    const result = await storeOf().applyFacts(batch.map((entry) => entry.fact))
    ingested += result.applied
    noteSkipped(result.skipped, new Map(batch.map((entry) => [entry.fact.id, entry.line])))
    // Only grades stored now are told of: a rerun that skips them as repeats has nothing to say. A
    // line with its own id given twice is stored once and skipped once, so skips are counted off by
    // id, one each.
    const skips = new Map<string, number>()
    for (const { id } of result.skipped) skips.set(id, (skips.get(id) ?? 0) + 1)
    for (const { fact } of batch) {
      if (fact.kind !== 'grade' || isCountedGrade(fact)) continue
      const skipped = skips.get(fact.id) ?? 0
      if (skipped > 0) skips.set(fact.id, skipped - 1)
      else uncountedGrades += 1
    }
  }
  /** The lines of a batch but those stored under the id an earlier release gave them: counted as the repeats they are. */
  const withoutStoredBefore = async (batch: readonly { line: number; fact: Fact; earlier?: string }[]): Promise<readonly { line: number; fact: Fact }[]> => {
    const earlier = batch.flatMap((entry) => (entry.earlier === undefined ? [] : [entry.earlier]))
    if (earlier.length === 0) return batch
    const stored = await storeOf().knownFactIds(earlier)
    if (stored.size === 0) return batch
    const kept = batch.filter((entry) => entry.earlier === undefined || !stored.has(entry.earlier))
    repeats += batch.length - kept.length
    return kept
  }
  /** Writes a batch; when the database is nearly full, as much of it as fits, in halves, before giving up. */
  const writeFitting = async (batch: readonly { line: number; fact: Fact }[]): Promise<void> => {
    try {
      await write(batch)
    } catch (error) {
      if (isLmdbStoreError(error, 'DATABASE_FULL') && batch.length > 1) {
        const half = Math.ceil(batch.length / 2)
        await writeFitting(batch.slice(0, half))
        lastCommittedLine = batch[half - 1]?.line ?? lastCommittedLine
        await writeFitting(batch.slice(half))
        return
      }
      if (!isItemError(error)) throw stoppedAt(error, lastCommittedLine)
      // One extreme line must not sink its batch: write the lines one by one to find it.
      await writeOneByOne(batch, write, rejected, lastCommittedLine)
    }
  }
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return
    const taken = pending
    pending = []
    const batch = await withoutStoredBefore(taken)
    if (batch.length > 0) await writeFitting(batch)
    lastCommittedLine = taken.at(-1)?.line ?? lastCommittedLine
    progress.update(lines, undefined, `${String(ingested)} stored`)
  }
  const stop = (signal: NodeJS.Signals): void => {
    interrupted = signal
    ;(input as { destroy?: () => void }).destroy?.()
  }
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']
  for (const signal of signals) process.on(signal, stop)
  try {
    try {
      for await (const read of numberedLines(input)) {
        const { line } = read
        lines = line
        if ('problem' in read) {
          rejected.push({ line, message: read.problem })
          continue
        }
        const { text } = read
        if (text.trim() === '') continue
        try {
          const parsed: unknown = JSON.parse(text)
          // A field the kind does not take (`user_note`, `mesage`) would be dropped: the whole line is refused instead, naming it.
          checkFactFields(parsed)
          const checked = checkHostFact(validateFact(parsed, { newId: () => UNNAMED, now: () => ctx.now() }), ctx.now())
          // What only the user may do comes in vouched for, or not at all (the CLI's own commands refuse it inside an agent session).
          const userCall = provenance.vouched ? undefined : usersOwnCall(checked)
          if (userCall !== undefined) {
            rejected.push({ line, message: `${userCall}, which is the user's own call: ingest it with --trust, from your own terminal (--trust is refused inside an agent session).` })
            continue
          }
          let fact = checked
          if (fact.kind === 'grade') {
            const { vouched: _claimed, ...claims } = fact
            fact = validateFact({ ...claims, channel: provenance.channel, ...(provenance.vouched ? { vouched: true } : {}) })
          }
          // Derived from the fact as it is stored — a grade vouched for gets another id than the same line's uncounted
          // grade, `/w/app/` and `/w/app` are one project, and a setup id is composed (NFC) — with the id an earlier release
          // derived from the path and setup as the line spelt them: a line stored under that one is the same fact, not a new one, when its input comes again.
          let earlier: string | undefined
          if (!namesId(parsed)) {
            const derived = ids.idsOf(fact, spelt(parsed, fact), givesTime(parsed))
            if (fact.kind === 'verdict') {
              // A verdict's id is its evidence's and the verdict, as `bug --confirm` and `--dismiss` give it: the same verdict counts once however it came.
              fact = validateFact({ ...fact, id: verdictFactId(fact.evidence, fact.verdict) })
              earlier = derived.id
            } else {
              fact = validateFact({ ...fact, id: derived.id })
              earlier = derived.earlier
            }
          } else {
            const clash = ids.clashOf(fact, givesTime(parsed), line)
            if (clash !== undefined) {
              rejected.push({ line, message: `field "id" is ${JSON.stringify(fact.id)}, which line ${String(clash)} gave to a different fact; an id names one fact: give each fact an id of its own, or none (ingest then derives one from the fact).` })
              continue
            }
          }
          pending.push(earlier === undefined ? { line, fact } : { line, fact, earlier })
        } catch (error) {
          const message = error instanceof SyntaxError ? `not valid JSON (${error.message})` : describeFailure(error).message
          rejected.push({ line, message })
        }
        if (pending.length >= BATCH) await flush()
        if (interrupted !== undefined) break
      }
    } catch (error) {
      // Refused before its first line is read: nothing of it is stored.
      if (error instanceof NotUtf8Input) throw notUtf8Input(error, options.file)
      // A stream destroyed by the signal handler ends with a premature close: not a failure.
      if (interrupted === undefined) throw error
    }
    await flush()
  } finally {
    for (const signal of signals) process.removeListener(signal, stop)
    progress.stop()
  }
  const summary: IngestSummary = { lines, ingested, repeats, lastCommittedLine, rejected, ignored, uncountedGrades, ...(interrupted === undefined ? {} : { interrupted }) }
  const uncounted = uncountedGrades === 0 ? undefined : uncountedGradeNote(provenance)
  ctx.print(summary, () => renderSummary(ctx, summary, uncounted))
  if (interrupted !== undefined) return SIGNAL_CODES[interrupted] ?? EXIT.failure
  return rejected.length > 0 ? EXIT.failure : EXIT.ok
}

/** True when a parsed line gives its fact's id (any id: `validateFact` has checked it; it takes a null `id` as none). */
function namesId(parsed: unknown): boolean {
  return gives(parsed, 'id')
}

/** The project path and setup id as a parsed line spells them (its fact passed the checks, so it gives them); as `stored` where it somehow does not. */
function spelt(parsed: unknown, stored: Fact): SpeltAs {
  const { project, setup } = typeof parsed === 'object' && parsed !== null ? (parsed as { project?: unknown; setup?: unknown }) : {}
  return { project: typeof project === 'string' ? project : stored.project, setup: typeof setup === 'string' ? setup : stored.setup }
}

/** True when a parsed line gives its fact's time, rather than leaving it to the time of the run (a null `at` is none). */
function givesTime(parsed: unknown): boolean {
  return gives(parsed, 'at')
}

function gives(parsed: unknown, field: string): boolean {
  const value = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)[field] : undefined
  return value !== undefined && value !== null
}

function openInput(ctx: CommandContext, file: string | undefined): AsyncIterable<string | Buffer> {
  if (file === undefined) {
    if (ctx.io.stdin.isTTY === true) {
      throw new CliError('NO_INPUT', 'ingest reads JSON lines from stdin: pipe them in (some-host | agent-tracker ingest) or pass --file <path>.', EXIT.usage)
    }
    return ctx.io.stdin
  }
  const path = absolutePath(ctx.io, file)
  let isFile = false
  try {
    isFile = statSync(path).isFile()
  } catch {
    throw new CliError('NO_INPUT', `--file ${file}: no such file (looked for ${path}). Give a file of JSON lines, or pipe them to stdin.`, EXIT.usage)
  }
  if (!isFile) throw new CliError('NO_INPUT', `--file ${file}: ${path} is not a file. Give a file of JSON lines, or pipe them to stdin.`, EXIT.usage)
  return createReadStream(path)
}

/** The error for input in UTF-16 or UTF-32: what it is, what ingest reads, and how to convert it. */
function notUtf8Input(found: NotUtf8Input, file: string | undefined): CliError {
  const what = file === undefined ? 'The input on stdin' : `--file ${file}`
  const converted = file === undefined ? `… | iconv -f ${found.encoding} -t UTF-8 | agent-tracker ingest` : `iconv -f ${found.encoding} -t UTF-8 ${shellWord(file)} | agent-tracker ingest`
  // Windows PowerShell's > and Out-File write UTF-16 (little-endian) unless told otherwise.
  const powershell = found.encoding === 'UTF-16' ? ', or in PowerShell write it with Out-File -Encoding utf8 rather than >' : ''
  return new CliError('NOT_UTF8', `${what} is not UTF-8: ${found.message}. ingest reads JSON lines in UTF-8 (a UTF-8 byte-order mark is fine). Convert it first, e.g. ${converted}${powershell}. Nothing was stored.`, EXIT.failure)
}

/** True for an error one fact can cause (a value the database refuses); false for the database's own state (full, unwritable, closed). */
function isItemError(error: unknown): boolean {
  if (isLmdbStoreError(error, 'DATABASE_UNWRITABLE')) return error.details.reason === 'write'
  if (isLmdbStoreError(error)) return false
  return !(error instanceof CliError)
}

/** Lines of one batch written alone; those that fail are rejected. Gives up when the database itself fails every write. */
async function writeOneByOne(batch: readonly { line: number; fact: Fact }[], write: (batch: readonly { line: number; fact: Fact }[]) => Promise<void>, rejected: IngestedLine[], lastCommittedLine: number): Promise<void> {
  let failedInARow = 0
  let committed = lastCommittedLine
  for (const entry of batch) {
    try {
      await write([entry])
      failedInARow = 0
      committed = entry.line
    } catch (error) {
      failedInARow += 1
      if (!isItemError(error) || failedInARow >= 10) throw stoppedAt(error, committed)
      rejected.push({ line: entry.line, message: describeFailure(error).message })
    }
  }
}

/** The error of a write that stopped the ingest, saying how far the input is stored. */
function stoppedAt(error: unknown, lastCommittedLine: number): CliError {
  const failure = describeFailure(error)
  const stored = lastCommittedLine === 0 ? 'No line was stored.' : `Lines 1–${String(lastCommittedLine)} are stored.`
  return new CliError(failure.code, `${failure.message} ${stored} Fix this and run the same input again: lines already stored are skipped as repeats.`, failure.exitCode, { cause: error })
}

function renderSummary(ctx: CommandContext, summary: IngestSummary, uncounted: string | undefined): string {
  const { lines, ingested, repeats, rejected, ignored } = summary
  const out = [`Ingested ${plural(ingested, 'fact')} from ${plural(lines, 'line')}${repeats > 0 ? `; ${plural(repeats, 'repeat')} already recorded ${repeats === 1 ? 'was' : 'were'} skipped` : ''}.`]
  // "1 user grade recorded with channel ingest, not counted …": the note goes on from the count.
  if (uncounted !== undefined) out.push(ctx.colours.yellow(`${plural(summary.uncountedGrades, 'user grade')} ${uncounted.charAt(0).toLowerCase()}${uncounted.slice(1)}`))
  if (summary.interrupted !== undefined) {
    out.push(ctx.colours.yellow(`Stopped by ${summary.interrupted}: lines 1–${String(summary.lastCommittedLine)} are stored. Run the same input again to finish: lines already stored are skipped as repeats.`))
  }
  if (ignored.length > 0) out.push(`${plural(ignored.length, 'fact')} changed nothing:`, ...ignored.map((r) => `  line ${String(r.line)}: ${r.message}`))
  if (rejected.length > 0) out.push(ctx.colours.red(`${plural(rejected.length, 'line')} rejected (nothing from them was stored):`), ...rejected.map((r) => `  line ${String(r.line)}: ${r.message}`))
  return out.join('\n')
}
