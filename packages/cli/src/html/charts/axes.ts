import { CHART_WIDTH, escapeHtml, px } from './svg.js'

/**
 * Gridline values for an axis covering [low, high]: about five steps of 1, 2, 2.5 or 5 times a
 * power of ten (whole steps only for counts), and the decimal places that print them exactly.
 */
export function niceTicks(low: number, high: number, options: { readonly integer?: boolean; readonly steps?: number } = {}): { ticks: number[]; places: number } {
  const raw = (high - low || 1) / (options.steps ?? 5)
  const power = 10 ** Math.floor(Math.log10(raw))
  const multipliers = options.integer === true ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10]
  let step = (multipliers.find((m) => m * power >= raw - 1e-12) ?? 10) * power
  if (options.integer === true) step = Math.max(1, Math.round(step))
  let places = 0
  while (places < 10 && Math.abs(step * 10 ** places - Math.round(step * 10 ** places)) > 1e-6) places += 1
  const first = Math.floor(low / step + 1e-9)
  const last = Math.ceil(high / step - 1e-9)
  const ticks: number[] = []
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toFixed(places)) + 0)
  return { ticks, places }
}

/** A linear scale from data values to SVG positions over nice ticks covering the values. */
export interface LinearScale {
  readonly ticks: readonly number[]
  readonly places: number
  readonly at: (value: number) => number
}

/** A scale whose ticks cover `values` (and `include`, e.g. zero), drawn from `from` to `to`. */
export function linearScale(values: readonly number[], range: { readonly from: number; readonly to: number }, options: { readonly include?: readonly number[]; readonly integer?: boolean; readonly steps?: number } = {}): LinearScale {
  const all = [...values, ...(options.include ?? [])]
  const axis = niceTicks(Math.min(...all), Math.max(...all), options)
  const low = axis.ticks[0] ?? 0
  const high = axis.ticks.at(-1) ?? 1
  const span = high - low || 1
  return { ticks: axis.ticks, places: axis.places, at: (value) => range.from + ((value - low) / span) * (range.to - range.from) }
}

/** Plot area of a chart with axes: where the drawing goes inside the SVG. */
export interface PlotArea {
  readonly left: number
  readonly right: number
  readonly top: number
  readonly bottom: number
}

/** Horizontal gridlines with tick labels for a y scale, and the y axis label (rotated, at the left edge). */
export function yAxis(scale: LinearScale, area: PlotArea, label: string, format: (value: number, places: number) => string): string {
  const lines = scale.ticks.map((tick) => {
    const y = px(scale.at(tick))
    return `<line x1="${px(area.left)}" x2="${px(area.right)}" y1="${y}" y2="${y}" class="gridline"/><text x="${px(area.left - 6)}" y="${px(scale.at(tick) + 4)}" text-anchor="end" class="tick">${escapeHtml(format(tick, scale.places))}</text>`
  })
  const middle = (area.top + area.bottom) / 2
  return `${lines.join('')}<text class="axis-label y" transform="translate(17 ${px(middle)}) rotate(-90)" text-anchor="middle">${escapeHtml(label)}</text>`
}

/** Vertical gridlines with tick labels for an x scale, and the x axis label (under the ticks). */
export function xAxis(scale: LinearScale, area: PlotArea, label: string, format: (value: number, places: number) => string): string {
  const lines = scale.ticks.map((tick) => {
    const x = px(scale.at(tick))
    return `<line x1="${x}" x2="${x}" y1="${px(area.top)}" y2="${px(area.bottom)}" class="gridline"/><text x="${x}" y="${px(area.bottom + 16)}" text-anchor="middle" class="tick">${escapeHtml(format(tick, scale.places))}</text>`
  })
  return `${lines.join('')}${xAxisLabel(area, label)}`
}

/** The x axis label alone, centred under the plot. */
export function xAxisLabel(area: PlotArea, label: string): string {
  return `<text class="axis-label x" x="${px((area.left + area.right) / 2)}" y="${px(area.bottom + 36)}" text-anchor="middle">${escapeHtml(label)}</text>`
}

/** The standard plot area: room for y ticks and label at the left, x ticks and label below. */
export function plotArea(height: number, options: { readonly left?: number } = {}): PlotArea {
  return { left: options.left ?? 74, right: CHART_WIDTH - 14, top: 12, bottom: height - 46 }
}
