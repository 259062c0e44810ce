import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const BIN = fileURLToPath(new URL('../bin/agent-tracker.js', import.meta.url))
const CLI_VERSION = (JSON.parse(readFileSync(new URL('../node_modules/@agent-tracker/cli/package.json', import.meta.url), 'utf8')) as { version: string }).version
const home = mkdtempSync(join(tmpdir(), 'agent-tracker-bin-'))

afterAll(() => {
  rmSync(home, { recursive: true, force: true })
})

function run(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: home, env: { ...process.env, HOME: home, NO_COLOR: '1', AGENT_TRACKER_DB: undefined } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr })
    })
  })
}

describe('the unscoped agent-tracker command', () => {
  it('is the CLI: same version, same commands, same exit codes', async () => {
    expect(await run(['--version'])).toMatchObject({ code: 0, stdout: `${CLI_VERSION}\n` })
    const fresh = await run(['agents'])
    expect(fresh.code).toBe(0)
    expect(fresh.stdout).toContain('No data yet: there is no agent-tracker database at')
    const usage = await run(['reprot'])
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain("error: unknown command 'reprot'")
  })
})
