import type { ChannelGrades, SetupReportRow, ShownGradeChannel } from '@agent-tracker/core'
import { GRADE_CHANNELS, UNRECORDED_CHANNEL } from '@agent-tracker/core'

/**
 * How the user grades of each channel count, as docs/scoring.md ("Where a grade came from") says:
 * a record of every channel, so a new one cannot be shown without saying how it counts.
 */
const HOW_EACH_COUNTS: Readonly<Record<ShownGradeChannel, string>> = {
  'slash-command': 'slash-command (/grade in an agent host) counts',
  'cli-terminal': 'cli-terminal (agent-tracker grade at your own terminal) counts',
  'cli-script': 'cli-script (agent-tracker grade from a script, a pipe or an agent session) counts only when vouched for with --trust',
  ingest: 'ingest (a grade line given to agent-tracker ingest) counts only when vouched for with --trust',
  'agent-tool': 'agent-tool (the agent grading itself) brings no user grade',
  import: 'import (brought in by migrate from the predecessor\'s records, which vouch for them) counts as vouched',
  unrecorded: 'unrecorded (given before grades carried a channel) counts, as it did then',
}

/** What reports say above the table of user grades by channel: how the grades of each channel shown count. */
export function channelsExplained(channels: readonly ShownGradeChannel[]): string {
  return `How user grades count, by channel: ${channels.map((channel) => HOW_EACH_COUNTS[channel]).join('; ')}. A cell says how many counted when not all did.`
}

/** What a table of user grades by channel reads of a report row. */
export type ChannelRow = Pick<SetupReportRow, 'setup' | 'userGradesByChannel'>

/**
 * One row per setup from rows that may show a setup several times (a report grouped by period,
 * project or agent: the groups split the work, so their grades add up), in the order first seen.
 */
export function channelRowsBySetup(rows: readonly ChannelRow[]): ChannelRow[] {
  const bySetup = new Map<string, Map<ShownGradeChannel, { grades: number; counted: number; sum: number }>>()
  for (const row of rows) {
    const channels = bySetup.get(row.setup) ?? new Map<ShownGradeChannel, { grades: number; counted: number; sum: number }>()
    bySetup.set(row.setup, channels)
    for (const entry of row.userGradesByChannel) {
      const total = channels.get(entry.channel) ?? { grades: 0, counted: 0, sum: 0 }
      channels.set(entry.channel, { grades: total.grades + entry.grades, counted: total.counted + entry.counted, sum: total.sum + (entry.meanGrade ?? 0) * entry.grades })
    }
  }
  const order: readonly ShownGradeChannel[] = [...GRADE_CHANNELS, UNRECORDED_CHANNEL]
  return [...bySetup].map(([setup, channels]) => ({
    setup,
    userGradesByChannel: order.flatMap((channel): ChannelGrades[] => {
      const total = channels.get(channel)
      return total === undefined ? [] : [{ channel, grades: total.grades, counted: total.counted, meanGrade: total.grades === 0 ? null : total.sum / total.grades }]
    }),
  }))
}

/** The channels any of the rows received user grades through, in channel order (unrecorded last). */
export function channelsOf(rows: readonly ChannelRow[]): ShownGradeChannel[] {
  const seen = new Set<ShownGradeChannel>(rows.flatMap((row) => row.userGradesByChannel.map((entry) => entry.channel)))
  const order: readonly ShownGradeChannel[] = [...GRADE_CHANNELS, UNRECORDED_CHANNEL]
  return order.filter((channel) => seen.has(channel))
}

/** A row's user grades through a channel, as a cell: `3`, `3 (1 counted)`, or `–` for none. */
export function channelCell(row: ChannelRow, channel: ShownGradeChannel): string {
  const entry = row.userGradesByChannel.find((candidate) => candidate.channel === channel)
  if (entry === undefined) return '–'
  return entry.counted === entry.grades ? String(entry.grades) : `${String(entry.grades)} (${String(entry.counted)} counted)`
}
