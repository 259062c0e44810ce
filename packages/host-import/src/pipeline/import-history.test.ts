import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { describe, expect, it } from 'vitest'
import { Transcript } from '../testing/claude-code-transcript.js'
import { Rollout } from '../testing/codex-rollout.js'
import { gitRepository, headOf } from '../../test/git-repository.js'
import { assistant, bashPart, opencodeDatabase, opencodeStorage, toolPart } from '../testing/opencode-history.js'
import { tempFolder } from '@agent-tracker/test-folders'
import { givenLocation } from '../locations.js'
import { importHistory } from './import-history.js'

const sh = (cwd: string, command: string): string => execFileSync('sh', ['-c', command], { cwd, encoding: 'utf8' })
/** The number (from 1) of the one line of `file` that holds `text`. */
const lineOf = (file: string, text: string): number => {
  const lines = readFileSync(file, 'utf8').split('\n')
  const found = lines.flatMap((line, index) => (line.includes(text) ? [index + 1] : []))
  if (found.length !== 1) throw new Error(`${String(found.length)} lines of ${file} hold ${text}`)
  return found[0] ?? 0
}
const SESSION = '0f4c9979-527e-4cf9-8829-5b168ca319e6'

/** A Claude Code history in a real repository: a commit git printed, a quiet one, a push, a failure, and a project folder that is gone. */
function claudeHistory(): { projects: string; repo: string; commits: string[] } {
  const repo = gitRepository(join(tempFolder('repo-'), 'shop'))
  sh(repo, 'git init -q --bare ../origin.git && git remote add origin ../origin.git')
  const loud = "echo a > a.txt && git add a.txt && git commit -m 'feat: a' && git push -q origin HEAD"
  const printed = sh(repo, loud)
  const started = new Date().toISOString()
  const quiet = "echo b > b.txt && git add b.txt && git commit -q -m 'feat: quiet b'"
  sh(repo, quiet)
  const transcript = new Transcript(SESSION, repo).prompt('COMMIT-TASK')
    .call('toolu_1', 'Bash', { command: loud }, { content: printed })
    .call('toolu_2', 'Bash', { command: quiet }, { content: '' })
    .call('toolu_3', 'Bash', { command: 'false' }, { content: 'Exit code 1', isError: true })
  // The quiet call ran when the commit was made.
  ;(transcript.lines[transcript.lines.length - 4] as { timestamp: string }).timestamp = started
  ;(transcript.lines[transcript.lines.length - 3] as { timestamp: string }).timestamp = new Date(Date.parse(started) + 500).toISOString()
  const projects = tempFolder('projects-')
  transcript.write(join(projects, '-repo', `${SESSION}.jsonl`))
  new Transcript('gone-session', '/nowhere/old-project').call('toolu_9', 'Bash', { command: "git commit -m 'old work'" }, { content: '[main 1234abc] old work\n' }).write(join(projects, '-nowhere', 'gone-session.jsonl'))
  return { projects, repo, commits: [headOf(repo), sh(repo, 'git rev-parse HEAD~1').trim()] }
}

/**
 * A real repository where a session committed, then amended that commit: the two commands, what
 * git printed for each, and the hash of the commit the amend replaced.
 */
function amendedRepository(): { repo: string; commit: string; amend: string; first: { printed: string; hash: string }; printed: string } {
  const repo = gitRepository(join(tempFolder('repo-'), 'shop'))
  const commit = "echo a > a.txt && git add a.txt && git commit -m 'feat: a'"
  const amend = "echo b >> a.txt && git commit -a --amend -m 'feat: a, linted'"
  const first = { printed: sh(repo, commit), hash: headOf(repo) }
  return { repo, commit, amend, first, printed: sh(repo, amend) }
}

