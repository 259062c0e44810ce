import type { SetupReportRow, ShownGradeChannel } from '@agent-tracker/core'
import { GRADE_CHANNELS, UNRECORDED_CHANNEL } from '@agent-tracker/core'

/** What reports say above the table of user grades by channel. */
export const CHANNELS_EXPLAINED = 'Only grades given with /grade or at your own terminal, and grades vouched for with --trust, count as yours; the others are shown, not counted.'

/** The channels any of the rows received user grades through, in channel order (unrecorded last). */
export function channelsOf(rows: readonly SetupReportRow[]): ShownGradeChannel[] {
  const seen = new Set<ShownGradeChannel>(rows.flatMap((row) => row.userGradesByChannel.map((entry) => entry.channel)))
  const order: readonly ShownGradeChannel[] = [...GRADE_CHANNELS, UNRECORDED_CHANNEL]
  return order.filter((channel) => seen.has(channel))
}

/** A row's user grades through a channel, as a cell: `3`, `3 (1 counted)`, or `–` for none. */
export function channelCell(row: SetupReportRow, channel: ShownGradeChannel): string {
  const entry = row.userGradesByChannel.find((candidate) => candidate.channel === channel)
  if (entry === undefined) return '–'
  return entry.counted === entry.grades ? String(entry.grades) : `${String(entry.grades)} (${String(entry.counted)} counted)`
}
