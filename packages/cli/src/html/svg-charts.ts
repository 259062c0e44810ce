/** Colours for series, assigned by setup order so a setup has the same colour in every chart. */
export const PALETTE = ['#4f46e5', '#0891b2', '#16a34a', '#d97706', '#dc2626', '#9333ea', '#db2777', '#65a30d', '#0d9488', '#ea580c']

/** Escapes text for HTML and SVG. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char)
}

/** One bar. */
export interface Bar {
  readonly label: string
  readonly value: number | null
  readonly colour: string
  /** Shown after the value, e.g. `n=12`. */
  readonly note?: string
}

/** A horizontal bar chart; bars with no value are drawn as "no data". */
export function barChart(title: string, bars: readonly Bar[], format: (value: number) => string): string {
  const width = 560
  const labelWidth = 230
  const row = 30
  const height = 48 + bars.length * row
  const values = bars.flatMap((bar) => (bar.value === null ? [] : [bar.value]))
  const low = Math.min(0, ...values)
  const high = Math.max(0, ...values, low + 1e-9)
  const plot = width - labelWidth - 110
  const x = (value: number): number => labelWidth + ((value - low) / (high - low)) * plot
  const rows = bars.map((bar, index) => {
    const y = 36 + index * row
    const label = `<text x="${String(labelWidth - 8)}" y="${String(y + 15)}" text-anchor="end" class="label">${escapeHtml(shorten(bar.label, 34))}</text>`
    if (bar.value === null) return `${label}<text x="${String(x(0) + 6)}" y="${String(y + 15)}" class="muted">no data</text>`
    const start = Math.min(x(0), x(bar.value))
    const size = Math.max(Math.abs(x(bar.value) - x(0)), 1.5)
    const text = `${format(bar.value)}${bar.note === undefined ? '' : ` · ${bar.note}`}`
    return `${label}<rect x="${start.toFixed(1)}" y="${String(y + 3)}" width="${size.toFixed(1)}" height="18" rx="3" fill="${bar.colour}"><title>${escapeHtml(`${bar.label}: ${text}`)}</title></rect><text x="${(Math.max(x(0), x(bar.value)) + 6).toFixed(1)}" y="${String(y + 16)}" class="value">${escapeHtml(text)}</text>`
  })
  return `<figure class="chart"><svg viewBox="0 0 ${String(width)} ${String(height)}" role="img" aria-label="${escapeHtml(title)}"><text x="0" y="18" class="title">${escapeHtml(title)}</text><line x1="${x(0).toFixed(1)}" x2="${x(0).toFixed(1)}" y1="30" y2="${String(height - 6)}" class="axis"/>${rows.join('')}</svg></figure>`
}

/** One line of a line chart. */
export interface Series {
  readonly name: string
  readonly colour: string
  readonly points: readonly { readonly x: string; readonly y: number | null }[]
}

/**
 * Gridline values for an axis covering [low, high]: about five steps of 1, 2, 2.5 or 5 times a
 * power of ten (whole steps only for counts), and the decimal places that print them exactly.
 */
export function niceTicks(low: number, high: number, options: { readonly integer?: boolean } = {}): { ticks: number[]; places: number } {
  const raw = (high - low || 1) / 5
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

/**
 * A line chart over ordinal x values (e.g. weeks); gaps where a point has no value. `format`
 * prints point values, and gridline values with the places given; `integer` keeps gridlines on
 * whole numbers (for counts).
 */
export function lineChart(title: string, series: readonly Series[], format: (value: number, places?: number) => string, options: { readonly integer?: boolean } = {}): string {
  const width = 720
  const height = 300
  const left = 56
  const right = 16
  const top = 34
  const bottom = 64
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort()
  const ys = series.flatMap((s) => s.points.flatMap((p) => (p.y === null ? [] : [p.y])))
  if (xs.length === 0 || ys.length === 0) return `<figure class="chart"><p class="muted">${escapeHtml(title)}: no data yet.</p></figure>`
  const axis = niceTicks(Math.min(0, ...ys), Math.max(...ys), options)
  const low = axis.ticks[0] ?? 0
  const high = axis.ticks.at(-1) ?? 1
  const x = (value: string): number => left + (xs.length === 1 ? 0.5 : xs.indexOf(value) / (xs.length - 1)) * (width - left - right)
  const y = (value: number): number => top + (1 - (value - low) / (high - low)) * (height - top - bottom)
  const grid = axis.ticks.map((tick) => `<line x1="${String(left)}" x2="${String(width - right)}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}" class="gridline"/><text x="${String(left - 6)}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end" class="tick">${escapeHtml(format(tick, axis.places))}</text>`)
  const every = Math.max(1, Math.ceil(xs.length / 8))
  const labels = xs.map((value, index) => (index % every === 0 ? `<text x="${x(value).toFixed(1)}" y="${String(height - bottom + 16)}" text-anchor="middle" class="tick">${escapeHtml(value.slice(5))}</text>` : ''))
  const lines = series.map((s) => {
    const segments: string[][] = [[]]
    for (const point of [...s.points].sort((a, b) => (a.x < b.x ? -1 : 1))) {
      if (point.y === null) segments.push([])
      else segments.at(-1)?.push(`${x(point.x).toFixed(1)},${y(point.y).toFixed(1)}`)
    }
    const paths = segments.filter((segment) => segment.length > 0).map((segment) => `<polyline points="${segment.join(' ')}" fill="none" stroke="${s.colour}" stroke-width="2.5"/>`)
    const dots = s.points.flatMap((p) => (p.y === null ? [] : [`<circle cx="${x(p.x).toFixed(1)}" cy="${y(p.y).toFixed(1)}" r="3.5" fill="${s.colour}"><title>${escapeHtml(`${s.name}, week of ${p.x}: ${format(p.y)}`)}</title></circle>`]))
    return paths.join('') + dots.join('')
  })
  const legend = series.map((s, index) => `<g transform="translate(${String(left + (index % 3) * 220)},${String(height - 30 + Math.floor(index / 3) * 14)})"><rect width="10" height="10" y="-9" fill="${s.colour}"/><text x="14" class="legend">${escapeHtml(shorten(s.name, 30))}</text></g>`)
  const lineRows = Math.ceil(series.length / 3)
  const fullHeight = height + Math.max(0, lineRows - 1) * 14
  return `<figure class="chart wide"><svg viewBox="0 0 ${String(width)} ${String(fullHeight)}" role="img" aria-label="${escapeHtml(title)}"><text x="0" y="18" class="title">${escapeHtml(title)}</text>${grid.join('')}${labels.join('')}${lines.join('')}${legend.join('')}</svg></figure>`
}

function shorten(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`
}
