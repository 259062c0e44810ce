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
})
