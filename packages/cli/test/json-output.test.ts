import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { factLine, runCli, tempFolder } from './run-cli.js'
import { SONNET, seedHistory } from './seed.js'

/** stdout as exactly one JSON document (JSON.parse throws on anything else). */
function onlyJson(stdout: string): unknown {
  return JSON.parse(stdout)
}

describe('--json prints exactly one JSON document', () => {
  it('export: csv and html print a summary of the file written; csv to stdout with --json is a usage error', async () => {
    const { db, root } = await seedHistory()
    const csv = await runCli(['export', '--format', 'csv', '--out', 'report.csv', '--json', '--db', db], { cwd: root })
    expect(csv.code).toBe(0)
    expect(onlyJson(csv.stdout)).toEqual({ path: join(root, 'report.csv'), format: 'csv', bytes: expect.any(Number) as number, rows: 2 })
    expect(readFileSync(join(root, 'report.csv'), 'utf8')).toMatch(/^setup,/)
    const html = await runCli(['export', '--format', 'html', '--json', '--db', db], { cwd: root })
    expect(onlyJson(html.stdout)).toMatchObject({ path: join(root, 'agent-tracker-report.html'), format: 'html', rows: 2 })
    const clash = await runCli(['export', '--format', 'csv', '--json', '--db', db])
    expect(clash.code).toBe(2)
    expect(onlyJson(clash.stdout)).toMatchObject({ error: { code: 'INVALID_OPTION', message: expect.stringContaining('--json with --format csv needs --out <file>') as string } })
    const json = await runCli(['export', '--format', 'json', '--json', '--db', db])
    expect(onlyJson(json.stdout)).toMatchObject({ format: 'agent-tracker-export' })
  })

  it('demo: one object with every section', { timeout: 120_000 }, async () => {
    const folder = tempFolder('demo-json-')
    const { code, stdout } = await runCli(['demo', '--dir', folder, '--json'])
    expect(code).toBe(0)
    const demo = onlyJson(stdout) as Record<string, unknown>
    expect(Object.keys(demo).sort()).toEqual(['agents', 'database', 'export', 'played', 'recommend', 'report'])
    expect(demo).toMatchObject({ database: join(folder, 'agent-tracker.lmdb'), export: { path: join(folder, 'report.html'), format: 'html' } })
    expect(demo.agents).toHaveLength(5)
    expect((demo.recommend as Record<string, { state: string }>)['checkout-app']?.state).toBeDefined()
    expect((demo.recommend as Record<string, { state: string }>)['reporting-api']?.state).toBeDefined()
  })

  it('init, doctor and ingest', async () => {
    const project = tempFolder('oc-')
    const init = await runCli(['init', '--json'], { cwd: project })
    expect(init.code).toBe(0)
    expect(onlyJson(init.stdout)).toMatchObject({ changed: true, file: join(project, 'opencode.json') })
    const db = join(tempFolder(), 'j.lmdb')
    const ingest = await runCli(['ingest', '--db', db, '--json'], { input: [factLine({ kind: 'commit', setup: SONNET, project: '/w/app', hash: 'abcd1234', message: 'one' }), 'not json'].join('\n') })
    expect(ingest.code).toBe(1)
    expect(onlyJson(ingest.stdout)).toMatchObject({ lines: 2, ingested: 1, rejected: [{ line: 2 }] })
    writeFileSync(join(project, '.env'), 'SECRET=1\n')
    writeFileSync(join(project, 'server.pem'), 'KEY\n')
    const doctor = await runCli(['doctor', '--db', db, '--json'], { cwd: project, env: { AGENT_TRACKER_PROTECTED_FILES: '*.pem' } })
    expect(doctor.code).toBe(0)
    expect(onlyJson(doctor.stdout)).toMatchObject({
      healthy: true,
      checks: expect.arrayContaining([
        expect.objectContaining({ name: 'Database' }),
        expect.objectContaining({ name: 'Secrets', detail: expect.stringMatching(/^\.env \.env\.\* !\.env\.example !\.env\.sample !\.env\.template \*\.pem \(more with AGENT_TRACKER_PROTECTED_FILES or the plugin's protectedFiles\); 2 in .*: (\.env, server\.pem|server\.pem, \.env)$/) as unknown }),
        expect.objectContaining({ name: 'Grades', detail: 'given here at a terminal, they count as yours (cli-terminal)' }),
      ]) as unknown[],
    })
  })
})
