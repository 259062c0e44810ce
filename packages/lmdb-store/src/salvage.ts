import { spawn } from 'node:child_process'
import { constants, copyFileSync, mkdtempSync, rmSync, truncateSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CollectionName, LoggedFact } from '@agent-tracker/core'
import { COLLECTIONS } from '@agent-tracker/core'
import type { CutShort, MetaPageDamage } from './data-file.js'
import { cutShort, damagedMetaPage, locateDataFile } from './data-file.js'
import { copyWithMetaPageRebuilt } from './meta-page-copy.js'
import { readableProblem } from './readable-problem.js'

/** A part of a damaged database that could not be read back: where, and what happened. */
export interface SalvageLoss {
  readonly where: string
  readonly problem: string
}

/** What {@link salvageDatabase} read back from a damaged database. */
export interface SalvagedData {
  /** The fact log's facts still readable, in sequence order. */
  readonly facts: LoggedFact[]
  /** Each collection's records still readable. */
  readonly records: Record<CollectionName, unknown[]>
  /** What could not be read. */
  readonly lost: SalvageLoss[]
  /** The database's own id, when its meta data still reads. */
  readonly databaseId?: string
  /** The fact log's last sequence number, when its meta data still reads: facts up to it missing from `facts` were lost. */
  readonly lastFactSeq?: number
  /**
   * The meta page (0 or 1) found damaged beside an intact one: everything was read through the
   * intact one, in a temporary copy of the file. If the damaged page held the newest write, that
   * write is missing (the intact page names the snapshot just before it).
   */
  readonly rebuiltMetaPage?: 0 | 1
}

/** One step of the reading plan: the fact log after a sequence number, or one collection. */
type Step = { readonly kind: 'facts'; readonly after: number } | { readonly kind: 'records'; readonly collection: CollectionName }

/** Children started at most: each crash on a damaged page costs one. */
const MAX_READERS = 64

/**
 * The child's script: opens the database read-only through this package and writes what it reads,
 * one JSON line each, straight to the file descriptor — nothing read before a crash stays in a buffer.
 */
const CHILD = `
const { writeSync } = await import('node:fs')
const [entry, path, plan] = process.argv.slice(1)
const { openLmdbStore } = await import(entry)
const out = (line) => { writeSync(1, JSON.stringify(line) + '\\n') }
const firstLine = (error) => String(error?.message ?? error).split('\\n')[0]
const open = () => {
  try {
    return openLmdbStore({ databasePath: path, readOnly: true, upgrade: false, unchecked: true })
  } catch (error) {
    out({ t: 'unopened', problem: firstLine(error) })
    process.exit(3)
  }
}
let store = open()
let last = null
let databaseId = null
let failed = false
try { last = await store.lastFactSeq() } catch { failed = true }
try { databaseId = store.info().databaseId ?? null } catch { failed = true }
out({ t: 'info', last, databaseId })
if (failed) {
  // Damaged meta data: read on without it, in a fresh read transaction.
  await store.close().catch(() => undefined)
  store = open()
}
for (const step of JSON.parse(plan)) {
  out({ t: 'step', step })
  try {
    if (step.kind === 'facts') for await (const { seq, fact } of store.readFactLog({ after: step.after })) out({ t: 'fact', seq, fact })
    else for await (const record of store.scan(step.collection)) out({ t: 'record', record })
    out({ t: 'done' })
  } catch (error) {
    out({ t: 'failed', problem: firstLine(error) })
    process.exit(3)
  }
}
await store.close()
`

/** This package's entry as the child imports it: the built one, wherever this module was bundled or run from. */
function packageEntry(): string {
  return createRequire(import.meta.url).resolve('@agent-tracker/lmdb-store')
}

/**
 * Reads everything still readable from a damaged database, without risking the calling process:
 * child processes open it read-only and stream the fact log and every collection back. When a
 * child dies on a damaged page (a signal) or an error, what it sent stays; a collection is then
 * given up from that point, and the fact log is read on from further and further past the last
 * fact read, so the facts beyond the damage are found. Two kinds of damage are read through a
 * temporary copy of the file (in the system's temporary folder), never by writing the file itself:
 * a damaged meta page beside an intact one, rebuilt in the copy from the intact one; and a file cut
 * short, whose copy is made as long as its pages need, the missing ones empty — LMDB then finds
 * them damaged (an error) where a read past the end of the file would end the reader by SIGBUS,
 * so what lies before and between them is read. Never throws for a damaged file.
 */
