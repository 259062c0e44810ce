import { execFile, execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Step } from './fake-llm.js'
import { CLI, createProject, runOpencode, suiteFolder } from './harness.js'

// OpenCode's own database, written by the real binary while the plugin tracked the same sessions
// live: importing it must reproduce what the plugin recorded.

const bash = (command: string): Step => ({ tool: 'bash', args: { command, description: command.slice(0, 40) } })

type Setup = { setup: string; state: { toolCalls: number; toolFailures: number; commits: number; pushes: number; messages: number; tokens: object; cost: number } }

function cli(home: string, args: readonly string[]): Promise<{ code: number; stdout: string }> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: home, XDG_DATA_HOME: join(home, '.local', 'share'), NO_COLOR: '1' }
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout: stdout + stderr })
    })
  })
}

/** The answer of a `--json` run: the data of its envelope. */
const data = (stdout: string): unknown => (JSON.parse(stdout) as { data: unknown }).data

const numbers = ({ setup, state }: Setup): object => ({ setup, toolCalls: state.toolCalls, toolFailures: state.toolFailures, commits: state.commits, pushes: state.pushes, messages: state.messages, tokens: state.tokens, cost: state.cost.toFixed(9) })

describe('importing the history of the real opencode binary', { timeout: 300_000 }, () => {
  const root = suiteFolder()

  it('reproduces what the plugin recorded live — setups of two agents and a subagent, tool calls, commits, a push, tokens and cost — and adds nothing to the live database', async () => {
    const home = join(root, 'home')
    const project = createProject(root, 'store')
    const databasePath = join(root, 'live.lmdb')
    const built = await runOpencode({
      root, project, pluginOptions: { databasePath },
      script: [
        bash("echo cart > cart.txt && git add -A && git commit -m 'feat: cart' && git push origin main"),
        bash('ls /nonexistent-dir'),
        { tool: 'read', args: { filePath: join(project, 'missing.md') } },
        { tool: 'task', args: { description: 'list files', prompt: 'List the files.', subagent_type: 'general' } },
        bash('ls'),
        { text: 'Listed.' },
        { text: 'Done.' },
      ],
    })
    expect(built.code, built.output).toBe(0)
    const reviewed = await runOpencode({
      root, project, pluginOptions: { databasePath }, agent: 'reviewer',
      script: [bash("echo notes > notes.txt && git add -A && git commit -q -m 'docs: review notes'"), bash('exit 3'), { text: 'Reviewed.' }],
    })
    expect(reviewed.code, reviewed.output).toBe(0)

    const live = data((await cli(home, ['status', '--db', databasePath, '--json'])).stdout) as Setup[]
    expect(live.map((row) => row.setup).sort()).toEqual(['build@fake/m1', 'general@fake/m1', 'reviewer@fake/m1'])
    expect(live.find((row) => row.setup === 'build@fake/m1')?.state).toMatchObject({ toolCalls: 4, toolFailures: 2, commits: 1, pushes: 1 })
    expect(live.find((row) => row.setup === 'reviewer@fake/m1')?.state).toMatchObject({ toolCalls: 2, toolFailures: 1, commits: 1 })

    const fresh = join(root, 'imported.lmdb')
    const imported = await cli(home, ['import', 'opencode', '--db', fresh, '--json'])
    expect(imported.code, imported.stdout).toBe(0)
    expect(data(imported.stdout)).toMatchObject({ sources: [{ source: 'opencode', paths: [join(home, '.local', 'share', 'opencode', 'opencode.db')], sessions: 3, problemCount: 0 }] })
    const importedSetups = data((await cli(home, ['status', '--db', fresh, '--json'])).stdout) as Setup[]
    expect(importedSetups.map(numbers)).toEqual(live.map(numbers))
    const commits = (db: string): string => execFileSync(process.execPath, [CLI, 'export', '--format', 'csv', '--table', 'commits', '--db', db], { env: { ...process.env, HOME: home }, encoding: 'utf8' }).split('\n').map((line) => line.split(',').filter((cell) => !/^\d{4}-\d\d-\d\dT/.test(cell)).join(',')).sort().join('\n')
    expect(commits(fresh)).toBe(commits(databasePath))

    // The same history imported into the database the plugin wrote live, and again: nothing counts twice.
    for (let run = 0; run < 2; run++) {
      const again = await cli(home, ['import', 'opencode', '--db', databasePath, '--json'])
      expect(again.code, again.stdout).toBe(0)
      const [summary] = (data(again.stdout) as { sources: { facts: number; imported: number; repeats: number }[] }).sources
      expect(summary).toMatchObject({ imported: 0, repeats: summary?.facts })
      const after = data((await cli(home, ['status', '--db', databasePath, '--json'])).stdout) as Setup[]
      expect(after.map(numbers)).toEqual(live.map(numbers))
    }
  })
})
