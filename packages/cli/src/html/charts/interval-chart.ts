import { linearScale, xAxis } from './axes.js'
import { CHART_WIDTH, escapeHtml, figure, px } from './svg.js'

/** A setup's expected grade and its 90% interval, and whether it has enough data to rank. */
export interface Estimate {
  readonly name: string
  readonly colour: string
  readonly expected: number
  readonly interval: readonly [number, number]
  readonly ranked: boolean
  readonly detail: string
}

const ROW = 36

/**
 * Expected grades with their 90% intervals, one row per setup (a forest plot): overlapping bars
 * are setups the data cannot tell apart yet; setups without enough data are drawn faint.
 */
export function intervalChart(title: string, estimates: readonly Estimate[], axis: { readonly label: string; readonly format: (value: number, places?: number) => string; readonly domain: readonly [number, number] }): string {
  const height = 14 + estimates.length * ROW + 48
  const area = { left: 30, right: CHART_WIDTH - 14, top: 6, bottom: height - 46 }
  const scale = linearScale([...axis.domain, ...estimates.flatMap((e) => [...e.interval])], { from: area.left, to: area.right }, { steps: 6 })
  const rows = estimates.map((e, index) => {
    const y = area.top + 6 + index * ROW
    const faint = e.ranked ? '' : ' faint'
    const title = `<title>${escapeHtml(`${e.name}: ${e.detail}`)}</title>`
    return `<g class="estimate${faint}"><text x="${px(area.left)}" y="${px(y + 10)}" class="label">${escapeHtml(e.name)}${e.ranked ? '' : ' — not enough data'}</text><line x1="${px(scale.at(e.interval[0]))}" x2="${px(scale.at(e.interval[1]))}" y1="${px(y + 21)}" y2="${px(y + 21)}" class="interval" style="stroke:${e.colour}">${title}</line><circle cx="${px(scale.at(e.expected))}" cy="${px(y + 21)}" r="5" style="fill:${e.colour}">${title}</circle></g>`
  })
  const setupLabel = `<text class="axis-label y" transform="translate(17 ${px((area.top + area.bottom) / 2)}) rotate(-90)" text-anchor="middle">Setup</text>`
  return figure({ title, svg: `${xAxis(scale, area, axis.label, (v, places) => axis.format(v, places))}${setupLabel}${rows.join('')}`, height, className: 'compact' })
}