export async function salvageDatabase(path: string): Promise<SalvagedData> {
  const { dataFile } = locateDataFile(path)
  const damage = damagedMetaPage(dataFile)
  const cut = cutShort(dataFile)
  if (damage === undefined && cut === undefined) return salvageFrom(path)
  let folder: string | undefined
  let copy: string
  try {
    folder = mkdtempSync(join(tmpdir(), 'agent-tracker-salvage-'))
    copy = join(folder, 'salvage.lmdb')
    copyRepaired(dataFile, copy, damage, cut)
  } catch (error) {
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true })
    return { facts: [], records: emptyRecords(), lost: [{ where: 'the whole database', problem: copyProblem(damage, cut, folder ?? tmpdir(), error) }] }
  }
  try {
    const salvaged = await salvageFrom(copy)
    const lost = cut === undefined ? salvaged.lost : [{ where: 'the end of the file', problem: cutShortProblem(cut) }, ...salvaged.lost]
    return { ...salvaged, lost, ...(damage === undefined ? {} : { rebuiltMetaPage: damage.page }) }
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

/** Copies the data file to `copy` (a new file), its damaged meta page rebuilt and its missing end made of empty pages. */
function copyRepaired(dataFile: string, copy: string, damage: MetaPageDamage | undefined, cut: CutShort | undefined): void {
  if (damage !== undefined) {
    copyWithMetaPageRebuilt(dataFile, damage, copy)
  } else if (cut?.newestOfTwo !== undefined) {
    // The snapshot before the newest write lies whole inside the file: both meta pages of the copy name it.
    copyWithMetaPageRebuilt(dataFile, { page: cut.newestOfTwo, pageSize: cut.pageSize }, copy)
    return
  } else {
    // A copy-on-write clone where the file system offers one; a plain copy elsewhere. Never over an existing file.
    copyFileSync(dataFile, copy, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE)
  }
  if (cut !== undefined) truncateSync(copy, cut.needed)
}

function cutShortProblem(cut: CutShort): string {
  const said = `the file is cut short (${String(cut.size)} bytes of the ${String(cut.needed)} its pages need)`
  return cut.newestOfTwo === undefined
    ? `${said}: what lay past its end is gone, and what the rest of it points there cannot be read`
    : `${said}: it was read as it stood before its newest write, whose pages lay past the end; that write is gone`
}

function copyProblem(damage: MetaPageDamage | undefined, cut: CutShort | undefined, folder: string, error: unknown): string {
  const why = [damage === undefined ? undefined : `its meta page ${String(damage.page)} is damaged`, cut === undefined ? undefined : `it is cut short (${String(cut.size)} bytes of the ${String(cut.needed)} its pages need)`].filter((part) => part !== undefined).join(', and ')
  return `${why}, and the copy to read it through could not be made in ${folder} (${(error as Error).message}); make room there, or point TMPDIR at a folder with room for a copy of the file`
}

function emptyRecords(): SalvagedData['records'] {
  return Object.fromEntries(COLLECTIONS.map((collection) => [collection, []])) as unknown as SalvagedData['records']
}

/** {@link salvageDatabase} of a database whose meta pages LMDB can open. */
async function salvageFrom(path: string): Promise<SalvagedData> {
  const records = emptyRecords()
  const facts: LoggedFact[] = []
  const lost: SalvageLoss[] = []
  /** Where reading the fact log failed: after which sequence number, and why. */
  const factFailures: { after: number; problem: string }[] = []
  let plan: Step[] = [{ kind: 'facts', after: 0 }, ...COLLECTIONS.map((collection): Step => ({ kind: 'records', collection }))]
  let last: number | undefined
  let databaseId: string | undefined
  let lastSeq = 0
  let skip = 1
  for (let readers = 0; plan.length > 0; readers++) {
    if (readers === MAX_READERS) {
      lost.push({ where: plan.map(describeStep).join(', '), problem: `not read: ${String(MAX_READERS)} readers crashed before` })
      break
    }
    const before = lastSeq
    /** Set by the child's lines (in a callback, so kept in an object). */
    const said: { current?: Step; finished: boolean; failure?: string; unopened?: string } = { finished: false }
    const outcome = await readInChild(path, plan, (line) => {
      switch (line.t) {
        case 'info':
          if (typeof line.last === 'number') last = line.last
          if (typeof line.databaseId === 'string') databaseId = line.databaseId
          break
        case 'unopened':
          said.unopened = readableProblem(String(line.problem))
          break
        case 'step':
          said.current = line.step as Step
          said.finished = false
          break
        case 'fact':
          lastSeq = line.seq as number
          facts.push({ seq: line.seq as number, fact: line.fact as LoggedFact['fact'] })
          break
        case 'record':
          if (said.current?.kind === 'records') records[said.current.collection].push(line.record)
          break
        case 'done':
          said.finished = true
          break
        case 'failed':
          said.failure = `reading it failed: ${readableProblem(String(line.problem))}`
          break
      }
    })
    const stopped = said.current
    if (stopped === undefined) {
      // The database would not even open.
      lost.push({ where: 'the whole database', problem: `it would not open to read it: ${said.unopened ?? outcome.problem ?? 'the reader stopped'}` })
      break
    }
    const index = plan.findIndex((step) => step === stopped || JSON.stringify(step) === JSON.stringify(stopped))
    const problem = said.failure ?? outcome.problem
    if (said.finished || problem === undefined) {
      plan = plan.slice(index + 1)
      continue
    }
    if (stopped.kind === 'facts') factFailures.push({ after: Math.max(lastSeq, stopped.after), problem })
    else lost.push({ where: `the ${stopped.collection} records (those read before the damage are kept)`, problem })
    plan = plan.slice(index + 1)
    if (lastSeq > before) skip = 1
    if (stopped.kind === 'facts' && last !== undefined && lastSeq + skip < last) {
      // Read on past the damage: further each time the same place fails again.
      plan = [{ kind: 'facts', after: lastSeq + skip }, ...plan]
      skip *= 2
    }
  }
  facts.sort((a, b) => a.seq - b.seq)
  const unique = facts.filter((entry, index) => index === 0 || facts[index - 1]?.seq !== entry.seq)
  return { facts: unique, records, lost: [...factLogLosses(unique, factFailures, last), ...lost], ...(databaseId === undefined ? {} : { databaseId }), ...(last === undefined ? {} : { lastFactSeq: last }) }
}

function describeStep(step: Step): string {
  return step.kind === 'facts' ? `the fact log after fact #${String(step.after)}` : `the ${step.collection} records`
}

/** One loss per run of facts missing from the fact log, with the first failure seen in it. */
function factLogLosses(facts: readonly LoggedFact[], failures: readonly { after: number; problem: string }[], last: number | undefined): SalvageLoss[] {
  const losses: SalvageLoss[] = []
  const gap = (from: number, to: number): void => {
    if (to < from) return
    const problem = failures.find((failure) => failure.after >= from - 1 && failure.after <= to)?.problem ?? 'not found'
    losses.push({ where: from === to ? `fact #${String(from)} of the fact log` : `facts #${String(from)}–#${String(to)} of the fact log`, problem })
  }
  let next = 1
  for (const { seq } of facts) {
    gap(next, seq - 1)
    next = seq + 1
  }
  if (last !== undefined) gap(next, last)
  else if (failures.some((failure) => failure.after >= next - 1)) losses.push({ where: `the fact log after fact #${String(next - 1)}`, problem: failures[failures.length - 1]?.problem ?? 'not found' })
  return losses
}

function readInChild(path: string, plan: readonly Step[], onLine: (line: Record<string, unknown>) => void): Promise<{ problem?: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, packageEntry(), path, JSON.stringify(plan)], { stdio: ['ignore', 'pipe', 'pipe'] })
    let pending = ''
    let stderr = ''
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      pending += chunk
      let end = pending.indexOf('\n')
      while (end !== -1) {
        const text = pending.slice(0, end)
        pending = pending.slice(end + 1)
        try {
          onLine(JSON.parse(text) as Record<string, unknown>)
        } catch {
          // A line cut short by the crash: nothing to keep.
        }
        end = pending.indexOf('\n')
      }
    })
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 4096) stderr += chunk
    })
    child.on('close', (code, signal) => {
      if (code === 0) resolve({})
      else resolve({ problem: signal === null ? `reading it failed: ${readableProblem(stderr.trim().split('\n').find((line) => /Error|error/.test(line)) ?? `exit ${String(code)}`)}` : `reading it crashed the reader (${signal})` })
    })
  })
}
