/// <reference lib="dom" />
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Browser } from 'playwright-core'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { factLine, runBuiltCli, tempFolder } from '../run-cli.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
/** Where the README's screenshots go (docs/screenshots, kept out of git). */
const SCREENSHOTS = fileURLToPath(new URL('../../../../docs/screenshots/', import.meta.url))

let folder: string
let stdout: string
let browser: Browser

beforeAll(async () => {
  folder = tempFolder('demo-')
  const run = await runBuiltCli(['demo', '--dir', folder])
  expect(run.code, run.stderr).toBe(0)
  stdout = run.stdout
  expect(existsSync(CHROMIUM), `headless Chromium is needed at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`).toBe(true)
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}, 180_000)

afterAll(async () => {
  await browser.close()
})

/** Opens the demo's report (or another) at a width and colour scheme; collects console errors and any request off the file. */
async function openReport(width: number, colorScheme: 'light' | 'dark', file = join(folder, 'report.html')) {
  const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme })
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text())
  })
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('request', (request) => {
    if (!request.url().startsWith('file:')) problems.push(`network request to ${request.url()}`)
  })
  await page.goto(pathToFileURL(file).href)
  return { page, problems }
}

describe('the demo and its HTML report', () => {
  it('plays a history, prints a non-empty report and recommendations, and writes the HTML report', () => {
    expect(stdout).toMatch(/Recorded \d{3,} facts from \d+ sessions of 5 setups in \d+ atomic flushes/)
    const report = stdout.slice(stdout.indexOf('━━ Outcomes per setup'), stdout.indexOf('Git evidence (all time)'))
    const rows = report.split('\n').filter((line) => /^(build|plan)@/.test(line))
    expect(rows).toHaveLength(5)
    // The demo records the history's git evidence too: the report shows it for every setup.
    const evidence = stdout.slice(stdout.indexOf('Git evidence (all time)'), stdout.indexOf('━━ Which setup for a new TypeScript'))
    expect(evidence.split('\n').filter((line) => /^(build|plan)@\S+ +\d+ +\d+ \(\d+ pending\)/.test(line))).toHaveLength(5)
    const costs = rows.map((line) => /\$(\d+\.\d+)$/.exec(line)?.[1] ?? '')
    expect(new Set(costs.map((cost) => cost.split('.')[1]?.length)).size, `one precision in the COST/C column: ${costs.join(', ')}`).toBe(1)
    expect(stdout).toContain('Best for this project: build@anthropic/claude-sonnet-4-5, expected user grade')
    expect(stdout).toContain('No clear best setup yet: plan@anthropic/claude-opus-4-1, build@openai/gpt-5 and build@anthropic/claude-sonnet-4-5 are not yet distinguishable')
    expect(stdout).toContain('To learn (exploration, not the best bet): give the next task to build@openai/gpt-5')
    expect(stdout).toMatch(/90% intervals: \d+\.\d% held the realised mean grade/)
    expect(stdout).toContain(`Wrote the HTML export to ${join(folder, 'report.html')}`)
  })

  it.each([
    [1400, 'light'], [1400, 'dark'], [390, 'light'], [390, 'dark'],
  ] as const)('at %i px in %s mode: no sideways scroll, labelled axes on every chart, the recommendation and the scatter; screenshot', { timeout: 60_000 }, async (width, scheme) => {
    const { page, problems } = await openReport(width, scheme)
    try {
      const sizes = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }))
      expect(sizes.scrollWidth, 'the page scrolls sideways').toBeLessThanOrEqual(sizes.innerWidth)

      // Every chart: an x and a y axis label, with text, drawn inside the chart and big enough to read.
      const charts = await page.locator('figure.chart svg').evaluateAll((svgs) => svgs.map((svg) => {
        const box = svg.getBoundingClientRect()
        const labels = ['x', 'y'].map((axis) => {
          const label = svg.querySelector(`.axis-label.${axis}`)
          if (label === null) return { axis, text: '', visible: false, inside: false, height: 0 }
          const rect = label.getBoundingClientRect()
          const style = getComputedStyle(label)
          return {
            axis,
            text: label.textContent,
            visible: rect.width > 0 && rect.height > 0 && style.visibility === 'visible' && style.display !== 'none' && Number(style.opacity) > 0,
            inside: rect.left >= box.left - 1 && rect.right <= box.right + 1 && rect.top >= box.top - 1 && rect.bottom <= box.bottom + 1,
            height: rect.height,
          }
        })
        return { title: svg.getAttribute('aria-label') ?? '', width: box.width, marks: svg.querySelectorAll('rect, polyline, circle, line.interval').length, labels }
      }))
      expect(charts.length).toBeGreaterThanOrEqual(14)
      for (const chart of charts) {
        expect(chart.width, chart.title).toBeGreaterThan(250)
        expect(chart.marks, chart.title).toBeGreaterThan(2)
        for (const label of chart.labels) {
          expect(label.text.trim(), `${chart.title}: ${label.axis} axis label`).not.toBe('')
          expect(label.visible && label.inside, `${chart.title}: ${label.axis} axis label "${label.text}" visible inside the chart`).toBe(true)
          expect(label.height, `${chart.title}: ${label.axis} axis label readable`).toBeGreaterThanOrEqual(9)
        }
      }

      // The recommendation for each kind of project, with its verdict, and the cost–quality scatter with its front.
      const verdicts = await page.locator('#recommendations .verdict').allTextContents()
      expect(verdicts.length).toBeGreaterThanOrEqual(3)
      expect(verdicts.join('\n')).toMatch(/Use build@anthropic\/claude-sonnet-4-5: expected user grade \d\.\d \(90% \d\.\d–\d\.\d\)/)
      expect(verdicts.join('\n')).toContain('Not yet distinguishable:')
      await expect.poll(() => page.locator('#recommendations').isVisible()).toBe(true)
      const scatter = page.locator('#cost-quality svg').first()
      expect(await scatter.locator('circle').count()).toBeGreaterThanOrEqual(5)
      expect(await scatter.locator('polyline.front').count()).toBe(1)
      expect(await page.locator('#evidence table tbody tr').count()).toBe(5)
      expect(await page.locator('#projects article').count()).toBe(6)
      // The last backtest: its calibration plot (a dot per interval level) and coverage by sample size.
      expect(await page.locator('#calibration svg').count()).toBe(2)
      expect(await page.locator('#calibration svg').first().locator('circle').count()).toBe(4)

      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
      const [r = 0, g = 0, b = 0] = (background.match(/\d+/g) ?? []).map(Number)
      if (scheme === 'dark') expect(r + g + b, `dark background, got ${background}`).toBeLessThan(120)
      else expect(r + g + b, `light background, got ${background}`).toBeGreaterThan(700)

      mkdirSync(SCREENSHOTS, { recursive: true })
      const file = join(SCREENSHOTS, `report-${String(width)}-${scheme}.png`)
      await page.screenshot({ path: file, fullPage: true })
      expect(statSync(file).size).toBeGreaterThan(50_000)
      expect(problems).toEqual([])
    } finally {
      await page.close()
    }
  })

  it('draws a chart alone in its row no larger than beside another, so its text keeps its size (one kind of project)', async () => {
    const root = tempFolder('one-kind-')
    const project = join(root, 'p1')
    mkdirSync(project)
    writeFileSync(join(project, 'package.json'), JSON.stringify({ dependencies: { react: '19' }, devDependencies: { typescript: '5' } }))
    const setup = 'build@anthropic/claude-sonnet-4-5'
    const facts = Array.from({ length: 8 }, (_, i) => {
      const at = (minute: number): string => new Date(Date.UTC(2026, 2, 2 + i, 9, minute)).toISOString()
      const hash = `ab${String(i)}c0ffee`
      return [factLine({ kind: 'commit', setup, project, hash, message: `change ${String(i)}`, at: at(0) }), factLine({ kind: 'grade', setup, project, commit: hash, by: 'user', userGrade: 'good', at: at(5) })]
    }).flat()
    const db = join(root, 'one.lmdb')
    expect((await runBuiltCli(['ingest', '--trust', '--db', db], { input: `${facts.join('\n')}\n` })).code).toBe(0)
    const file = join(root, 'one.html')
    expect((await runBuiltCli(['export', '--format', 'html', '--db', db, '--out', file])).code).toBe(0)
    for (const report of [file, join(folder, 'report.html')]) {
      const { page } = await openReport(1400, 'light', report)
      try {
        expect(await page.locator('#recommendations article').count()).toBe(report === file ? 1 : 6)
        // How much each chart is scaled from its viewBox: beside another chart at this width, about 1.1.
        const scales = await page.locator('figure.chart svg').evaluateAll((svgs) => svgs.map((svg) => ({ title: svg.getAttribute('aria-label') ?? '', scale: svg.getBoundingClientRect().width / (svg as SVGSVGElement).viewBox.baseVal.width })))
        for (const { title, scale } of scales) expect(scale, `${title} in ${report}`).toBeLessThanOrEqual(1.15)
      } finally {
        await page.close()
      }
    }
  })

  it('never scrolls sideways on the narrowest phones (360 px)', async () => {
    const { page } = await openReport(360, 'light')
    try {
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0)
    } finally {
      await page.close()
    }
  })
})
