import { linearScale, plotArea, xAxisLabel, yAxis } from './axes.js'
import { CHART_WIDTH, emptyFigure, escapeHtml, figure, px } from './svg.js'

/** One line of a line chart. */
export interface Series {
  readonly name: string
  readonly colour: string
  readonly points: readonly { readonly x: string; readonly y: number | null }[]
}

const HEIGHT = 250

/**
 * A line chart over ordinal x values (weeks, `YYYY-MM-DD`), with gaps where a point has no
 * value. Every point and line has a hover title; the legend is HTML, so long names wrap.
 * `format` prints values, and gridline values with the places given; `integer` keeps gridlines
 * on whole numbers (counts).
 */
export function lineChart(title: string, series: readonly Series[], axis: { readonly x: string; readonly y: string; readonly format: (value: number, places?: number) => string; readonly integer?: boolean; readonly include?: readonly number[] }): string {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort()
  const ys = series.flatMap((s) => s.points.flatMap((p) => (p.y === null ? [] : [p.y])))
  if (xs.length === 0 || ys.length === 0) return emptyFigure(title, 'No data in this window yet.')
  const area = plotArea(HEIGHT)
  const y = linearScale(ys, { from: area.bottom, to: area.top }, { include: axis.include ?? [0], ...(axis.integer === true ? { integer: true } : {}) })
  const inset = 10
  const x = (value: string): number => area.left + inset + (xs.length === 1 ? 0.5 : xs.indexOf(value) / (xs.length - 1)) * (area.right - area.left - 2 * inset)
  const every = Math.max(1, Math.ceil(xs.length / 6))
  const labels = xs.map((value, index) => (index % every === 0 ? `<text x="${px(x(value))}" y="${px(area.bottom + 16)}" text-anchor="middle" class="tick">${escapeHtml(value.slice(5))}</text>` : ''))
  const lines = series.map((s) => {
    const segments: string[][] = [[]]
    for (const point of [...s.points].sort((a, b) => (a.x < b.x ? -1 : 1))) {
      if (point.y === null) segments.push([])
      else segments.at(-1)?.push(`${px(x(point.x))},${px(y.at(point.y))}`)
    }
    const paths = segments.filter((segment) => segment.length > 0).map((segment) => `<polyline points="${segment.join(' ')}" fill="none" style="stroke:${s.colour}" stroke-width="2.5"><title>${escapeHtml(s.name)}</title></polyline>`)
    const dots = s.points.flatMap((p) => (p.y === null ? [] : [`<circle cx="${px(x(p.x))}" cy="${px(y.at(p.y))}" r="4" style="fill:${s.colour}"><title>${escapeHtml(`${s.name}, week of ${p.x}: ${axis.format(p.y)}`)}</title></circle>`]))
    return paths.join('') + dots.join('')
  })
  const svg = `${yAxis(y, area, axis.y, (value, places) => axis.format(value, places))}<line x1="${px(area.left)}" x2="${px(CHART_WIDTH - 14)}" y1="${px(area.bottom)}" y2="${px(area.bottom)}" class="axis"/>${labels.join('')}${xAxisLabel(area, axis.x)}${lines.join('')}`
  return figure({ title, svg, height: HEIGHT, legend: series.map((s) => ({ name: s.name, colour: s.colour })) })
}
