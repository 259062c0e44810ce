/// <reference lib="dom" />
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { runBuiltCli, tempFolder } from '../run-cli.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url))

describe('the demo and its HTML report', () => {
  it('plays a history, prints a non-empty report and recommendations, and writes the HTML report', { timeout: 120_000 }, async () => {
    const folder = tempFolder('demo-')
    const { code, stdout } = await runBuiltCli(['demo', '--dir', folder])
    expect(code).toBe(0)
    expect(stdout).toMatch(/Recorded \d{3,} facts from \d+ sessions of 5 setups in \d+ atomic flushes/)
    const report = stdout.slice(stdout.indexOf('━━ Outcomes per setup'), stdout.indexOf('━━ Which setup for a new TypeScript'))
    expect(report.split('\n').filter((line) => /^(build|plan)@/.test(line))).toHaveLength(5)
    const costs = report.split('\n').filter((line) => /^(build|plan)@/.test(line)).map((line) => /\$(\d+\.\d+)$/.exec(line)?.[1] ?? '')
    expect(new Set(costs.map((cost) => cost.split('.')[1]?.length)).size, `one precision in the COST/C column: ${costs.join(', ')}`).toBe(1)
    expect(stdout).toContain('Best for this project: build@anthropic/claude-sonnet-4-5, expected user grade')
    expect(stdout).toContain('No clear best setup yet: plan@anthropic/claude-opus-4-1, build@openai/gpt-5 and build@anthropic/claude-sonnet-4-5 are not yet distinguishable')
    expect(stdout).toContain('To learn (exploration, not the best bet): give the next task to build@openai/gpt-5')
    expect(stdout).toMatch(/90% intervals: \d+\.\d% held the realised mean grade/)
    expect(stdout).toContain(`Wrote the HTML export to ${join(folder, 'report.html')}`)

    expect(existsSync(CHROMIUM), `headless Chromium is needed at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`).toBe(true)
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
      const problems: string[] = []
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text())
      })
      page.on('pageerror', (error) => problems.push(error.message))
      page.on('request', (request) => {
        if (!request.url().startsWith('file:')) problems.push(`network request to ${request.url()}`)
      })
      await page.goto(pathToFileURL(join(folder, 'report.html')).href)
      const charts = await page.locator('svg').evaluateAll((svgs) =>
        svgs.map((svg) => ({ width: svg.getBoundingClientRect().width, height: svg.getBoundingClientRect().height, marks: svg.querySelectorAll('rect, polyline, circle').length })))
      // Four bar charts, three trends, then the last backtest's calibration plot and its coverage by sample size.
      expect(charts).toHaveLength(9)
      for (const chart of charts) {
        expect(chart.width).toBeGreaterThan(200)
        expect(chart.height).toBeGreaterThan(100)
        expect(chart.marks).toBeGreaterThanOrEqual(3)
      }
      expect(await page.locator('table tbody tr').count()).toBe(10)
      mkdirSync(ARTIFACTS, { recursive: true })
      await page.screenshot({ path: join(ARTIFACTS, 'html-report.png'), fullPage: true })
      expect(problems).toEqual([])
    } finally {
      await browser.close()
    }
    expect(existsSync(join(ARTIFACTS, 'html-report.png'))).toBe(true)
  })
})