describe('importHistory', () => {
  it('imports each source as live tracking records it: setups, tool calls, commits confirmed by git, pushes, tokens and costs, with a summary per source', async () => {
    const { projects, repo, commits } = claudeHistory()
    const [quiet, loud] = commits as [string, string]
    const codex = new Rollout('t1', repo, { provider: 'openai' }).exec('call_1', 'ls', 'a.txt\n', 0).write(join(tempFolder(), 'rollout-t1.jsonl'))
    const opencode = opencodeDatabase(join(tempFolder(), 'opencode.db'), [{ id: 'ses_1', directory: repo, messages: [{ id: 'msg_1', data: assistant('build', { cost: 0.25 }), parts: [{ id: 'prt_1', data: bashPart('call_1', 'exit 3', '', 3) }] }] }])
    const store = openLmdbStore({ databasePath: join(tempFolder(), 'tracker.lmdb') })
    try {
      const progress: string[] = []
      const summaries = await importHistory({
        store,
        locations: [givenLocation('claude-code', projects), givenLocation('codex', codex), givenLocation('opencode', opencode)],
        onProgress: (source, done, total) => progress.push(`${source} ${String(done)}/${String(total)}`),
      })
      expect(progress).toEqual(['claude-code 1/2', 'claude-code 2/2', 'codex 1/1', 'opencode 1/1'])
      const [claude, codexSummary, opencodeSummary] = summaries
      expect(claude).toMatchObject({
        source: 'claude-code', sessions: 2, setups: ['claude-code@anthropic/claude-opus-4-8'], toolCalls: 4, toolFailures: 1, commits: 3, pushes: 1, messages: 4,
        tokens: { input: 400, output: 80, reasoning: 0, cacheRead: 120, cacheWrite: 200 }, unpricedMessages: 0, imported: 12, repeats: 0, problemCount: 0,
      })
      expect(claude?.cost).toBeCloseTo(4 * 0.0013275, 10)
      expect(claude?.estimatedCost).toBe(claude?.cost)
      expect(codexSummary).toMatchObject({ source: 'codex', sessions: 1, setups: ['codex@openai/gpt-5-codex'], toolCalls: 1, messages: 1, tokens: { input: 800, output: 43, reasoning: 7, cacheRead: 200 } })
      expect(codexSummary?.estimatedCost).toBeGreaterThan(0)
      expect(opencodeSummary).toMatchObject({ source: 'opencode', setups: ['build@fake/m1'], toolCalls: 1, toolFailures: 1, messages: 1, cost: 0.25, estimatedCost: 0 })

      expect(await store.get('commits', [repo, loud])).toMatchObject({ setup: 'claude-code@anthropic/claude-opus-4-8', message: 'feat: a', session: SESSION })
      expect(await store.get('commits', [repo, quiet])).toMatchObject({ message: 'feat: quiet b' })
      expect(await store.get('commits', ['/nowhere/old-project', '1234abc'])).toMatchObject({ message: 'old work' })
      expect((await store.get('setups', ['claude-code@anthropic/claude-opus-4-8']))?.state).toMatchObject({ toolCalls: 4, toolFailures: 1, commits: 3, pushes: 1, messages: 4 })

      // A rerun finds every fact's id taken already, counts it a repeat and changes nothing.
      const setups = await store.find('setups')
      const rerun = await importHistory({ store, locations: [givenLocation('claude-code', projects), givenLocation('codex', codex), givenLocation('opencode', opencode)] })
      expect(rerun.map((summary) => [summary.imported, summary.repeats])).toEqual(summaries.map((summary) => [0, summary.facts]))
      expect(await store.find('setups')).toEqual(setups)
    } finally {
      await store.close()
    }
  })

  it('imports a commit amended in the session as the one commit git has, while HEAD\'s reflog still records the amend', async () => {
    const { repo, commit, amend, first, printed } = amendedRepository()
    const projects = tempFolder('projects-')
    new Transcript(SESSION, repo).prompt('LINT-TASK')
      .call('toolu_1', 'Bash', { command: commit }, { content: first.printed })
      .call('toolu_2', 'Bash', { command: amend }, { content: printed })
      .write(join(projects, '-repo', `${SESSION}.jsonl`))
    const store = openLmdbStore({ databasePath: join(tempFolder(), 'tracker.lmdb') })
    try {
      const [summary] = await importHistory({ store, locations: [givenLocation('claude-code', projects)] })
      expect(summary).toMatchObject({ commits: 2, amends: 1, repeats: 0 })
      expect(await store.find('commits')).toEqual([expect.objectContaining({ hash: headOf(repo), message: 'feat: a, linted', amends: first.hash })])
      expect((await store.get('setups', ['claude-code@anthropic/claude-opus-4-8']))?.state).toMatchObject({ commits: 1, toolCalls: 2 })
    } finally {
      await store.close()
    }
  })

  it('imports a commit and its amends made in other sessions as one commit, whatever the transcript files are called', async () => {
    // Three sessions a minute apart, as QA saw them: a commit, an amend from a subfolder, another amend.
    const repo = gitRepository(join(tempFolder('repo-'), 'shop'))
    mkdirSync(join(repo, 'src'))
    const steps = [
      { cwd: repo, command: "echo a > a.txt && git add a.txt && git commit -m 'feat: a'" },
      { cwd: join(repo, 'src'), command: 'echo b >> ../a.txt && git commit -a --amend --no-edit' },
      { cwd: repo, command: "echo c >> a.txt && git commit -a --amend -m 'feat: a, final'" },
    ]
    const sessions = steps.map((step, index) => {
      const output = sh(step.cwd, step.command)
      return new Transcript(`session-${String(index + 1)}`, step.cwd, { startAt: `2026-11-29T05:0${String(index)}:00.000Z` }).prompt('TASK').call(`toolu_${String(index + 1)}`, 'Bash', { command: step.command }, { content: output })
    })
    const imported = async (names: readonly string[]): Promise<unknown> => {
      const projects = tempFolder('projects-')
      sessions.forEach((session, index) => session.write(join(projects, '-shop', `${names[index] ?? ''}.jsonl`)))
      const store = openLmdbStore({ databasePath: join(tempFolder(), 'tracker.lmdb') })
      try {
        await importHistory({ store, locations: [givenLocation('claude-code', projects)] })
        return { commits: await store.find('commits'), state: (await store.get('setups', ['claude-code@anthropic/claude-opus-4-8']))?.state.commits }
      } finally {
        await store.close()
      }
    }
    const ordered = await imported(['1', '2', '3'])
    expect(ordered).toEqual({ commits: [expect.objectContaining({ hash: headOf(repo), message: 'feat: a, final', at: '2026-11-29T05:00:01.000Z' })], state: 1 })
    expect(await imported(['3', '2', '1'])).toEqual(ordered)
  })

  it('imports an amend made in a session that started before the one whose commit it amends as that commit\'s amend', async () => {
    const { repo, commit, amend, first, printed } = amendedRepository()
    const projects = tempFolder('projects-')
    // Side by side: the first session starts, the second commits, then the first amends that commit.
    new Transcript('session-a', repo, { startAt: '2026-11-29T05:00:00.000Z' }).prompt('LINT-TASK').pause(120_000)
      .call('toolu_2', 'Bash', { command: amend }, { content: printed })
      .write(join(projects, '-shop', 'a.jsonl'))
    new Transcript('session-b', repo, { startAt: '2026-11-29T05:01:00.000Z' }).prompt('COMMIT-TASK')
      .call('toolu_1', 'Bash', { command: commit }, { content: first.printed })
      .write(join(projects, '-shop', 'b.jsonl'))
    const store = openLmdbStore({ databasePath: join(tempFolder(), 'tracker.lmdb') })
    try {
      const [summary] = await importHistory({ store, locations: [givenLocation('claude-code', projects)] })
      expect(summary).toMatchObject({ commits: 2, amends: 1 })
      expect(await store.find('commits')).toEqual([expect.objectContaining({ hash: headOf(repo), amends: first.hash, at: '2026-11-29T05:01:01.000Z' })])
    } finally {
      await store.close()
    }
  })

  it('imports a Codex amend made in a thread that started before the one whose commit it amends as that commit\'s amend', async () => {
    const { repo, commit, amend, first, printed } = amendedRepository()
    // Rollouts are named by the time their thread started: the one that amends sorts first.
    const sessions = join(tempFolder(), 'sessions', '2026', '11', '29')
    new Rollout('thread-a', repo, { startAt: '2026-11-29T05:00:00.000Z' }).pause(120_000).exec('call_2', amend, printed, 0).write(join(sessions, 'rollout-2026-11-29T05-00-00-thread-a.jsonl'))
    new Rollout('thread-b', repo, { startAt: '2026-11-29T05:01:00.000Z' }).exec('call_1', commit, first.printed, 0).write(join(sessions, 'rollout-2026-11-29T05-01-00-thread-b.jsonl'))
    const store = openLmdbStore({ databasePath: join(tempFolder(), 'tracker.lmdb') })
    try {
      const [summary] = await importHistory({ store, locations: [givenLocation('codex', sessions)] })
      expect(summary).toMatchObject({ commits: 2, amends: 1 })
      expect(await store.find('commits')).toEqual([expect.objectContaining({ hash: headOf(repo), amends: first.hash })])
    } finally {
      await store.close()
    }
  })

  it('writes nothing on a dry run, and reports what could not be read', async () => {
    const projects = tempFolder()
    const file = new Transcript(SESSION, '/p').response('msg_1', [{ type: 'text', text: 'hi' }]).write(join(projects, '-p', 'a.jsonl'), '{"cut')
    const store = openLmdbStore({ databasePath: join(tempFolder(), 'tracker.lmdb') })
    try {
      const [summary] = await importHistory({ store, dryRun: true, locations: [givenLocation('claude-code', projects)] })
      expect(summary).toMatchObject({ messages: 1, facts: 1, imported: 1, problemCount: 1, problems: [{ kind: 'problem', file, line: 2, reason: 'the last line is incomplete (the file may still be being written); it was left out' }] })
      expect(await store.find('setups')).toEqual([])
      // After a real import, a dry run tells the facts the store has from new ones.
      await importHistory({ store, locations: [givenLocation('claude-code', projects)] })
      const [again] = await importHistory({ store, dryRun: true, locations: [givenLocation('claude-code', projects)] })
      expect(again).toMatchObject({ facts: 1, imported: 0, repeats: 1 })
    } finally {
      await store.close()
    }
  })

  it('holds imported facts to ingest\'s limits: a time more than a day ahead of now is reported where it was read and skipped, the rest imported', async () => {
    const now = new Date('2026-12-01T12:00:00.000Z')
    const projects = tempFolder('projects-')
    // A call the day before, and one whose request (its response's time) came at 2099-01-01T10:00:00.000Z, its result a line later.
    const transcript = new Transcript(SESSION, '/home/me/shop', { startAt: '2026-11-30T09:00:00.000Z' }).prompt('work')
      .call('toolu_now', 'Read', { file_path: '/home/me/shop/a.ts' }, { content: 'a' })
      .pause(Date.parse('2099-01-01T09:59:59.750Z') - Date.parse('2026-11-30T09:00:01.000Z'))
      .call('toolu_later', 'Read', { file_path: '/home/me/shop/b.ts' }, { content: 'b' })
      .write(join(projects, 'x', `${SESSION}.jsonl`))
    // OpenCode's storage: a message finished within the day's slack, one in 2100 with a tool part ending then too.
    const slack = Date.parse('2026-12-02T11:00:00.000Z')
    const later = Date.parse('2100-01-01T00:00:00.000Z')
    const storage = opencodeStorage(join(tempFolder(), 'storage'), [{ id: 'ses_1', directory: '/home/me/web', messages: [
      { id: 'msg_1', data: assistant('build', { created: slack - 1000, completed: slack }) },
      { id: 'msg_2', data: assistant('build', { created: later - 1000, completed: later }), parts: [{ id: 'prt_1', data: { ...toolPart('call_1', 'read', 'completed'), state: { status: 'completed', input: {}, output: 'ok', metadata: {}, time: { start: later - 500, end: later - 100 } } } }] },
    ] }])
    const store = openLmdbStore({ databasePath: join(tempFolder(), 'tracker.lmdb') })
    try {
      const [claude, opencode] = await importHistory({ store, now: () => now, locations: [givenLocation('claude-code', projects), givenLocation('opencode', storage)] })
      const accepted = 'accepted is a time from 1970-01-01T00:00:00.000Z to a day after now (2026-12-02T12:00:00.000Z). Skipped.'
      expect(claude).toMatchObject({ toolCalls: 1, messages: 1, facts: 2, imported: 2, problemCount: 2 })
      // The call where its result was read; the usage at its response's first line.
      expect(claude?.problems).toEqual([
        { kind: 'problem', file: transcript, line: lineOf(transcript, '"tool_use_id":"toolu_later"'), reason: `Invalid tool_call fact: field "at" is "2099-01-01T10:00:00.250Z"; ${accepted}` },
        { kind: 'problem', file: transcript, line: lineOf(transcript, '"id":"toolu_later"'), reason: `Invalid usage fact: field "at" is "2099-01-01T10:00:00.000Z"; ${accepted}` },
      ])
      expect(opencode).toMatchObject({ toolCalls: 0, messages: 1, imported: 1, problemCount: 2 })
      // Every message and part of the old storage is a file of its own.
      expect(opencode?.problems).toEqual([
        { kind: 'problem', file: join(storage, 'part', 'msg_2', 'prt_1.json'), reason: `Invalid tool_call fact: field "at" is "2099-12-31T23:59:59.900Z"; ${accepted}` },
        { kind: 'problem', file: join(storage, 'message', 'ses_1', 'msg_2.json'), reason: `Invalid usage fact: field "at" is "2100-01-01T00:00:00.000Z"; ${accepted}` },
      ])
      // Nothing of 2099 or 2100 reached the setups or the day rollups.
      expect((await store.find('setups')).map((setup) => setup.lastSeenAt.slice(0, 10)).sort()).toEqual(['2026-11-30', '2026-12-02'])
      expect((await store.find('usage')).map((day) => day.day).sort()).toEqual(['2026-11-30', '2026-12-02'])
    } finally {
      await store.close()
    }
  })

  it('reports a refused fact of a Codex rollout by file and line, and of OpenCode\'s database by its file and the record', async () => {
    const now = new Date('2026-12-01T12:00:00.000Z')
    const later = Date.parse('2100-01-01T00:00:00.000Z')
    const rollout = new Rollout('thread-1', '/home/me/api', { startAt: '2026-11-30T09:00:00.000Z' })
      .exec('call_now', 'ls', 'a\n', 0)
      .pause(later - Date.parse('2026-11-30T09:00:01.000Z'))
      .exec('call_later', 'ls', 'b\n', 0)
      .write(join(tempFolder('codex-'), 'sessions', '2026', '11', '30', 'rollout-2026-11-30T09-00-00-thread-1.jsonl'))
    const database = opencodeDatabase(join(tempFolder(), 'opencode.db'), [{ id: 'ses_db', directory: '/home/me/web', messages: [
      { id: 'msg_ok', data: assistant('build') },
      { id: 'msg_late', data: assistant('build', { created: later - 1000, completed: later }), parts: [{ id: 'prt_late', data: { ...toolPart('call_9', 'read', 'completed'), state: { status: 'completed', input: {}, output: 'ok', metadata: {}, time: { start: later - 500, end: later - 100 } } } }] },
    ] }])
    const store = openLmdbStore({ databasePath: join(tempFolder(), 'tracker.lmdb') })
    try {
      const [codex, opencode] = await importHistory({ store, now: () => now, locations: [givenLocation('codex', rollout), givenLocation('opencode', database)] })
      expect(codex).toMatchObject({ toolCalls: 1, messages: 1, problemCount: 2 })
      expect(codex?.problems.map(({ file, line, reason }) => ({ file, line, reason: reason.replace(/"at" is "[^"]*"; .*/, '"at" is …') }))).toEqual([
        { file: rollout, line: lineOf(rollout, '"response_id":"resp_call_later"'), reason: 'Invalid usage fact: field "at" is …' },
        { file: rollout, line: lineOf(rollout, '"type":"function_call_output","call_id":"call_later"'), reason: 'Invalid tool_call fact: field "at" is …' },
      ])
      expect(opencode).toMatchObject({ toolCalls: 0, messages: 1, problemCount: 2 })
      expect(opencode?.problems.map(({ file, line, reason }) => ({ file, line, reason: reason.replace(/"at" is "[^"]*"; .*/, '"at" is …') }))).toEqual([
        { file: database, line: undefined, reason: 'session ses_db, part prt_late: Invalid tool_call fact: field "at" is …' },
        { file: database, line: undefined, reason: 'session ses_db, message msg_late: Invalid usage fact: field "at" is …' },
      ])
    } finally {
      await store.close()
    }
  })

  it('checks every fact at the door: an impossible one is reported by file and line and skipped, the rest of its batch goes in', async () => {
    const projects = tempFolder('projects-')
    const file = new Transcript(SESSION, '/home/me/shop').prompt('work')
      .response('msg_good', [{ type: 'text', text: 'ok' }])
      .response('msg_absurd', [{ type: 'text', text: 'ok' }], { usage: { input_tokens: 100, output_tokens: 5e12 } })
      .response('msg_good_too', [{ type: 'text', text: 'ok' }])
      .write(join(projects, '-home-me-shop', `${SESSION}.jsonl`))
    const store = openLmdbStore({ databasePath: join(tempFolder(), 'tracker.lmdb') })
    try {
      const [summary] = await importHistory({ store, locations: [givenLocation('claude-code', projects)] })
      expect(summary).toMatchObject({ messages: 2, imported: 2, problemCount: 1 })
      expect(summary?.problems[0]).toMatchObject({ file, line: lineOf(file, '"id":"msg_absurd"') })
      expect(summary?.problems[0]?.reason).toMatch(/tokens\.output.*Skipped\.$/)
      expect((await store.find('usage')).reduce((sum, day) => sum + day.messages, 0)).toBe(2)
    } finally {
      await store.close()
    }
  })
})
