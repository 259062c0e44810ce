import { describe, expect, it } from 'vitest'
import type { AgentStatus } from '../scoring/status.js'
import { createMemoryStore } from '../testing/memory-store.js'
import { createTrackingService } from '../tracking/tracking-service.js'
import { guardHaltedSetup, guardSecretFiles, guardToolCall } from './tool-call-guard.js'

const SETUP = 'build@fake/m1'

async function statuses(): Promise<{ working: AgentStatus; halted: AgentStatus }> {
  const service = createTrackingService({ store: createMemoryStore() })
  await service.recordPush({ setup: SETUP, project: '/p' })
  const working = await service.reportBug({ setup: SETUP, project: '/p', by: 'user' })
  const halted = await service.reportBug({ setup: SETUP, project: '/p', by: 'user' })
  return { working, halted }
}

describe('a guard that cannot read a call through', () => {
  it('holds the call back, saying so, instead of throwing (a host goes on after a guard that throws)', () => {
    const lookup = { filesUnder: (): never => { throw new Error('index unreadable') } }
    const verdict = guardSecretFiles({ tool: 'bash', args: { command: 'cat .e*' }, cwd: '/p' }, { lookup })
    expect(verdict).toEqual({ action: 'block', reason: 'secret-file', file: '', message: 'agent-tracker blocked this bash call: agent-tracker could not check it for protected files (index unreadable). Split it into simpler commands.' })
  })

  /** `cat .env` inside `times` shells, each given the one before with `-c` or on its standard input. */
  const nested = (times: number, form: 'bash -c' | 'piped'): string => {
    let command = 'cat .env'
    for (let level = 0; level < times; level++) {
      const quoted = `'${command.replace(/'/g, "'\\''")}'`
      command = form === 'bash -c' ? `bash -c ${quoted}` : `echo ${quoted} | sh`
    }
    return command
  }

  it('holds back shells nested deeper than it reads, however they nest (they passed unread)', () => {
    for (const [times, form] of [[8, 'bash -c'], [12, 'bash -c'], [6, 'piped'], [9, 'piped']] as const) {
      const verdict = guardSecretFiles({ tool: 'bash', args: { command: nested(times, form) }, cwd: '/p' })
      expect([times, form, verdict.action, verdict.action === 'block' ? verdict.message : '']).toEqual([times, form, 'block', expect.stringMatching(/could not check it for protected files \(its .* are nested too deep to read\)/)])
    }
    // Nested as deep as anyone writes, still read — and a harmless command is let through.
    expect(guardSecretFiles({ tool: 'bash', args: { command: nested(3, 'bash -c').replace('cat .env', 'cat README.md') }, cwd: '/p' }).action).toBe('allow')
    expect(guardSecretFiles({ tool: 'bash', args: { command: nested(3, 'piped') }, cwd: '/p' })).toMatchObject({ action: 'block', file: '.env' })
  })

  it("holds back a command line too deep to check for the user's channels, saying so (eval seven times over ran a grade)", () => {
    const verdict = guardToolCall({ tool: 'bash', args: { command: `${'eval '.repeat(7)}agent-tracker grade s c --user 5` }, cwd: '/p' })
    expect(verdict).toEqual({ action: 'block', reason: 'user-channel', command: '', message: "agent-tracker blocked this bash call: agent-tracker could not check what it runs (its command lines (eval in eval …) are nested too deep to read). Split it into simpler commands." })
  })
})

describe('the tool-call guard', () => {
  it('blocks a protected file with the file named and what to do instead', () => {
    const instead = "Protected files hold the user's secrets: use .env.example for placeholders, and ask the user for any value you need."
    expect(guardSecretFiles({ tool: 'read', args: { filePath: '/p/.env' } })).toEqual({
      action: 'block', reason: 'secret-file', file: '/p/.env', message: `agent-tracker blocked this read call: it touches /p/.env, a protected file. ${instead}`,
    })
    expect(guardSecretFiles({ tool: 'read', args: { filePath: '/p/.env.example' } })).toEqual({ action: 'allow' })
    // The file is named as the shell reads it: no stray quote.
    expect(guardSecretFiles({ tool: 'bash', args: { command: 'cat ".env" | head' } })).toMatchObject({ file: '.env', message: `agent-tracker blocked this bash call: it touches .env, a protected file. ${instead}` })
    const lookup = { filesUnder: (folder: string) => (folder === '/p' ? ['/p/.env'] : undefined) }
    expect(guardSecretFiles({ tool: 'bash', args: { command: 'grep -r SECRET .' }, cwd: '/p' }, { lookup })).toMatchObject({
      file: '.env', message: `agent-tracker blocked this bash call: it reads every file under ., which holds the protected file .env. Leave it out: --exclude='.env'. ${instead}`,
    })
    expect(guardSecretFiles({ tool: 'grep', args: { pattern: 'SECRET', include: '*' }, cwd: '/p' }, { lookup })).toMatchObject({
      message: `agent-tracker blocked this grep call: it searches files matching "*" under ., which holds the protected file .env. Pass an include that names the files you need (e.g. "*.ts" or "*.{js,json,md}"), or a path below it that holds no protected file. ${instead}`,
    })
  })

  it("blocks the user's channels with the command named, before anything else", async () => {
    const { halted } = await statuses()
    const verdict = guardToolCall({ tool: 'bash', args: { command: 'cat .env; npx agent-tracker grade x y --user 5' }, status: halted })
    expect(verdict).toEqual({
      action: 'block', reason: 'user-channel', command: 'agent-tracker grade',
      message: 'agent-tracker blocked this bash call: it runs agent-tracker grade, which only the user may use — grades, bug reports, reinstating a halted agent and bringing in records come from the user. Grade your own work and report your own bugs with your tracker tools, and tell the user what you think they should record.',
    })
    // Even with env protection off, and for Claude Code's Bash.
    expect(guardToolCall({ tool: 'Bash', args: { command: 'opencode run --command grade excellence' } }, { envProtection: false })).toMatchObject({ reason: 'user-channel', command: 'opencode --command grade' })
  })

  it('blocks or warns about a halted setup, saying how the user reinstates it', async () => {
    const { working, halted } = await statuses()
    expect(halted.halted).toBe(true)
    const why = `${SETUP} is halted: it lost all its skill points to reported bugs. The user can reinstate it with /reinstate (or: agent-tracker reinstate ${SETUP}).`
    expect(guardHaltedSetup('bash', halted)).toEqual({ action: 'block', reason: 'halted', setup: SETUP, message: `agent-tracker blocked this bash call. ${why} Stop working and tell the user.` })
    expect(guardHaltedSetup('bash', halted, 'warn')).toEqual({ action: 'warn', reason: 'halted', setup: SETUP, message: why })
    expect(guardHaltedSetup('bash', halted, 'off')).toEqual({ action: 'allow' })
    expect(guardHaltedSetup('bash', working)).toEqual({ action: 'allow' })
    expect(guardHaltedSetup('bash', undefined)).toEqual({ action: 'allow' })
  })

  it('checks the secret file before the halt, and honours a policy without env protection', async () => {
    const { halted } = await statuses()
    expect(guardToolCall({ tool: 'read', args: { filePath: '.env' }, status: halted })).toMatchObject({ action: 'block', reason: 'secret-file' })
    expect(guardToolCall({ tool: 'read', args: { filePath: '.env' }, status: halted }, { envProtection: false })).toMatchObject({ action: 'block', reason: 'halted' })
    expect(guardToolCall({ tool: 'read', args: { filePath: '.env' } }, { envProtection: false })).toEqual({ action: 'allow' })
  })
})
