import stringWidth from 'string-width'
import { describe, expect, it } from 'vitest'
import { renderTable } from './table.js'

describe('renderTable', () => {
  it('aligns columns by display width: CJK and emoji take two columns each', () => {
    const rows = [{ task: '支払い', n: '1' }, { task: 'cart 🛒', n: '12' }, { task: 'plain', n: '3' }]
    const text = renderTable([{ header: 'TASK', value: (r: (typeof rows)[number]) => r.task }, { header: 'N', value: (r) => r.n, align: 'right' }], rows, { width: Infinity, colour: (t) => t })
    const lines = text.split('\n')
    expect(lines).toEqual(['TASK      N', '支払い    1', 'cart 🛒  12', 'plain     3'])
    expect(new Set(lines.map((l) => stringWidth(l))).size).toBe(1)
  })

  it('drops the least important columns to fit, and says how many', () => {
    const text = renderTable([{ header: 'KEEP', value: () => 'x'.repeat(10), priority: 9 }, { header: 'DROP', value: () => 'y'.repeat(10), priority: 1 }], [{}], { width: 15, colour: (t) => t })
    expect(text).toBe('KEEP\nxxxxxxxxxx\n(1 column hidden to fit the terminal; widen it or use --json)')
  })

  it('lists the rows as records when fewer than a third of the columns fit: nothing is hidden', () => {
    const columns = [
      { header: '#', value: (r: { n: string; name: string; a: string; b: string }) => r.n, align: 'right' as const, priority: 9 },
      { header: 'NAME', value: (r: { name: string }) => r.name, priority: 10 },
      { header: 'ALPHA', value: (r: { a: string }) => r.a, priority: 2 },
      { header: 'B', value: (r: { b: string }) => r.b, priority: 1 },
    ]
    const rows = [{ n: '1', name: 'build@openai/gpt-5', a: 'x'.repeat(30), b: 'trusted' }, { n: '2', name: 'plan@x/y', a: 'short', b: '' }]
    const text = renderTable(columns, rows, { width: 20, colour: (t) => `<${t}>` })
    expect(text).toBe(['build@openai/gpt-5', `  <#>      1`, `  <ALPHA>  ${'x'.repeat(30)}`, '  <B>      trusted', '', 'plan@x/y', '  <#>      2', '  <ALPHA>  short', '  <B>'].join('\n'))
  })

  it('keeps the table when a third of the columns or more fit, and with no rows', () => {
    const columns = ['A', 'B', 'C'].map((header, index) => ({ header, value: () => header.repeat(4), priority: 9 - index }))
    expect(renderTable(columns, [{}], { width: 5, colour: (t) => t })).toBe('A\nAAAA\n(2 columns hidden to fit the terminal; widen it or use --json)')
    const many = ['A', 'B', 'C'].map((header, index) => ({ header, value: () => 'long value', priority: 9 - index }))
    expect(renderTable(many, [], { width: 2, colour: (t) => t })).toBe('A\n(2 columns hidden to fit the terminal; widen it or use --json)')
  })
})
