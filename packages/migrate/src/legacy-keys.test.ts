import { describe, expect, it } from 'vitest'
import { splitActivityKey, splitCommitKey, splitCommunicationKey, splitRetrospectiveKey } from './legacy-keys.js'

describe('legacy keys', () => {
  it('split from their end, so that paths and agent ids may hold ":"', () => {
    expect(splitCommitKey('/home/dev/work:1/api:a1b2c3d')).toEqual({ project: '/home/dev/work:1/api', hash: 'a1b2c3d' })
    expect(splitCommunicationKey('team:build:a1b2c3d:1771608300000')).toEqual({ agentId: 'team:build', hash: 'a1b2c3d', epochMillis: 1771608300000 })
    expect(splitRetrospectiveKey('team:build:a1b2c3d')).toEqual({ agentId: 'team:build', hash: 'a1b2c3d' })
    expect(splitActivityKey('build:2026-02-23T15:00:00Z', '2026-02-23T15:00:00Z')).toEqual({ agentId: 'build' })
    expect(splitActivityKey('build:2026-02-23', undefined)).toEqual({ agentId: 'build' })
  })

  it.each([
    ['a commit key without a project', () => splitCommitKey('abcdef0')],
    ['a commit key with an empty project', () => splitCommitKey(':abcdef0')],
    ['a commit key with an empty hash', () => splitCommitKey('/home/dev/shop:')],
    ['a grade key without an epoch', () => splitCommunicationKey('build:abcdef0')],
    ['a grade key with an empty epoch', () => splitCommunicationKey('build:abcdef0:')],
    ['a grade key whose epoch is no number', () => splitCommunicationKey('build:abcdef0:yesterday')],
    ['a grade key with an empty hash', () => splitCommunicationKey('build::1771608300000')],
    ['a retrospective key without an agent', () => splitRetrospectiveKey('abcdef0')],
    ['an activity key without an agent', () => splitActivityKey('2026-02-23', '2026-02-23')],
    ['an activity key with an empty agent', () => splitActivityKey(':2026-02-23T15:00:00Z', '2026-02-23T15:00:00Z')],
  ])('split %s to nothing', (_, split) => {
    expect(split()).toBeUndefined()
  })
})
