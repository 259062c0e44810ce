import type { SetupTrend } from '@agent-tracker/core'
import { grade, money } from '../../format.js'
import type { Series } from '../charts/line-chart.js'
import { lineChart } from '../charts/line-chart.js'

/** Weekly mean user grade, commits and cost per setup, the weeks (from Monday) those of `timeZone`, which the axes name. */
export function trendCharts(trends: readonly SetupTrend[], colourOf: (setup: string) => string, timeZone: string): string {
  const week = `Week (starting Monday, ${timeZone})`
  const weekly = (pick: (point: SetupTrend['points'][number]) => number | null): Series[] =>
    trends.map((trend) => ({ name: trend.setup, colour: colourOf(trend.setup), points: trend.points.map((point) => ({ x: point.week, y: pick(point) })) }))
  return [
    lineChart('Weekly mean user grade', weekly((p) => p.meanUserGrade), { x: week, y: 'Mean user grade', format: (v, places) => (places === undefined ? grade(v) : v.toFixed(places)), include: [-1, 5] }),
    lineChart('Weekly commits', weekly((p) => p.commits), { x: week, y: 'Commits', format: (v, places) => v.toFixed(places ?? 0), integer: true }),
    lineChart('Weekly cost', weekly((p) => p.cost), { x: week, y: 'Cost (USD)', format: (v, places) => (places === undefined ? money(v) : `$${v.toFixed(Math.max(places, 0))}`) }),
  ].join('\n')
}
