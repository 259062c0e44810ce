import Table from 'cli-table3'

/** A column of a table: its header, how to render a row, and how much it matters on narrow screens. */
export interface Column<Row> {
  readonly header: string
  readonly value: (row: Row) => string
  readonly align?: 'left' | 'right'
  /** Lower numbers are dropped first when the table does not fit; default 5. */
  readonly priority?: number
}

/** Renders rows as a borderless table that fits `width`, dropping low-priority columns if needed. */
export function renderTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[], options: { width: number; colour: (text: string) => string }): string {
  const cells = rows.map((row) => columns.map((column) => column.value(row)))
  const widths = columns.map((column, index) => Math.max(column.header.length, ...cells.map((cell) => visibleLength(cell[index] ?? ''))))
  let kept = columns.map((_, index) => index)
  const total = (indexes: readonly number[]): number => indexes.reduce((sum, index) => sum + (widths[index] ?? 0) + 2, 0)
  while (total(kept) > options.width && kept.length > 1) {
    const lowest = kept.reduce((worst, index) => ((columns[index]?.priority ?? 5) < (columns[worst]?.priority ?? 5) ? index : worst), kept[kept.length - 1] ?? 0)
    kept = kept.filter((index) => index !== lowest)
  }
  const table = new Table({
    head: kept.map((index) => options.colour(columns[index]?.header ?? '')),
    colAligns: kept.map((index) => columns[index]?.align ?? 'left'),
    chars: { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ' },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  })
  for (const row of cells) table.push(kept.map((index) => row[index] ?? ''))
  const hidden = columns.length - kept.length
  const note = hidden === 0 ? '' : `\n(${String(hidden)} column${hidden === 1 ? '' : 's'} hidden to fit the terminal; widen it or use --json)`
  return `${table.toString().split('\n').map((line) => line.trimEnd()).join('\n')}${note}`
}

function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex -- strips ANSI colour codes
  return text.replace(/\u001b\[[0-9;]*m/g, '').length
}
