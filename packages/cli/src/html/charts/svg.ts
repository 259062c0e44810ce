/**
 * Escapes text for HTML and SVG. A bidirectional formatting character (U+202A–U+202E,
 * U+2066–U+2069) in recorded text is shown by its code point, `<U+202E>`: in the page it would show
 * the rest of its element in another order than it is.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'\u202a-\u202e\u2066-\u2069]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? `&lt;U+${char.charCodeAt(0).toString(16).toUpperCase()}&gt;`)
}

/** Series colours, as CSS variables the page defines for light and dark mode; a setup keeps its colour in every chart. */
export function seriesColour(index: number): string {
  return `var(--c${String(index % 10)})`
}

/** A number for an SVG attribute: one decimal is plenty at these sizes. */
export function px(value: number): string {
  return String(Math.round(value * 10) / 10)
}

/** Width of every chart's drawing, in SVG units; charts scale to their box, text with them. */
export const CHART_WIDTH = 480

/**
 * A chart: its SVG (with a title for screen readers) in a figure with an HTML caption and legend,
 * so long names wrap instead of being cut.
 */
export function figure(options: { readonly title: string; readonly svg: string; readonly height: number; readonly legend?: readonly { readonly name: string; readonly colour: string }[]; readonly note?: string; readonly className?: string }): string {
  const legend = options.legend === undefined || options.legend.length === 0
    ? ''
    : `<ul class="legend">${options.legend.map((item) => `<li><span class="swatch" style="background:${item.colour}"></span>${escapeHtml(item.name)}</li>`).join('')}</ul>`
  const note = options.note === undefined ? '' : `<p class="note">${escapeHtml(options.note)}</p>`
  return `<figure class="chart${options.className === undefined ? '' : ` ${options.className}`}"><figcaption>${escapeHtml(options.title)}</figcaption><svg viewBox="0 0 ${String(CHART_WIDTH)} ${px(options.height)}" role="img" aria-label="${escapeHtml(options.title)}">${options.svg}</svg>${legend}${note}</figure>`
}

/** The figure for a chart with nothing to draw. */
export function emptyFigure(title: string, why: string): string {
  return `<figure class="chart empty"><figcaption>${escapeHtml(title)}</figcaption><p class="note">${escapeHtml(why)}</p></figure>`
}
