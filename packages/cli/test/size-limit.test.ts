import { statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { jsonData, runCli, tempFolder } from './run-cli.js'

const LIMIT = 1024 * 1024

/** 1,000 tool-call lines of batch `n` (ids derived from their facts; the times make every line, and so each batch, distinct). */
function batchFile(folder: string, n: number): string {
  const lines = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ kind: 'tool_call', setup: 'build@anthropic/claude-sonnet-4-5', project: '/w/app', tool: 'bash', ok: i % 9 !== 0, at: new Date(Date.UTC(2026, 0, 1) + (n * 1000 + i) * 1000).toISOString() }))
  const file = join(folder, `batch-${String(n)}.jsonl`)
  writeFileSync(file, lines.join('\n'))
  return file
}

describe('the size limit, by real page use', () => {
  it('fills a 1 MiB limit to at least 90% with 1,000-line batches before refusing, and never passes it', async () => {
    const folder = tempFolder('limit-')
    const db = join(folder, 'small.lmdb')
    let refused: { n: number; stderr: string } | undefined
    for (let n = 0; n < 40 && refused === undefined; n++) {
      const run = await runCli(['ingest', '--file', batchFile(folder, n), '--db', db, '--max-size', '1MiB'])
      if (run.code !== 0) refused = { n, stderr: run.stderr }
      expect(statSync(db).size).toBeLessThanOrEqual(LIMIT)
    }
    expect(refused?.stderr).toMatch(/(reached its size limit|has no room within its size limit for this batch of about .*): .* used of 1\.0 MiB\. This batch was not written; everything already stored is intact\..* Lines 1–\d+ are stored\./)
    const doctor = jsonData((await runCli(['doctor', '--db', db, '--max-size', '1MiB', '--json'])).stdout, 'doctor') as { checks: { name: string; ok: boolean; detail: string }[] }
    const size = doctor.checks.find((check) => check.name === 'Size')
    const share = Number(/\((\d+\.\d)%\)/.exec(size?.detail ?? '')?.[1])
    expect(share).toBeGreaterThanOrEqual(90)
    expect(size?.ok).toBe(false)
  })
})
