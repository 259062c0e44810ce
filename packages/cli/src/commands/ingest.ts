import { randomUUID } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { resolve } from 'node:path'
import type { Fact, GradeFact } from '@agent-tracker/core'
import { isCountedGrade, validateFact } from '@agent-tracker/core'
import { CliError, EXIT } from '../cli-error.js'
import { describeFailure } from '../describe-failure.js'
import type { CommandContext } from '../context.js'
import { plural } from '../format.js'
import { gradeProvenanceOf, uncountedGradeNote } from '../trust.js'

const BATCH = 1000

/** What `ingest` did. */
export interface IngestSummary {
  readonly lines: number
  readonly ingested: number
  readonly repeats: number
  readonly rejected: readonly { readonly line: number; readonly message: string }[]
  /** User grades stored with channel `ingest` that do not count as the user's (no `--trust`). */
  readonly uncountedGrades: number
}

/**
 * `ingest`: one fact per JSON line on stdin (or `--file`), the way other agent hosts feed the
 * tracker. Bad lines are reported by number; every good line is stored, in batches. Grades carry
 * the channel `ingest` whatever a line says; user grades count only with `--trust`.
 * @throws {CliError} NO_INPUT at a terminal without `--file`; TRUST_REFUSED for `--trust` inside an agent session.
 */
export async function ingestCommand(ctx: CommandContext, options: { file?: string; trust?: boolean }): Promise<number> {
  const input = options.file === undefined ? ctx.io.stdin : createReadStream(resolve(ctx.io.cwd, options.file), 'utf8')
  if (options.file === undefined && ctx.io.stdin.isTTY === true) {
    throw new CliError('NO_INPUT', 'ingest reads JSON lines from stdin: pipe them in (some-host | agent-tracker ingest) or pass --file <path>.', EXIT.usage)
  }
  const provenance = gradeProvenanceOf(ctx.io, { trust: options.trust, channel: 'ingest' })
  const store = ctx.openStore('write')
  const rejected: { line: number; message: string }[] = []
  let pending: Fact[] = []
  let lines = 0
  let ingested = 0
  let repeats = 0
  let uncountedGrades = 0
  const progress = ctx.progress('Ingesting')
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return
    const result = await store.applyFacts(pending)
    ingested += result.applied
    repeats += result.skipped.length
    pending = []
    progress.update(lines, undefined, `${String(ingested)} stored`)
  }
  try {
    for await (const text of linesOf(input)) {
      lines += 1
      if (text.trim() === '') continue
      try {
        const fact = validateFact(JSON.parse(text), { newId: randomUUID, now: () => new Date() })
        if (fact.kind === 'grade') {
          const { vouched: _claimed, ...claims } = fact
          const graded = validateFact({ ...claims, channel: provenance.channel, ...(provenance.vouched ? { vouched: true } : {}) }) as GradeFact
          if (!isCountedGrade(graded)) uncountedGrades += 1
          pending.push(graded)
        } else pending.push(fact)
      } catch (error) {
        const message = error instanceof SyntaxError ? `not valid JSON (${error.message})` : describeFailure(error).message
        rejected.push({ line: lines, message })
      }
      if (pending.length >= BATCH) await flush()
    }
    await flush()
  } finally {
    progress.stop()
  }
  const summary: IngestSummary = { lines, ingested, repeats, rejected, uncountedGrades }
  const uncounted = uncountedGrades === 0 ? undefined : uncountedGradeNote(provenance)
  ctx.print(summary, () => {
    const head = `Ingested ${plural(ingested, 'fact')} from ${plural(lines, 'line')}${repeats > 0 ? `; ${plural(repeats, 'repeat')} already recorded ${repeats === 1 ? 'was' : 'were'} skipped` : ''}.${uncounted === undefined ? '' : `\n${ctx.colours.yellow(`${plural(uncountedGrades, 'user grade')}: ${uncounted}`)}`}`
    if (rejected.length === 0) return head
    return [head, ctx.colours.red(`${plural(rejected.length, 'line')} rejected (nothing from ${rejected.length === 1 ? 'it' : 'them'} was stored):`), ...rejected.map((r) => `  line ${String(r.line)}: ${r.message}`)].join('\n')
  })
  return rejected.length > 0 ? EXIT.failure : EXIT.ok
}

async function* linesOf(input: AsyncIterable<string | Buffer>): AsyncGenerator<string> {
  let rest = ''
  for await (const chunk of input) {
    rest += typeof chunk === 'string' ? chunk : chunk.toString('utf8')
    let newline = rest.indexOf('\n')
    while (newline !== -1) {
      yield rest.slice(0, newline).replace(/\r$/, '')
      rest = rest.slice(newline + 1)
      newline = rest.indexOf('\n')
    }
  }
  if (rest !== '') yield rest
}
