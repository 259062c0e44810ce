import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '../../test/temp.js'
import { jsonLines } from './jsonl-lines.js'

async function all(file: string): Promise<unknown[]> {
  const lines: unknown[] = []
  for await (const line of jsonLines(file)) lines.push(line)
  return lines
}

describe('jsonLines', () => {
  it('parses each line with its number, skipping blank lines and naming a bad one', async () => {
    const file = join(tempFolder(), 'a.jsonl')
    writeFileSync(file, '{"a":1}\n\n{oops\n[2]\n')
    expect(await all(file)).toEqual([{ line: 1, value: { a: 1 } }, { line: 3, problem: expect.stringMatching(/^not valid JSON \(/) as unknown }, { line: 4, value: [2] }])
  })

  it('tells a last line cut off mid-write from a bad one', async () => {
    const file = join(tempFolder(), 'b.jsonl')
    writeFileSync(file, '{"a":1}\n{"b":')
    expect(await all(file)).toEqual([{ line: 1, value: { a: 1 } }, { line: 2, problem: 'the last line is incomplete (the file may still be being written); it was left out' }])
  })
})
