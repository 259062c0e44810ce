import { displayWidth } from './display-width.js'
import { plural } from './format.js'
import { oneLine } from './terminal-text.js'

/** A column of a table: its header, how to render a row, and how much it matters on narrow screens. */
export interface Column<Row> {
  readonly header: string
  readonly value: (row: Row) => string
  readonly align?: 'left' | 'right'
  /** Lower numbers are dropped first when the table does not fit; default 5. */
  readonly priority?: number
}

const GAP = '  '

/**
 * Renders rows as a borderless table that fits `width`, dropping low-priority columns if needed.
 * Widths are display widths: CJK characters and emoji take two columns, colour codes none. When
 * fewer than a third of the columns would fit, the rows are listed one after another instead — each
 * headed by its most important value, then every other column as a labelled line — so that a
 * narrow terminal still shows everything (see {@link renderRecords}).
 */
export function renderTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[], options: { width: number; colour: (text: string) => string; coloursOn?: boolean }): string {
  // Cells hold recorded text: a control character or a line break in one would act on the terminal or break the rows.
  const cells = rows.map((row) => columns.map((column) => oneLine(column.value(row), options.coloursOn)))
  const widths = columns.map((column, index) => Math.max(displayWidth(column.header), ...cells.map((cell) => displayWidth(cell[index] ?? ''))))
  let kept = columns.map((_, index) => index)
  const total = (indexes: readonly number[]): number => indexes.reduce((sum, index) => sum + (widths[index] ?? 0), 0) + GAP.length * (indexes.length - 1)
  while (total(kept) > options.width && kept.length > 1) {
    const lowest = kept.reduce((worst, index) => ((columns[index]?.priority ?? 5) < (columns[worst]?.priority ?? 5) ? index : worst), kept[kept.length - 1] ?? 0)
    kept = kept.filter((index) => index !== lowest)
  }
  const line = (texts: readonly string[], style: (text: string) => string = (text) => text): string =>
    kept.map((index, position) => {
      const text = texts[index] ?? ''
      const padding = ' '.repeat(Math.max(0, (widths[index] ?? 0) - displayWidth(text)))
      const styled = style(text)
      return columns[index]?.align === 'right' ? `${padding}${styled}` : position === kept.length - 1 ? styled : `${styled}${padding}`
    }).join(GAP).trimEnd()
  if (rows.length > 0 && kept.length * 3 < columns.length) {
    const heading = kept.reduce((best, index) => ((columns[index]?.priority ?? 5) > (columns[best]?.priority ?? 5) ? index : best), kept[0] ?? 0)
    return renderRecords(columns, cells, heading, options.colour)
  }
  const hidden = columns.length - kept.length
  const note = hidden === 0 ? '' : `\n(${plural(hidden, 'column')} hidden to fit the terminal; widen it or use --json)`
  return [line(columns.map((column) => column.header), options.colour), ...cells.map((cell) => line(cell))].join('\n') + note
}

/**
 * Rows as records, for a terminal too narrow for their table: each headed by its value in the
 * `heading` column (the one a table keeps last), then the other columns, in table order, one per
 * line as `LABEL  value` with the labels aligned; a blank line between records.
 */
function renderRecords<Row>(columns: readonly Column<Row>[], cells: readonly (readonly string[])[], heading: number, colour: (text: string) => string): string {
  const others = columns.map((_, index) => index).filter((index) => index !== heading)
  const labelWidth = Math.max(0, ...others.map((index) => displayWidth(columns[index]?.header ?? '')))
  return cells
    .map((cell) => [
      cell[heading] ?? '',
      ...others.map((index) => {
        const label = columns[index]?.header ?? ''
        return `  ${colour(label)}${' '.repeat(labelWidth - displayWidth(label))}${GAP}${cell[index] ?? ''}`.trimEnd()
      }),
    ].join('\n'))
    .join('\n\n')
}
