import { paretoFront } from '@agent-tracker/core'
import { linearScale, plotArea, xAxis, yAxis } from './axes.js'
import { emptyFigure, escapeHtml, figure, px } from './svg.js'

/** A setup on the cost–quality plane: its cost per commit and mean user grade with a 90% interval. */
export interface QualityPoint {
  readonly name: string
  readonly colour: string
  readonly cost: number
  readonly quality: number
  readonly interval: readonly [number, number]
  /** Graded commits behind the mean. */
  readonly samples: number
}

const HEIGHT = 330

/**
 * Cost per commit against mean user grade, one point per setup with its 90% interval as a
 * whisker, and the Pareto front (the setups no other is both cheaper and better graded than)
 * as a dashed line through ringed points.
 */
export function scatterChart(title: string, points: readonly QualityPoint[], axis: { readonly x: string; readonly y: string; readonly formatCost: (value: number, places?: number) => string; readonly formatQuality: (value: number, places?: number) => string }, leftOut?: string): string {
  if (points.length === 0) return emptyFigure(title, leftOut ?? 'No setup has both a cost and a user grade yet.')
  const area = plotArea(HEIGHT)
  const x = linearScale(points.map((p) => p.cost), { from: area.left + 8, to: area.right - 8 }, { include: [0], steps: 4 })
  const y = linearScale(points.flatMap((p) => [...p.interval]), { from: area.bottom, to: area.top }, { steps: 5 })
  const front = paretoFront(points)
  const frontLine = front.length < 2 ? '' : `<polyline points="${front.map((p) => `${px(x.at(p.cost))},${px(y.at(p.quality))}`).join(' ')}" class="front"><title>Pareto front: no other setup is both cheaper and better graded</title></polyline>`
  const marks = points.map((p) => {
    const cx = px(x.at(p.cost))
    const cy = y.at(p.quality)
    const onFront = front.includes(p)
    const title = escapeHtml(`${p.name}: ${axis.formatCost(p.cost)} per commit, mean user grade ${axis.formatQuality(p.quality)} (90% ${axis.formatQuality(p.interval[0])}–${axis.formatQuality(p.interval[1])}, n=${String(p.samples)})${onFront ? ', on the Pareto front' : ''}`)
    const whisker = `<line x1="${cx}" x2="${cx}" y1="${px(y.at(p.interval[0]))}" y2="${px(y.at(p.interval[1]))}" class="whisker" style="stroke:${p.colour}"/>`
    const caps = [p.interval[0], p.interval[1]].map((end) => `<line x1="${px(x.at(p.cost) - 5)}" x2="${px(x.at(p.cost) + 5)}" y1="${px(y.at(end))}" y2="${px(y.at(end))}" class="whisker" style="stroke:${p.colour}"/>`).join('')
    const ring = onFront ? `<circle cx="${cx}" cy="${px(cy)}" r="9" class="front-ring"/>` : ''
    return `<g class="point">${whisker}${caps}${ring}<circle cx="${cx}" cy="${px(cy)}" r="5.5" style="fill:${p.colour}"><title>${title}</title></circle></g>`
  })
  const svg = `${yAxis(y, area, axis.y, (v, places) => axis.formatQuality(v, places))}${xAxis(x, area, axis.x, (v, places) => axis.formatCost(v, places))}${frontLine}${marks.join('')}`
  const legend = points.map((p) => ({ name: `${p.name}${front.includes(p) ? ' (Pareto front)' : ''}`, colour: p.colour }))
  return figure({ title, svg, height: HEIGHT, legend, note: `Whiskers: 90% interval of the mean user grade. Ringed and joined: the Pareto front — no other setup is both cheaper and better graded.${leftOut === undefined ? '' : ` ${leftOut}`}` })
}
