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

describe('the tool-call guard', () => {
  it('blocks a secret file with the file named and what to do instead', () => {
    expect(guardSecretFiles('read', { filePath: '/p/.env' })).toEqual({
      action: 'block', reason: 'secret-file', file: '/p/.env',
      message: 'agent-tracker blocked this read call: it touches /p/.env, a secret env file. Use .env.example for placeholders, and ask the user for any value you need.',
    })
    expect(guardSecretFiles('read', { filePath: '/p/.env.example' })).toEqual({ action: 'allow' })
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
