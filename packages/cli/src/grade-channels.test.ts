import type { ShownGradeChannel } from '@agent-tracker/core'
import { GRADE_CHANNELS, UNRECORDED_CHANNEL, isCountedGrade } from '@agent-tracker/core'
import { describe, expect, it } from 'vitest'
import { channelRowsBySetup, channelsExplained } from './grade-channels.js'

const SHOWN: readonly ShownGradeChannel[] = [...GRADE_CHANNELS, UNRECORDED_CHANNEL]

describe('channelsExplained', () => {
  it.each(SHOWN)('says of %s what the scoring rules count', (channel) => {
    const text = channelsExplained([channel])
    const recorded = channel === UNRECORDED_CHANNEL ? undefined : channel
    const counts = isCountedGrade({ by: 'user', channel: recorded })
    const countsVouched = isCountedGrade({ by: 'user', channel: recorded, vouched: true })
    expect(text).toContain(`${channel} (`)
    if (channel === 'agent-tool') expect(text).toContain('brings no user grade')
    else if (counts) expect(text).toMatch(new RegExp(`\\) counts(,|\\.|;)`))
    else if (countsVouched) expect(text).toMatch(/counts (only when vouched for with --trust|as vouched)/)
    // No channel's grades are dismissed wholesale: import grades count as their source vouches.
    expect(text).not.toContain('not counted')
  })

  it('names only the channels shown', () => {
    expect(channelsExplained(['cli-script'])).not.toContain('import')
  })
})

describe('channelRowsBySetup', () => {
  it('adds up a setup’s grades over the groups of a grouped report, one row per setup', () => {
    const rows = channelRowsBySetup([
      { setup: 'a', userGradesByChannel: [{ channel: 'ingest', grades: 2, counted: 0, meanGrade: 2 }] },
      { setup: 'b', userGradesByChannel: [{ channel: 'slash-command', grades: 1, counted: 1, meanGrade: 5 }] },
      { setup: 'a', userGradesByChannel: [{ channel: 'ingest', grades: 1, counted: 1, meanGrade: 5 }, { channel: 'slash-command', grades: 1, counted: 1, meanGrade: -1 }] },
    ])
    expect(rows).toEqual([
      { setup: 'a', userGradesByChannel: [{ channel: 'slash-command', grades: 1, counted: 1, meanGrade: -1 }, { channel: 'ingest', grades: 3, counted: 1, meanGrade: 3 }] },
      { setup: 'b', userGradesByChannel: [{ channel: 'slash-command', grades: 1, counted: 1, meanGrade: 5 }] },
    ])
  })
})
