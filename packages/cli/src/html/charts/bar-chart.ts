import { linearScale, xAxis } from './axes.js'
import { CHART_WIDTH, emptyFigure, escapeHtml, figure, px } from './svg.js'

/** One bar. */
export interface Bar {
  readonly label: string
  readonly value: number | null
  readonly colour: string
  /** Shown after the value, e.g. `n=12`. */
  readonly note?: string
}

const ROW = 44

/**
 * A horizontal bar chart, one bar per setup with its full name above it (nothing is cut), the
 * value at its end and a labelled value axis below; bars with no value say "no data".
 */
export function barChart(title: string, bars: readonly Bar[], axis: { readonly label: string; readonly format: (value: number, places?: number) => string; readonly integer?: boolean }): string {
  const values = bars.flatMap((bar) => (bar.value === null ? [] : [bar.value]))
  if (bars.length === 0) return emptyFigure(title, 'No setups in this report.')
  const height = 20 + bars.length * ROW + 48
  const area = { left: 30, right: CHART_WIDTH - 96, top: 8, bottom: height - 46 }
  const scale = linearScale(values.length === 0 ? [0, 1] : values, { from: area.left, to: area.right }, { include: [0], steps: 4, ...(axis.integer === true ? { integer: true } : {}) })
  const zero = scale.at(0)
  const rows = bars.map((bar, index) => {
    const y = area.top + 8 + index * ROW
    const label = `<text x="${px(area.left)}" y="${px(y + 11)}" class="label">${escapeHtml(bar.label)}</text>`
    if (bar.value === null) return `${label}<text x="${px(zero + 4)}" y="${px(y + 31)}" class="muted">no data</text>`
    const end = scale.at(bar.value)
    const text = `${axis.format(bar.value)}${bar.note === undefined ? '' : ` · ${bar.note}`}`
    // At phone size text is up to 16 units, ~9 a character: a value that would run off the chart goes inside its bar.
    const inside = Math.max(zero, end) + 5 + text.length * 9 > CHART_WIDTH && Math.abs(end - zero) > text.length * 9 + 10
    const value = inside
      ? `<text x="${px(Math.max(zero, end) - 5)}" y="${px(y + 31)}" text-anchor="end" class="value inside">${escapeHtml(text)}</text>`
      : `<text x="${px(Math.max(zero, end) + 5)}" y="${px(y + 31)}" class="value">${escapeHtml(text)}</text>`
    return `${label}<rect x="${px(Math.min(zero, end))}" y="${px(y + 18)}" width="${px(Math.max(Math.abs(end - zero), 1.5))}" height="18" rx="3" style="fill:${bar.colour}"><title>${escapeHtml(`${bar.label}: ${text}`)}</title></rect>${value}`
  })
  const setupLabel = `<text class="axis-label y" transform="translate(17 ${px((area.top + area.bottom) / 2)}) rotate(-90)" text-anchor="middle">Setup</text>`
  const svg = `${xAxis(scale, area, axis.label, (value, places) => axis.format(value, places))}<line x1="${px(zero)}" x2="${px(zero)}" y1="${px(area.top)}" y2="${px(area.bottom)}" class="axis"/>${setupLabel}${rows.join('')}`
  return figure({ title, svg, height })
}
